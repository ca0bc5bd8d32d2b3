package org.parley.app.cli;

import java.time.Instant;
import java.util.concurrent.Callable;
import org.parley.app.replay.EventLog;
import org.parley.app.replay.TimeTravel;
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.Logging;
import org.parley.client.Topics;
import org.parley.model.JsonForm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "talk",
    description = {
      "Print one talk's state as JSON, folded from the events log by the same code as the pipeline.",
      "With --as-of, the talk as it stood at that time of its own story: its events up to then, and its deadlines",
      "passed against it."
    })
final class TalkCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Mixin ClusterOptions cluster;

  @Mixin FoldOptions fold;

  @Parameters(index = "0", paramLabel = "ID", description = "The talk id.")
  String talkId;

  @Option(
      names = "--as-of",
      paramLabel = "TIME",
      converter = Times.class,
      description = "A past moment: 2016-09-08T17:00:00Z, or a date for its start (UTC).")
  Instant asOf;

  @Option(
      names = "--timeline",
      description =
          "Print the talk's history instead: its events in story order, each with"
              + " its source and the alerts it raised.")
  boolean timeline;

  @Override
  public Integer call() {
    Topics topics = Topics.standard();
    cluster.requireTopics(topics.events().name());
    try (EventLog log =
        new EventLog(
            cluster.bootstrapServers, cluster.clientProperties(), topics.events().name())) {
      TimeTravel.Found found = TimeTravel.talk(log, talkId, asOf, fold.fold(), fold.rules(cluster));
      spec.commandLine()
          .getErr()
          .printf(
              "folded %,d records of %s partition %d%s%n",
              found.records(),
              topics.events().name(),
              found.partition(),
              found.talk().map(t -> "; the talk's time is " + t.getUpdatedAt()).orElse(""));
      if (found.talk().isEmpty()) {
        throw new CommandFailure(
            "talk '"
                + talkId
                + "' does not exist"
                + (asOf == null ? "" : " as of " + asOf)
                + " on "
                + topics.events().name());
      }
      if (timeline) {
        printTimeline(found);
      } else {
        spec.commandLine().getOut().println(JsonForm.toNode(found.talk().get()).toPrettyString());
      }
    }
    return 0;
  }

  /**
   * One line per event, its alerts indented under it: for a person; `GET /api/talks/{id}/timeline`
   * has the JSON.
   */
  private void printTimeline(TimeTravel.Found found) {
    java.io.PrintWriter out = spec.commandLine().getOut();
    java.util.Map<String, java.util.List<org.parley.avro.Alert>> byCause =
        new java.util.HashMap<>();
    found
        .alerts()
        .forEach(
            a ->
                byCause
                    .computeIfAbsent(a.getCauseEventId(), k -> new java.util.ArrayList<>())
                    .add(a));
    for (org.parley.avro.DiplomaticEvent event :
        org.parley.model.TalkTimeline.storyOrder(found.history())) {
      org.parley.avro.Source source = event.getSource();
      String from =
          java.util.stream.Stream.of(source.getActor(), source.getOutlet())
              .filter(java.util.Objects::nonNull)
              .collect(java.util.stream.Collectors.joining(", "));
      out.printf(
          "%s  %-24s %s%s%n",
          event.getOccurredAt(),
          org.parley.model.Events.type(event),
          org.parley.model.TalkTimeline.summary(event),
          from.isEmpty() ? "" : "  [" + from + "]");
      for (org.parley.avro.Alert alert :
          byCause.getOrDefault(event.getEventId(), java.util.List.of())) {
        out.printf(
            "    -> %-8s %-26s %s%n", alert.getSeverity(), alert.getType(), alert.getMessage());
      }
    }
  }
}
