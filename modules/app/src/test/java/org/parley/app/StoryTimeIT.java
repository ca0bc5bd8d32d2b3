package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.runtime.TopicAdmin;
import org.parley.avro.Alert;
import org.parley.avro.AlertType;
import org.parley.avro.DiplomaticEvent;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.core.InMemoryLedger;
import org.parley.core.PartitionFold;
import org.parley.core.TalkFold;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventLines;
import org.parley.model.EventScript;
import org.parley.model.JsonForm;
import org.parley.model.RecordCodec;
import org.parley.topology.DeadLetter;

/**
 * Time you can trust, on a real broker with Parley's own ticker running: a 2016 story published
 * into a Parley whose clock is already at today reads in story time, as-of answers in story time,
 * and nobody but the ticker moves the clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoryTimeIT {
  static final String TALK = "syria-ceasefire-sept-2016";
  static final Duration QUIET = Duration.ofSeconds(3);
  static final String TOKEN = "story-time-token";

  /** The September 2016 cease-fire, published years later in one file. */
  static final String STORY =
      String.join(
              "\n",
              event(
                  "st-01",
                  "2016-09-09T18:00:00Z",
                  "TalkAnnounced",
                  "{\"title\":\"Kerry-Lavrov cease-fire\",\"parties\":"
                      + "[\"United States\",\"Russia\"],\"mediators\":[],\"venue\":\"Geneva\",\"announcedBy\":\"U.S. State Department\"}"),
              event(
                  "st-02",
                  "2016-09-09T20:00:00Z",
                  "CommitmentMade",
                  "{\"commitmentId\":\"russia-ground-syrian-jets\","
                      + "\"party\":\"Russia\",\"action\":\"Ground Syrian government aircraft\",\"counterparty\":\"United States\","
                      + "\"conditions\":[],\"conditionalOn\":[],\"status\":\"PLEDGED\"}"),
              event(
                  "st-03",
                  "2016-09-09T21:00:00Z",
                  "AgreementReached",
                  "{\"agreementId\":\"ceasefire\",\"kind\":\"CEASE_FIRE\","
                      + "\"summary\":\"Nationwide cease-fire from 12 September\",\"parties\":[\"United States\",\"Russia\"],"
                      + "\"inEffect\":[\"russia-ground-syrian-jets\"]}"),
              event(
                  "st-04",
                  "2016-09-12T17:00:00Z",
                  "DeadlineSet",
                  "{\"deadlineId\":\"seven-days-of-calm\",\"description\":"
                      + "\"Seven days of calm before joint targeting\",\"dueAt\":\"2016-09-19T17:00:00Z\"}"),
              event(
                  "st-05",
                  "2016-09-14T12:00:00Z",
                  "DeadlineMoved",
                  "{\"deadlineId\":\"seven-days-of-calm\","
                      + "\"dueAt\":\"2016-09-21T17:00:00Z\",\"reason\":\"Aid deliveries delayed\"}"),
              event(
                  "st-06",
                  "2016-09-19T19:00:00Z",
                  "CommitmentStatusChanged",
                  "{\"commitmentId\":\"russia-ground-syrian-jets\","
                      + "\"status\":\"BREACHED\",\"reason\":\"Aid convoy struck near Aleppo\"}"),
              event(
                  "st-07",
                  "2016-10-01T12:00:00Z",
                  "DeadlineSet",
                  "{\"deadlineId\":\"ultimatum\",\"description\":"
                      + "\"Russia to stop the bombing of Aleppo\",\"dueAt\":\"2016-10-10T00:00:00Z\"}"),
              event(
                  "st-08",
                  "2016-10-03T16:00:00Z",
                  "TalkStatusChanged",
                  "{\"status\":\"SUSPENDED\",\"reason\":"
                      + "\"The United States suspends bilateral talks\"}"))
          + "\n";

  static String event(String id, String at, String type, String payload) {
    return "{\"type\":\""
        + type
        + "\",\"eventId\":\""
        + id
        + "\",\"talkId\":\""
        + TALK
        + "\",\"occurredAt\":\""
        + at
        + "\",\"source\":{\"actor\":\"U.S. State Department\",\"outlet\":\"Reuters\"},\"payload\":"
        + payload
        + "}";
  }

  private TestCluster cluster;
  private ParleyInstance parley;
  private Http http;
  private String bootstrap;
  private final Instant started = Instant.now();

  @TempDir static Path dir;

  @BeforeAll
  void startParleyWithItsTickerAndPublishTheStoryAfterTheFirstTick() throws Exception {
    cluster = TestCluster.single();
    bootstrap = cluster.bootstrapServers();
    try (TopicAdmin admin = new TopicAdmin(bootstrap, Map.of())) {
      admin.create(Topics.standard(), 3, (short) 1);
    }
    int port = GatewayIT.freePort();
    parley =
        ParleyInstance.start(
            new ParleyInstance.Settings(
                    bootstrap,
                    Map.of(),
                    dir.resolve("streams"),
                    "parley",
                    Duration.ofMillis(200),
                    DeadlineClock.DEFAULT_HORIZONS,
                    "it",
                    new Gateway.Settings("localhost", port, "localhost", TOKEN))
                .withQuietAfter(QUIET));
    http = new Http("http://localhost:" + port);
    // The log's clock is at today before the story arrives: ticks are on every partition.
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                TopicReader.values(
                            bootstrap,
                            Topics.EVENTS,
                            new StringDeserializer(),
                            new ByteArrayDeserializer())
                        .size()
                    >= 6);
    Path story = dir.resolve("story.ndjson");
    Files.writeString(story, STORY);

    Cli published = Cli.run("publish", story.toString(), "-b", bootstrap);

    assertThat(published.exit()).as(published.err()).isZero();
  }

  @AfterAll
  void stop() throws Exception {
    parley.close();
    cluster.close();
  }

  /** The alerts of the story folded with no ticks at all: what history says, in story time. */
  private static List<String> ticklessAlerts() throws Exception {
    List<DiplomaticEvent> events =
        new EventLines(Clock.systemUTC())
            .read(new ByteArrayInputStream(STORY.getBytes(StandardCharsets.UTF_8)))
            .events();
    PartitionFold fold =
        new PartitionFold(new TalkFold(DeadlineClock.standard()), new InMemoryLedger());
    List<String> alerts = new ArrayList<>();
    for (DiplomaticEvent event : events) {
      ((PartitionFold.Outcome.Applied) fold.accept(event, Instant.now()))
          .alerts()
          .forEach(a -> alerts.add(line(a)));
    }
    return alerts;
  }

  private static String line(Alert a) {
    return a.getAlertId() + " " + a.getType() + " " + a.getSubjectId() + " at " + a.getEventTime();
  }

  private List<Alert> alertsOfTheTalk() {
    return TopicReader.values(
            bootstrap,
            Topics.ALERTS,
            new StringDeserializer(),
            Topics.standard().alerts().valueDeserializer())
        .stream()
        .filter(a -> a.getTalkId().equals(TALK))
        .toList();
  }

  @Test
  void aBackfillReadsInStoryTimeAndWhatItLeftOpenIsMissedOnceWhenItGoesQuiet() throws Exception {
    List<String> history = ticklessAlerts();
    assertThat(history)
        .anyMatch(l -> l.contains("DEADLINE_MISSED seven-days-of-calm at 2016-09-21T17:00:00Z"));

    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> alertsOfTheTalk().size() >= history.size() + 1);
    List<Alert> live = alertsOfTheTalk();

    assertThat(live.subList(0, history.size())).extracting(StoryTimeIT::line).isEqualTo(history);
    assertThat(live.get(history.size()))
        .satisfies(
            miss -> {
              assertThat(miss.getType()).isEqualTo(AlertType.DEADLINE_MISSED);
              assertThat(miss.getSubjectId()).isEqualTo("ultimatum");
              assertThat(miss.getEventTime()).hasToString("2016-10-10T00:00:00Z");
              assertThat(miss.getNoticedAt()).isAfterOrEqualTo(started.minusSeconds(1));
            });
    assertThat(live)
        .filteredOn(a -> a.getType() == AlertType.DEADLINE_MISSED)
        .extracting(Alert::getSubjectId)
        .containsExactly("seven-days-of-calm", "ultimatum");
    assertThat(live)
        .allSatisfy(
            a -> assertThat(a.getEventTime()).isBefore(Instant.parse("2017-01-01T00:00:00Z")));
  }

  @Test
  void asOfABackfilledTalkAnswersInStoryTimeOnTheCommandLineAndOverHttp() throws Exception {
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> http.get("/api/talks/" + TALK).status() == 200);

    Cli cli = Cli.run("talk", TALK, "--as-of", "2016-09-15T00:00:00Z", "-b", bootstrap);
    assertThat(cli.exit()).as(cli.err()).isZero();
    JsonNode talk = JsonForm.MAPPER.readTree(cli.out());
    JsonNode calm = talk.get("deadlines").get(0);
    assertThat(calm.get("status").asText()).isEqualTo("OPEN");
    assertThat(calm.get("dueAt").asText()).isEqualTo("2016-09-21T17:00:00Z");

    Http.Response overHttp = http.get("/api/talks/" + TALK + "?asOf=2016-09-15T00:00:00Z");
    assertThat(overHttp.status()).as(overHttp.body()).isEqualTo(200);
    assertThat(overHttp.json().get("deadlines").get(0).get("status").asText()).isEqualTo("OPEN");

    JsonNode later =
        JsonForm.MAPPER.readTree(
            Cli.run("talk", TALK, "--as-of", "2016-09-22T00:00:00Z", "-b", bootstrap).out());
    assertThat(later.get("deadlines").get(0).get("status").asText()).isEqualTo("MISSED");
    assertThat(later.get("commitments").get(0).get("status").asText()).isEqualTo("BREACHED");
  }

  @Test
  void aClockTickIsRefusedByPublishAndByHttpWithAClearMessage() throws Exception {
    String tick =
        "{\"type\":\"ClockTick\",\"eventId\":\"my-tick\",\"talkId\":\"clock\",\"occurredAt\":"
            + "\"2026-01-01T00:00:00Z\",\"source\":{\"actor\":\"me\"},\"payload\":{\"partition\":0}}";
    Path file = dir.resolve("tick.ndjson");
    Files.writeString(file, tick + "\n");

    Cli cli = Cli.run("publish", file.toString(), "-b", bootstrap);
    Http.Response post = http.post("/api/events", tick, TOKEN);

    assertThat(cli.exit()).isNotZero();
    assertThat(cli.err())
        .contains("line 1: type: ClockTick is Parley's own: only its ticker moves the clock");
    assertThat(post.status()).isEqualTo(400);
    assertThat(post.body()).contains("ClockTick is Parley's own");
  }

  @Test
  void aMistypedYearIsRefusedBeforeAnythingIsPublishedNamingTheLineAndTheField() throws Exception {
    Path file = dir.resolve("typo.ndjson");
    Files.writeString(
        file,
        event(
                "typo-1",
                "2016-09-20T10:00:00Z",
                "StatementIssued",
                "{\"speaker\":\"Spokesman\",\"text\":\"Calm holds\",\"tone\":\"NEUTRAL\"}")
            + "\n"
            + event(
                "typo-2",
                "2062-09-20T10:00:00Z",
                "StatementIssued",
                "{\"speaker\":\"Spokesman\",\"text\":\"Calm holds\",\"tone\":\"NEUTRAL\"}")
            + "\n");

    Cli cli = Cli.run("publish", file.toString(), "-b", bootstrap);

    assertThat(cli.exit()).isNotZero();
    assertThat(cli.err()).contains("line 2: occurredAt: 2062-09-20T10:00:00Z is more than 1 day");
    assertThat(cli.err()).doesNotContain("line 1:");
  }

  @Test
  void aTickFromAnyoneButTheTickerIsDeadLetteredAndMovesNoTalk() throws Exception {
    EventScript quiet = new EventScript("quiet-talk", "2026-01-10T00:00:00Z");
    Path file = dir.resolve("quiet.ndjson");
    Files.writeString(
        file,
        JsonForm.toJson(quiet.announced("Quiet talk", "A", "B"))
            + "\n"
            + JsonForm.toJson(quiet.deadline("far-off", "Far off", "2031-01-01T00:00:00Z"))
            + "\n");
    assertThat(Cli.run("publish", file.toString(), "-b", bootstrap).exit()).isZero();
    DiplomaticEvent forged = quiet.tick("2026-11-26T00:00:00Z");
    forged.setOccurredAt(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    forged.setRecordedAt(forged.getOccurredAt());
    forged.setEventId("forged-tick");

    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.EVENTS,
                  "clock".getBytes(StandardCharsets.UTF_8),
                  RecordCodec.events().encode(forged)))
          .get();
    }

    await().atMost(Duration.ofMinutes(1)).until(() -> deadLetterKinds().contains("FORGED_TICK"));
    assertThat(alertsOfTheTalk()).noneMatch(a -> a.getCauseEventId().equals("forged-tick"));
  }

  private List<String> deadLetterKinds() {
    List<String> kinds = new ArrayList<>();
    TopicReader.byPartition(
            bootstrap,
            Topics.DEAD_LETTERS,
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())
        .values()
        .forEach(
            list ->
                list.forEach(
                    (ConsumerRecord<byte[], byte[]> r) ->
                        kinds.add(DeadLetter.header(r.headers(), DeadLetter.KIND))));
    return kinds;
  }
}
