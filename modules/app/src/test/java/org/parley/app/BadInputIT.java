package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.avro.DiplomaticEvent;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.gateway.Gateway;
import org.parley.model.RecordCodec;
import org.parley.topology.DeadLetter;

/**
 * Every kind of bad input through every door: `parley publish`, POST /api/events and raw bytes on
 * the events topic. Each is refused with its reason, or dead-lettered with it; the pipeline never
 * stops, and every valid event sent between them is folded.
 */
class BadInputIT {
  @TempDir Path dir;

  @Test
  void
      everyBadInputIsRefusedOrDeadLetteredWithItsReasonTheValidOnesAroundItAreFoldedAndARebuildDoesTheSame()
          throws Exception {
    List<BadInputs.Json> json = BadInputs.json();
    List<BadInputs.Refused> refused = BadInputs.refused();
    List<BadInputs.Raw> raw = BadInputs.raw();
    assertThat(json.size() + refused.size() + raw.size()).isGreaterThanOrEqualTo(50);

    try (TestCluster cluster = TestCluster.single()) {
      String bootstrap = cluster.bootstrapServers();
      Cli.run("topics", "create", "-b", bootstrap);
      int port = GatewayIT.freePort();
      try (ParleyInstance parley =
          ParleyInstance.start(
              new ParleyInstance.Settings(
                  bootstrap,
                  Map.of(),
                  dir.resolve("streams"),
                  "parley",
                  null,
                  DeadlineClock.DEFAULT_HORIZONS,
                  "it",
                  new Gateway.Settings("localhost", port, "localhost", GatewayIT.TOKEN)))) {
        Http http = new Http("http://localhost:" + port);
        publish(
            bootstrap,
            List.of(
                BadInputs.announce(
                    "base-1",
                    "{\"title\":\"Geneva\",\"parties\":[\"Russia\",\"United States\"],\"announcedBy\":\"Russia\"}"),
                BadInputs.event(
                    "CommitmentMade",
                    "base-2",
                    "{\"commitmentId\":\"c1\",\"party\":\"Russia\",\"action\":\"Halt airstrikes\"}"),
                BadInputs.event(
                    "DeadlineSet",
                    "base-3",
                    "{\"deadlineId\":\"d1\",\"description\":\"Vote\",\"dueAt\":\"2016-10-01T00:00:00Z\"}"),
                BadInputs.event(
                    "StickingPointRaised",
                    "base-4",
                    "{\"stickingPointId\":\"s1\",\"description\":\"Targets\"}")));
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> http.get("/api/talks/geneva").status() == 200);
        long eventsBefore = count(bootstrap, Topics.EVENTS);

        // Door 1: parley publish. The whole file is refused, naming the bad line.
        for (BadInputs.Json bad : json) {
          Path file =
              Files.writeString(
                  dir.resolve("bad.ndjson"),
                  BadInputs.statement("ok-cli", "fine") + "\n" + bad.line() + "\n");
          Cli cli = Cli.run("publish", file.toString(), "-b", bootstrap);
          assertThat(cli.exit()).as(bad.name()).isEqualTo(1);
          assertThat(cli.err()).as(bad.name()).contains("line 2: ").contains(bad.reason());
        }
        // Door 2: POST /api/events. The whole request is refused with the reason.
        for (BadInputs.Json bad : json) {
          Http.Response response =
              http.post(
                  "/api/events",
                  "[" + BadInputs.statement("ok-http", "fine") + "," + bad.line() + "]",
                  GatewayIT.TOKEN);
          assertThat(response.status()).as(bad.name()).isEqualTo(400);
          assertThat(said(response)).as(bad.name()).contains(bad.reason());
        }
        assertThat(count(bootstrap, Topics.EVENTS))
            .as("nothing bad got through the doors")
            .isEqualTo(eventsBefore);

        // Events that are valid on their own but cannot apply: published by both doors, then
        // dead-lettered.
        for (BadInputs.Refused bad : refused) {
          Path file =
              Files.writeString(dir.resolve("refused.ndjson"), withId(bad.line(), "-cli") + "\n");
          assertThat(Cli.run("publish", file.toString(), "-b", bootstrap).exit())
              .as(bad.name())
              .isZero();
          assertThat(
                  http.post("/api/events", withId(bad.line(), "-http"), GatewayIT.TOKEN).status())
              .as(bad.name())
              .isEqualTo(202);
        }

        // Door 3: raw bytes on the topic, each between two valid events.
        int valid = 0;
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
          for (BadInputs.Refused bad : refused) {
            DiplomaticEvent event =
                new org.parley.ingest.EventLines(java.time.Clock.systemUTC())
                    .parse(withId(bad.line(), "-raw"));
            producer.send(
                new ProducerRecord<>(
                    Topics.EVENTS, key(event.getTalkId()), RecordCodec.events().encode(event)));
          }
          for (BadInputs.Raw bad : raw) {
            producer.send(record(BadInputs.statementEvent("valid-" + valid++)));
            producer.send(
                new ProducerRecord<>(
                    Topics.EVENTS, bad.key() == null ? null : key(bad.key()), bad.value().get()));
          }
          producer.send(record(BadInputs.statementEvent("valid-" + valid++)));
          producer.flush();
        }

        int expected = refused.size() * 3 + raw.size();
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> count(bootstrap, Topics.DEAD_LETTERS) >= expected);
        List<String> reasons = new ArrayList<>();
        TopicReader.byPartition(
                bootstrap,
                Topics.DEAD_LETTERS,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())
            .values()
            .forEach(
                records ->
                    records.forEach(
                        r ->
                            reasons.add(
                                DeadLetter.header(r.headers(), DeadLetter.KIND)
                                    + " "
                                    + DeadLetter.header(r.headers(), DeadLetter.REASON))));
        assertThat(reasons).hasSize(expected);
        for (BadInputs.Refused bad : refused) {
          String id = bad.line().replaceFirst(".*\"eventId\":\"([^\"]*)\".*", "$1");
          assertThat(reasons)
              .as(bad.name())
              .filteredOn(r -> r.startsWith("REFUSED") && r.contains(bad.reason()))
              .filteredOn(r -> r.contains("'" + id + "-"))
              .hasSize(3);
        }
        for (BadInputs.Raw bad : raw) {
          assertThat(reasons).as(bad.name()).anyMatch(r -> r.contains(bad.reason()));
        }

        int validSent = valid;
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () ->
                    http.get("/api/talks/geneva").json().get("eventCount").asInt()
                        == 4 + validSent);
        assertThat(parley.pipeline().streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(http.get("/health").status()).isEqualTo(200);

        // A rebuild folds the same log outside Kafka Streams: it must refuse the same records, for
        // the same reasons, and come to the same talks.
        Cli rebuild =
            Cli.run("rebuild", "-b", bootstrap, "--data-dir", dir.resolve("rebuild").toString());
        assertThat(rebuild.exit()).as(rebuild.err()).isZero();
        assertThat(rebuild.out()).contains(String.format("dead-lettered %,d", expected));
        String letters =
            rebuild.out().replaceFirst("(?s).*dead letters +[0-9,]+ +-> (\\S+).*", "$1");
        String states = rebuild.out().replaceFirst("(?s).*talk states +[0-9,]+ +-> (\\S+).*", "$1");
        assertThat(letters).startsWith(Topics.DEAD_LETTERS + ".rebuild-");
        assertThat(deadLetters(bootstrap, letters))
            .hasSize(expected)
            .isEqualTo(deadLetters(bootstrap, Topics.DEAD_LETTERS));
        Cli diff = Cli.run("diff", "-b", bootstrap, "--right", states);
        assertThat(diff.exit()).as(diff.out()).isZero();
      }
    }
  }

  /**
   * Every dead letter of a topic, as what it says and carries, in the order of the records they
   * came from (a record with no key goes to any partition of the dead-letter topic).
   */
  private static List<String> deadLetters(String bootstrap, String topic) {
    List<String> letters = new ArrayList<>();
    TopicReader.byPartition(
            bootstrap, topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
        .values()
        .forEach(
            records ->
                records.forEach(
                    r -> {
                      StringBuilder letter = new StringBuilder();
                      for (String header :
                          List.of(
                              DeadLetter.SOURCE_PARTITION,
                              DeadLetter.SOURCE_OFFSET,
                              DeadLetter.SOURCE_TOPIC,
                              DeadLetter.KIND,
                              DeadLetter.REASON,
                              DeadLetter.NOT_COPIED)) {
                        letter.append(DeadLetter.header(r.headers(), header)).append(" | ");
                      }
                      letter
                          .append(r.key() == null ? "-" : HexFormat.of().formatHex(r.key()))
                          .append(" | ")
                          .append(r.value() == null ? "-" : HexFormat.of().formatHex(r.value()));
                      letters.add(letter.toString());
                    }));
    letters.sort(
        Comparator.comparing((String l) -> Integer.parseInt(l.split(" \\| ")[0]))
            .thenComparing(l -> Long.parseLong(l.split(" \\| ")[1])));
    return letters;
  }

  private static String withId(String line, String suffix) {
    return line.replaceFirst("\"eventId\":\"([^\"]*)\"", "\"eventId\":\"$1" + suffix + "\"");
  }

  /** What a 400 says, as a person reads it: the error, then each problem as "field: message". */
  private static String said(Http.Response response) {
    var body = response.json();
    StringBuilder text = new StringBuilder(body.get("error").asText());
    if (body.has("problems")) {
      body.get("problems")
          .forEach(
              p ->
                  text.append("\n")
                      .append(
                          p.get("field").asText().isEmpty() ? "" : p.get("field").asText() + ": ")
                      .append(p.get("message").asText()));
    }
    return text.toString();
  }

  private static byte[] key(String talkId) {
    return talkId.getBytes(StandardCharsets.UTF_8);
  }

  private static ProducerRecord<byte[], byte[]> record(DiplomaticEvent event) {
    return new ProducerRecord<>(
        Topics.EVENTS, key(event.getTalkId()), RecordCodec.events().encode(event));
  }

  private static void publish(String bootstrap, List<String> lines) throws Exception {
    Path file = Files.createTempFile("base", ".ndjson");
    Files.write(file, lines);
    assertThat(Cli.run("publish", file.toString(), "-b", bootstrap).exit()).isZero();
  }

  private static long count(String bootstrap, String topic) {
    return TopicReader.byPartition(
            bootstrap, topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
        .values()
        .stream()
        .mapToLong(List::size)
        .sum();
  }
}
