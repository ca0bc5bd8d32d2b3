package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.ingest.EventPublisher;
import org.parley.model.JsonForm;
import org.parley.model.SeedStory;

/**
 * examples/python/alerts_consumer.py reads the alerts the pipeline published from the seed story,
 * decoding Avro single-object encoding with Debian's python3-confluent-kafka and python3-avro.
 * Skipped, saying why, only where python3 or those modules are missing (.ci/run installs them).
 */
class PythonConsumerIT {
  static final Path SCRIPT = Path.of("../../examples/python/alerts_consumer.py");

  @TempDir Path dir;

  /** A python3 that has both libraries: Debian's own first, since they are installed for it. */
  static String python() throws Exception {
    for (String candidate : List.of("/usr/bin/python3", "python3")) {
      try {
        Process check =
            new ProcessBuilder(candidate, "-c", "import confluent_kafka, avro")
                .redirectErrorStream(true)
                .start();
        if (check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException e) {
        // no such interpreter
      }
    }
    return null;
  }

  @Test
  void thePythonExampleReadsEveryAlertOfTheSeedStory() throws Exception {
    String python = python();
    Assumptions.assumeTrue(
        python != null,
        "skipped: no python3 with the modules confluent_kafka and avro"
            + " (apt-get install python3-confluent-kafka python3-avro, as .ci/run does)");
    try (TestCluster cluster = TestCluster.single()) {
      String bootstrap = cluster.bootstrapServers();
      assertThat(Cli.run("topics", "create", "-b", bootstrap, "--partitions", "3").exit()).isZero();
      try (ParleyInstance parley =
              ParleyInstance.start(
                  new ParleyInstance.Settings(
                      bootstrap,
                      Map.of(),
                      dir.resolve("streams"),
                      "parley-python-it",
                      null,
                      DeadlineClock.DEFAULT_HORIZONS,
                      "it"));
          EventPublisher publisher =
              new EventPublisher(bootstrap, Map.of(), Topics.standard().events(), "it")) {
        publisher.publish(SeedStory.events());
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () ->
                    Cli.run("tail", "alerts", "--from-beginning", "--exit-at-end", "-b", bootstrap)
                            .out()
                            .lines()
                            .count()
                        == 10);
      }
      Path out = dir.resolve("out.txt");
      Path err = dir.resolve("err.txt");
      Process consumer =
          new ProcessBuilder(
                  python,
                  SCRIPT.toString(),
                  "--bootstrap-server",
                  bootstrap,
                  "--schemas",
                  "../../schemas",
                  "--max",
                  "10",
                  "--idle-seconds",
                  "60")
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      assertThat(consumer.waitFor(3, TimeUnit.MINUTES))
          .as("the consumer ends after 10 alerts")
          .isTrue();
      assertThat(consumer.exitValue()).as(Files.readString(err)).isZero();

      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
      List<String> java =
          Cli.run("tail", "alerts", "--from-beginning", "--exit-at-end", "-b", bootstrap)
              .out()
              .lines()
              .toList();
      assertThat(lines).hasSize(10);
      assertThat(lines.stream().map(PythonConsumerIT::alertId).sorted())
          .containsExactlyElementsOf(
              java.stream().map(PythonConsumerIT::alertId).sorted().toList());
      JsonNode first = JsonForm.MAPPER.readTree(lines.get(0));
      assertThat(first.get("talkId").asText()).isEqualTo(SeedStory.TALK_ID);
      assertThat(first.get("eventTime").asText())
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }
  }

  private static String alertId(String json) {
    try {
      return JsonForm.MAPPER.readTree(json).get("alertId").asText();
    } catch (IOException e) {
      throw new AssertionError(json, e);
    }
  }
}
