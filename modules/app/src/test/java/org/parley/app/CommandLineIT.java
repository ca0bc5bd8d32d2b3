package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.model.JsonForm;
import org.parley.model.SeedStory;

/**
 * `parley publish`, `tail` and `topics` against a real broker, through the same entry point as the
 * jar.
 */
class CommandLineIT {
  private TestCluster cluster;
  private String bootstrap;

  @TempDir Path dir;

  @BeforeEach
  void cluster() throws Exception {
    cluster = TestCluster.single();
    bootstrap = cluster.bootstrapServers();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void topicsCreateIsIdempotentAndDescribeShowsEachTopicsSettings() {
    Cli first = Cli.run("topics", "create", "-b", bootstrap, "--partitions", "3");
    Cli second = Cli.run("topics", "create", "-b", bootstrap);

    assertThat(first.exit()).isZero();
    assertThat(first.out()).startsWith("created ");
    assertThat(second.out()).startsWith("all topics exist; nothing created");
    Cli describe = Cli.run("topics", "describe", "-b", bootstrap);
    assertThat(describe.out().lines()).hasSize(4);
    assertThat(describe.out())
        .contains(
            "parley.events.v1  partitions=3 replication=1 cleanup.policy=delete"
                + " max.message.bytes=1048576 retention.bytes=-1 retention.ms=-1");
    assertThat(describe.out())
        .contains("parley.talk-state.v1  partitions=3 replication=1 cleanup.policy=compact");
    assertThat(describe.out()).doesNotContain("DRIFT");
  }

  @Test
  void aFileWithABadLineIsRefusedWholeWithTheLineNumberAndNothingIsPublished() throws Exception {
    Cli.run("topics", "create", "-b", bootstrap);
    List<String> lines = new java.util.ArrayList<>(SeedStory.lines());
    lines.set(
        3,
        lines
            .get(3)
            .replace(
                "\"startsAt\": \"2016-09-09T09:00:00Z\", \"venue\"",
                "\"startsAt\": \"Friday\", \"venue\""));
    Path file = Files.write(dir.resolve("story.ndjson"), lines);

    Cli cli = Cli.run("publish", file.toString(), "-b", bootstrap);

    assertThat(cli.exit()).isEqualTo(1);
    assertThat(cli.err())
        .contains(
            "line 4: payload.startsAt: 'Friday' is not an ISO-8601 time such as"
                + " 2016-09-09T09:00:00Z");
    assertThat(cli.err()).contains("nothing was published: 1 of 13 lines are bad");
    assertThat(
            TopicReader.values(
                bootstrap,
                Topics.EVENTS,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer()))
        .isEmpty();
  }

  @Test
  void aFileThatIsNotUtf8IsRefusedOnItsLine() throws Exception {
    Cli.run("topics", "create", "-b", bootstrap);
    byte[] latin1 =
        ("\n" + SeedStory.lines().get(0).replace("Geneva", "Gen\u00e8ve"))
            .getBytes(StandardCharsets.ISO_8859_1);
    Path file = Files.write(dir.resolve("latin1.ndjson"), latin1);

    Cli cli = Cli.run("publish", file.toString(), "-b", bootstrap);

    assertThat(cli.exit()).isEqualTo(1);
    assertThat(cli.err()).contains("line 2: not valid UTF-8 text (save the file as UTF-8)");
  }

  @Test
  void publishThenTailShowsTheStorysAlertsAndStateAsJsonLines() throws Exception {
    Cli.run("topics", "create", "-b", bootstrap);
    Path file = Files.write(dir.resolve("story.ndjson"), SeedStory.lines());
    try (ParleyInstance parley =
        ParleyInstance.start(
            new ParleyInstance.Settings(
                bootstrap,
                Map.of(),
                dir.resolve("streams"),
                "parley-cli-it",
                null,
                DeadlineClock.DEFAULT_HORIZONS,
                "it"))) {

      Cli publish = Cli.run("publish", file.toString(), "-b", bootstrap);

      assertThat(publish.out().strip())
          .isEqualTo("published 13 events to parley.events.v1 in one transaction");
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  Cli.run("tail", "alerts", "--from-beginning", "--exit-at-end", "-b", bootstrap)
                          .out()
                          .lines()
                          .count()
                      == 10);
      Cli alerts =
          Cli.run(
              "tail",
              "alerts",
              "--from-beginning",
              "--limit",
              "2",
              "--talk",
              SeedStory.TALK_ID,
              "-b",
              bootstrap);
      assertThat(alerts.out().lines())
          .hasSize(2)
          .allSatisfy(
              line ->
                  assertThat(JsonForm.MAPPER.readTree(line).get("talkId").asText())
                      .isEqualTo(SeedStory.TALK_ID));
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  Cli.run("tail", "talks", "--from-beginning", "--exit-at-end", "-b", bootstrap)
                      .out()
                      .contains("\"eventCount\":13"));

      // kcat's way: the record's coordinates around the value, and one line for a person.
      Cli template =
          Cli.run(
              "tail",
              "alerts",
              "--from-beginning",
              "--exit-at-end",
              "-b",
              bootstrap,
              "--format",
              "%t %p/%o %T %D key=%k %S bytes %s\\n");
      Cli text =
          Cli.run(
              "tail", "alerts", "--from-beginning", "--exit-at-end", "-b", bootstrap, "-f", "text");
      assertThat(template.out().lines())
          .hasSize(10)
          .allSatisfy(
              line -> {
                String[] f = line.split(" ", 8);
                assertThat(f[0]).isEqualTo(Topics.ALERTS);
                assertThat(f[1]).matches("\\d+/\\d+");
                assertThat(java.time.Instant.ofEpochMilli(Long.parseLong(f[2])).toString())
                    .isEqualTo(f[3]);
                assertThat(f[4]).isEqualTo("key=" + SeedStory.TALK_ID);
                assertThat(f[6]).isEqualTo("bytes");
                assertThat(Long.parseLong(f[5])).isPositive();
                assertThat(JsonForm.MAPPER.readTree(f[7]).get("talkId").asText())
                    .isEqualTo(SeedStory.TALK_ID);
              });
      assertThat(text.out().lines())
          .hasSize(10)
          .anyMatch(l -> l.matches(".*Z  \\S+\\s+DEADLINE_SET\\s+" + SeedStory.TALK_ID + "  .*"));
      assertThat(Cli.run("tail", "alerts", "-b", bootstrap, "--format", "%q").exit()).isEqualTo(2);
    }
  }

  @Test
  void tailDeadLettersShowsWhyAndWhereARecordWasRefused() throws Exception {
    Cli.run("topics", "create", "-b", bootstrap);
    try (ParleyInstance parley =
            ParleyInstance.start(
                new ParleyInstance.Settings(
                    bootstrap,
                    Map.of(),
                    dir.resolve("streams"),
                    "parley-cli-dlq",
                    null,
                    DeadlineClock.DEFAULT_HORIZONS,
                    "it"));
        KafkaProducer<byte[], byte[]> raw =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      raw.send(
              new ProducerRecord<>(
                  Topics.EVENTS,
                  0,
                  "geneva".getBytes(StandardCharsets.UTF_8),
                  "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8)))
          .get();

      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  !Cli.run(
                          "tail",
                          "dead-letters",
                          "--from-beginning",
                          "--exit-at-end",
                          "-b",
                          bootstrap)
                      .out()
                      .isBlank());
      var letter =
          JsonForm.MAPPER.readTree(
              Cli.run("tail", "dead-letters", "--from-beginning", "--exit-at-end", "-b", bootstrap)
                  .out()
                  .lines()
                  .findFirst()
                  .orElseThrow());
      assertThat(letter.get("kind").asText()).isEqualTo("UNDECODABLE");
      assertThat(letter.get("reason").asText()).contains("looks like JSON");
      assertThat(letter.get("source").get("topic").asText()).isEqualTo(Topics.EVENTS);
      assertThat(letter.get("source").get("partition").asText()).isEqualTo("0");
      assertThat(letter.get("source").get("offset").asText()).isEqualTo("0");
      assertThat(letter.get("valueText").asText()).isEqualTo("{\"not\":\"avro\"}");
    }
  }
}
