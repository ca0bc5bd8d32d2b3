package org.parley.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Log levels from the command line: Parley at INFO and Kafka at WARN unless asked otherwise. Logs go to stderr. */
final class Logging {
  private static boolean verbose;

  /** Options every command takes. */
  static final class Options {
    @Option(names = {"-v", "--verbose"}, description = "Log Parley at DEBUG and Kafka at INFO; print stack traces.")
    boolean verbose;

    @Option(names = "--kafka-log-level", paramLabel = "LEVEL",
        description = "Log level for Kafka's own loggers (default: WARN).")
    String kafkaLevel;
  }

  private Logging() {}

  static boolean verbose() {
    return verbose;
  }

  static void apply(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    Options options = null;
    for (var mixin : last.commandSpec().mixins().values()) {
      if (mixin.userObject() instanceof Options o) {
        options = o;
      }
    }
    if (options == null) {
      return;
    }
    verbose = options.verbose;
    String kafka = options.kafkaLevel != null ? options.kafkaLevel : options.verbose ? "INFO" : "WARN";
    set("org.apache.kafka", kafka);
    set("kafka", kafka);
    set("state.change.logger", kafka);
    set("org.parley", options.verbose ? "DEBUG" : "INFO");
  }

  private static void set(String logger, String level) {
    ((Logger) LoggerFactory.getLogger(logger)).setLevel(Level.toLevel(level, Level.WARN));
  }
}
