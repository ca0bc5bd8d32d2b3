package org.parley.app.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.parley.app.replay.EventLog;
import org.parley.app.replay.LogExport;
import org.parley.app.runtime.Interruption;
import org.parley.app.runtime.Logging;
import org.parley.client.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "export",
    description = {
      "Write the events log to FILE: NDJSON (the JSON form, publishable as it is), or an Avro object",
      "container file when FILE ends in .avro. Events keep their ids, times and per-talk order; clock",
      "ticks keep their partition. The file appears only when the export is complete."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "FILE", description = "Where to write (.ndjson or .avro).")
  Path file;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      converter = Times.class,
      description = "Only events that occurred at or after TIME.")
  Instant from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      converter = Times.class,
      description = "Only events that occurred before TIME.")
  Instant to;

  @Option(
      names = "--talk",
      paramLabel = "ID",
      description = "Only this talk's events (no clock ticks).")
  String talk;

  @Override
  public Integer call() throws Exception {
    Topics topics = Topics.standard();
    cluster.requireTopics(topics.events().name());
    LogExport.Result result;
    try (Interruption interruption = new Interruption();
        EventLog log =
            new EventLog(
                cluster.bootstrapServers, cluster.clientProperties(), topics.events().name())) {
      result =
          LogExport.run(
              log,
              file,
              new LogExport.Filter(from, to, talk),
              spec.commandLine().getErr(),
              interruption);
    }
    spec.commandLine()
        .getOut()
        .printf(
            "exported %,d events to %s (%s)%s%n",
            result.written(),
            file,
            result.format().name().toLowerCase(),
            result.skippedUnreadable() == 0
                ? ""
                : String.format(
                    "; skipped %,d records that are not Parley events (they are in the dead-letter topic)",
                    result.skippedUnreadable()));
    return 0;
  }
}
