package org.parley.app.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.Logging;
import org.parley.client.Topics;
import org.parley.ingest.EventLines;
import org.parley.ingest.EventPublisher;
import org.parley.topology.TalkLimit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "publish",
    description = {
      "Publish events in their JSON form, one per line (NDJSON), from FILE or from standard input (-).",
      "Every line is checked first: if any line is bad, each bad line is reported with its number and",
      "reason, and nothing is published. Otherwise all lines are published in one transaction."
    })
final class PublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Mixin ClusterOptions cluster;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "An NDJSON file of events, or - for standard input.")
  String file;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EventLines.Read read;
    try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
      read = new EventLines(Clock.systemUTC()).read(in);
    } catch (NoSuchFileException e) {
      throw new CommandFailure("no such file: " + file);
    }
    if (!read.ok()) {
      read.problems().forEach(err::println);
      err.printf(
          "nothing was published: %d of %d lines are bad%n",
          read.problems().size(), read.problems().size() + read.events().size());
      return 1;
    }
    if (read.events().isEmpty()) {
      out.println("no events in " + file + "; nothing to publish");
      return 0;
    }
    List<TalkLimit.Overflow> full = TalkLimit.batchProblems(read.events(), talk -> 0);
    if (!full.isEmpty()) {
      full.forEach(
          o ->
              err.printf(
                  "event %d of %s ('%s'): %s%n", o.index() + 1, file, o.eventId(), o.message()));
      err.println(
          "nothing was published: a talk's state is limited to "
              + TalkLimit.MAX_STATE_BYTES
              + " bytes");
      return 1;
    }
    Topics topics = Topics.standard();
    cluster.requireTopics(topics.events().name());
    try (EventPublisher publisher =
        new EventPublisher(
            cluster.bootstrapServers, cluster.clientProperties(), topics.events(), "publish")) {
      int published = publisher.publish(read.events());
      out.printf(
          "published %d events to %s in one transaction%s%n",
          published,
          topics.events().name(),
          read.repeated() == 0
              ? ""
              : String.format("; skipped %d lines repeating an earlier one", read.repeated()));
    }
    return 0;
  }
}
