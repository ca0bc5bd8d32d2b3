package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.Topics;
import org.parley.model.SeedStory;

/**
 * Export then import, in either form, of a log holding every event twice (as a producer that sent
 * its batch again leaves it); and `parley up` on a cluster that holds the seed story already.
 */
class RoundTripIT {
  @TempDir Path dir;

  @Test
  void aLogWithRepeatedEventsRoundTripsThroughBothFormsAndUpDoesNotLoadTheStoryAgain()
      throws Exception {
    Path ndjson = dir.resolve("log.ndjson");
    Path avro = dir.resolve("log.avro");
    int story = SeedStory.events().size();
    try (TestCluster source = TestCluster.single()) {
      String bootstrap = source.bootstrapServers();
      assertThat(Cli.run("topics", "create", "-b", bootstrap).exit()).isZero();
      ReplayIT.publish(bootstrap, SeedStory.events());
      ReplayIT.publish(bootstrap, SeedStory.events());

      Cli export = Cli.run("export", ndjson.toString(), "-b", bootstrap);
      assertThat(export.out()).startsWith("exported " + 2 * story + " events");
      // Transaction markers take offsets that no reader sees: the last line still says 100%, once.
      assertThat(export.err().lines().filter(l -> l.startsWith("export [")))
          .last()
          .asString()
          .contains("] 100%");
      assertThat(export.err().lines().filter(l -> l.contains("100%"))).hasSize(1);
      assertThat(Cli.run("export", avro.toString(), "--bootstrap-server", bootstrap).out())
          .startsWith("exported " + 2 * story + " events");
    }
    try (TestCluster target = TestCluster.single()) {
      String bootstrap = target.bootstrapServers();
      assertThat(Cli.run("topics", "create", "-b", bootstrap).exit()).isZero();

      Cli first = Cli.run("import", ndjson.toString(), "-b", bootstrap);
      Cli again = Cli.run("import", avro.toString(), "-b", bootstrap);

      assertThat(first.exit()).as(first.err()).isZero();
      assertThat(first.err().lines().filter(l -> l.startsWith("import [")))
          .last()
          .asString()
          .contains("] 100%")
          .doesNotContain("left");
      assertThat(first.err().lines().filter(l -> l.contains("100%"))).hasSize(1);
      assertThat(first.out().strip())
          .isEqualTo(
              "imported "
                  + story
                  + " events to "
                  + Topics.EVENTS
                  + "; 0 were already"
                  + " there; skipped "
                  + story
                  + " repeats (the file holds these events twice, identical)");
      assertThat(again.exit()).as(again.err()).isZero();
      assertThat(again.out())
          .startsWith(
              "imported 0 events to " + Topics.EVENTS + "; " + story + " were already there");

      // The same event id with other content is not a repeat: nothing is imported, and both lines
      // are named.
      List<String> lines = Files.readAllLines(ndjson);
      Path clash = dir.resolve("clash.ndjson");
      Files.write(clash, List.of(lines.get(0), lines.get(0).replace("Geneva", "Lausanne")));
      Cli refused = Cli.run("import", clash.toString(), "-b", bootstrap);
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err())
          .contains("nothing was imported")
          .contains("line 2: eventId '")
          .contains("is already used on line 1 for another event");

      // A second Parley started against this cluster finds the story there and does not publish it
      // again.
      try (ChildProcess up =
          ChildProcess.parley(
              "up", "-b", bootstrap, "--data-dir", dir.resolve("up").toString(), "--no-gateway")) {
        up.awaitLine(l -> l.startsWith("Parley is up"), Duration.ofSeconds(120));
        assertThat(up.out())
            .contains(
                "The seed story is on the cluster already ("
                    + story
                    + " events); nothing"
                    + " was loaded.");
        up.stop();
      }
      assertThat(Cli.run("import", ndjson.toString(), "-b", bootstrap).out())
          .as("the events topic still holds the story once")
          .startsWith(
              "imported 0 events to " + Topics.EVENTS + "; " + story + " were already there");
    }
  }
}
