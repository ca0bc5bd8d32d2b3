package org.parley.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.parley.app.replay.EventLog;
import org.parley.app.replay.LogImport;
import org.parley.app.runtime.ClockKeys;
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.Interruption;
import org.parley.app.runtime.Logging;
import org.parley.client.Topics;
import org.parley.ingest.EventPublisher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "import",
    description = {
      "Publish an exported log (NDJSON or Avro container, told apart by content) to the events topic.",
      "Events already there (same talk and event id) are skipped, so importing twice adds nothing and an",
      "interrupted import is finished by running it again. The file is checked whole before anything is sent.",
      "An event the file holds twice, identical, is published once; the same id with other content is an error."
    })
final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Mixin ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "FILE", description = "A file written by `parley export`.")
  Path file;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new CommandFailure("no such file: " + file);
    }
    Topics topics = Topics.standard();
    cluster.requireTopics(topics.events().name());
    LogImport.Result result;
    try (Interruption interruption = new Interruption();
        EventLog target =
            new EventLog(
                cluster.bootstrapServers, cluster.clientProperties(), topics.events().name());
        EventPublisher publisher =
            new EventPublisher(
                cluster.bootstrapServers, cluster.clientProperties(), topics.events(), "import")) {
      result =
          LogImport.run(
              file,
              target,
              publisher,
              ClockKeys.seal(cluster.bootstrapServers, cluster.clientProperties()),
              spec.commandLine().getErr(),
              interruption);
    }
    spec.commandLine()
        .getOut()
        .printf(
            "imported %,d events to %s; %,d were already there%s%n",
            result.published(),
            topics.events().name(),
            result.alreadyPresent(),
            result.repeated() == 0
                ? ""
                : String.format(
                    "; skipped %,d repeats (the file holds these events twice, identical)",
                    result.repeated()));
    return 0;
  }
}
