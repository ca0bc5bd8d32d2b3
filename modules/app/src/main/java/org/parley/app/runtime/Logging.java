package org.parley.app.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Log levels from the command line: Parley at INFO and Kafka at WARN unless asked otherwise. Logs
 * go to stderr.
 */
public final class Logging {
  private static boolean verbose;

  /** Options every command takes. */
  public static final class Options {
    @Option(
        names = {"-v", "--verbose"},
        description = "Log Parley at DEBUG and Kafka at INFO; print stack traces.")
    public boolean verbose;

    @Option(
        names = "--kafka-log-level",
        paramLabel = "LEVEL",
        description = "Log level for Kafka's own loggers (default: WARN).")
    String kafkaLevel;

    @Option(
        names = "--log-format",
        paramLabel = "FORMAT",
        defaultValue = "text",
        description =
            "text (default) or json: one JSON object per log line on stderr, for log collectors.")
    Format logFormat;
  }

  enum Format {
    text,
    json
  }

  private Logging() {}

  public static boolean verbose() {
    return verbose;
  }

  public static void apply(CommandLine.ParseResult parsed) {
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
    String kafka =
        options.kafkaLevel != null ? options.kafkaLevel : options.verbose ? "INFO" : "WARN";
    set("org.apache.kafka", kafka);
    set("kafka", kafka);
    set("state.change.logger", kafka);
    set("org.parley", options.verbose ? "DEBUG" : "INFO");
    // Kafka's per-attempt connection warnings only when asked for Kafka's logs (see logback.xml).
    set(
        "org.apache.kafka.clients.NetworkClient",
        options.verbose || options.kafkaLevel != null ? kafka : "ERROR");
    if (options.logFormat == Format.json) {
      json();
    }
  }

  /** Replaces the stderr appender's encoder with logback's JSON encoder: one object per event. */
  private static void json() {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    var appender = (ConsoleAppender<ILoggingEvent>) root.getAppender("stderr");
    if (appender == null) {
      return;
    }
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(root.getLoggerContext());
    encoder.setWithFormattedMessage(true);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.start();
    appender.stop();
    appender.setEncoder(encoder);
    appender.start();
  }

  private static void set(String logger, String level) {
    ((Logger) LoggerFactory.getLogger(logger)).setLevel(Level.toLevel(level, Level.WARN));
  }
}
