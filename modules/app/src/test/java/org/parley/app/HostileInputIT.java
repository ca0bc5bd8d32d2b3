package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.avro.CommitmentMade;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.Source;
import org.parley.avro.TalkAnnounced;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventPublisher;
import org.parley.model.SeedStory;
import org.parley.topology.DeadLetter;
import org.parley.topology.TalkLimit;

/**
 * The ways found to stop, freeze or fool Parley (issue 11), each tried against a running Parley on
 * a real broker: a talk filled past its state limit, a huge key, a client that never reads its
 * replay, bodies that are huge, chunked, hostile or in the wrong charset, too many asOf folds, a
 * record on the alerts topic that is not an alert, a corrupt import. After each, valid events are
 * still folded and the pipeline runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {
  @TempDir static Path dir;

  private TestCluster cluster;
  private ParleyInstance parley;
  private Http http;
  private String bootstrap;
  private int port;

  @BeforeAll
  void start() throws Exception {
    cluster = TestCluster.single();
    bootstrap = cluster.bootstrapServers();
    assertThat(Cli.run("topics", "create", "-b", bootstrap).exit()).isZero();
    port = GatewayIT.freePort();
    parley =
        ParleyInstance.start(
            new ParleyInstance.Settings(
                bootstrap,
                Map.of(),
                dir.resolve("streams"),
                "parley",
                null,
                DeadlineClock.DEFAULT_HORIZONS,
                "it",
                new Gateway.Settings("localhost", port, "localhost", GatewayIT.TOKEN)));
    http = new Http("http://localhost:" + port);
    try (EventPublisher publisher =
        new EventPublisher(bootstrap, Map.of(), Topics.standard().events(), "it")) {
      publisher.publish(SeedStory.events());
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                http.get("/health").status() == 200 && http.get("/api/alerts").json().size() >= 10);
  }

  @AfterAll
  void stop() throws Exception {
    parley.close();
    cluster.close();
  }

  // ------------------------------------------------------------------ helpers

  private static DiplomaticEvent event(String talkId, String eventId, Object payload) {
    Instant at = Instant.parse("2016-09-09T10:00:00Z");
    return DiplomaticEvent.newBuilder()
        .setEventId(eventId)
        .setTalkId(talkId)
        .setOccurredAt(at)
        .setRecordedAt(at)
        .setSource(new Source("desk", null, null))
        .setPayload(payload)
        .build();
  }

  private static DiplomaticEvent announce(String talkId) {
    return event(
        talkId,
        talkId + "-announced",
        new TalkAnnounced("Talks " + talkId, List.of("A", "B"), List.of(), null, "A", null));
  }

  /** About 60 KB: 30 conditions of 1,990 characters, under the 64 KiB an event may have. */
  private static DiplomaticEvent heavy(String talkId, int n) {
    List<String> conditions =
        Collections.nCopies(30, ("condition " + n + " ").repeat(200).substring(0, 1_990));
    return event(
        talkId,
        "heavy-" + n,
        new CommitmentMade(
            "c" + n,
            "Russia",
            "Halt airstrikes",
            null,
            CommitmentStatus.PLEDGED,
            conditions,
            List.of(),
            null));
  }

  private static String json(DiplomaticEvent event) {
    return org.parley.model.Events.toJson(event);
  }

  private Path ndjson(String name, List<DiplomaticEvent> events) throws Exception {
    List<String> lines = new ArrayList<>();
    events.forEach(e -> lines.add(json(e)));
    return Files.write(dir.resolve(name), lines);
  }

  private void awaitFolded(String talkId) {
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> http.get("/api/talks/" + talkId).status() == 200);
  }

  private List<String> deadLetterReasons() {
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
    return reasons;
  }

  private void assertStillRunning(String probeTalk) throws Exception {
    try (EventPublisher publisher =
        new EventPublisher(bootstrap, Map.of(), Topics.standard().events(), "it")) {
      publisher.publish(List.of(announce(probeTalk)));
    }
    awaitFolded(probeTalk);
    assertThat(parley.pipeline().streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    assertThat(http.get("/health").json().get("status").asText()).isEqualTo("UP");
  }

  // ------------------------------------------------------------------ item 1: what the pipeline
  // cannot write

  @Test
  void aTalkFilledPastItsStateLimitRefusesTheRestAtEveryDoorAndThePipelineCarriesOn()
      throws Exception {
    // Three files that each pass publish's check, but together would take the talk to 8.4 MB.
    List<DiplomaticEvent> all = new ArrayList<>();
    for (int i = 0; i < 141; i++) {
      all.add(heavy("heavy", i));
    }
    assertThat(
            Cli.run(
                    "publish",
                    ndjson("heavy-0.ndjson", List.of(announce("heavy"))).toString(),
                    "-b",
                    bootstrap)
                .exit())
        .isZero();
    for (int f = 0; f < 3; f++) {
      Cli cli =
          Cli.run(
              "publish",
              ndjson("heavy-" + (f + 1) + ".ndjson", all.subList(f * 47, f * 47 + 47)).toString(),
              "-b",
              bootstrap);
      assertThat(cli.exit()).as(cli.err()).isZero();
    }
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                deadLetterReasons().stream()
                        .filter(r -> r.startsWith("REFUSED") && r.contains("talk 'heavy' is full"))
                        .count()
                    >= 141 - 70);
    assertStillRunning("after-heavy");
    long refused =
        deadLetterReasons().stream().filter(r -> r.contains("talk 'heavy' is full")).count();
    int commitments = http.get("/api/talks/heavy").json().get("commitments").size();
    assertThat(commitments + refused).as("every heavy event applied or refused").isEqualTo(141);

    // The HTTP door sees the talk is full and says so before publishing.
    Http.Response more = http.post("/api/events", json(heavy("heavy", 500)), GatewayIT.TOKEN);
    assertThat(more.status()).isEqualTo(422);
    assertThat(more.json().get("problems").get(0).get("message").asText())
        .contains("talk 'heavy' is full");

    // publish refuses a file that alone would fill a talk, and publishes nothing of it.
    List<DiplomaticEvent> file = new ArrayList<>(List.of(announce("heavy-file")));
    for (int i = 0; i < 80; i++) {
      file.add(heavy("heavy-file", i));
    }
    Cli cli = Cli.run("publish", ndjson("heavy-file.ndjson", file).toString(), "-b", bootstrap);
    assertThat(cli.exit()).isEqualTo(1);
    assertThat(cli.err())
        .contains("talk 'heavy-file' is full")
        .contains("nothing was published")
        .contains(String.valueOf(TalkLimit.MAX_STATE_BYTES));
  }

  @Test
  void aRecordWithAHugeKeyIsRefusedByTheBrokerOrDeadLetteredWithoutItsKey() throws Exception {
    byte[] value = org.parley.model.RecordCodec.events().encode(announce("huge-key"));
    Map<String, Object> config =
        new HashMap<>(Map.of("bootstrap.servers", bootstrap, "max.request.size", 16 * 1024 * 1024));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      byte[] enormous = "k".repeat(4_500_000).getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(
              () -> producer.send(new ProducerRecord<>(Topics.EVENTS, enormous, value)).get())
          .as("the events topic takes records of at most 1 MiB")
          .hasCauseInstanceOf(RecordTooLargeException.class);
      // Under the topic's limit, but its key copied into a dead letter (twice, once in the reason)
      // would not fit.
      byte[] large = "k".repeat(900_000).getBytes(StandardCharsets.UTF_8);
      producer.send(new ProducerRecord<>(Topics.EVENTS, large, value)).get();
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                deadLetterReasons().stream()
                    .anyMatch(
                        r -> r.startsWith("MISROUTED") && r.contains("(899,900 more characters)")));
    assertStillRunning("after-huge-key");
  }

  // ------------------------------------------------------------------ item 4: the live feed

  @Test
  void aClientThatNeverReadsItsReplayBlocksNeitherQueriesNorOtherStreams() throws Exception {
    // Enough alerts in the feed's memory that replaying them cannot fit in the sockets' buffers.
    String action = "Halt airstrikes and ".repeat(95);
    try (EventPublisher publisher =
        new EventPublisher(bootstrap, Map.of(), Topics.standard().events(), "it")) {
      for (int t = 0; t < 40; t++) {
        List<DiplomaticEvent> batch = new ArrayList<>(List.of(announce("loud-" + t)));
        for (int i = 0; i < 100; i++) {
          batch.add(
              event(
                  "loud-" + t,
                  "loud-" + i,
                  new CommitmentMade(
                      "c" + i,
                      "Russia",
                      action,
                      null,
                      CommitmentStatus.PLEDGED,
                      List.of(),
                      List.of(),
                      null)));
        }
        publisher.publish(batch);
      }
    }
    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> http.get("/api/alerts?limit=10000&talk=loud-39").json().size() == 101);

    try (Socket silent = new Socket()) {
      silent.setReceiveBufferSize(4096);
      silent.connect(new InetSocketAddress("localhost", port));
      OutputStream request = silent.getOutputStream();
      request.write(
          ("GET /api/alerts/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                  + "Last-Event-ID: 0:0\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      request.flush();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> http.get("/health").json().get("alertFeed").get("streams").asInt() >= 1);

      // Queries answer, and another client gets a new alert live, while the silent one sits on its
      // replay.
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> alerts =
            client.send(
                HttpRequest.newBuilder(URI.create(http.base() + "/api/alerts"))
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(alerts.statusCode()).isEqualTo(200);
      }
      HttpResponse<java.io.InputStream> stream =
          client.send(
              HttpRequest.newBuilder(
                      URI.create(http.base() + "/api/alerts/stream?talk=live-after-silent"))
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (EventPublisher publisher =
          new EventPublisher(bootstrap, Map.of(), Topics.standard().events(), "it")) {
        publisher.publish(List.of(announce("live-after-silent")));
      }
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
      ExecutorService reader = Executors.newSingleThreadExecutor();
      Future<String> data =
          reader.submit(
              () -> {
                String line;
                while ((line = lines.readLine()) != null) {
                  if (line.startsWith("data:")) {
                    return line;
                  }
                }
                return null;
              });
      assertThat(data.get(60, TimeUnit.SECONDS)).contains("live-after-silent");
      stream.body().close();
      reader.shutdownNow();
    }
    // Both clients gone: each is forgotten (the feed notices on its next write or keep-alive).
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> http.get("/health").json().get("alertFeed").get("streams").asInt() == 0);
  }

  // ------------------------------------------------------------------ item 5, 10, 11: what a body
  // may be

  private HttpResponse<String> post(HttpRequest.BodyPublisher body, String contentType)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(http.base() + "/api/events"))
                .header("Authorization", "Bearer " + GatewayIT.TOKEN)
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60))
                .POST(body)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aChunkedBodyOverTheLimitIsRefusedWithoutBeingRead() throws Exception {
    // One valid event, then 3 MB of white space: valid JSON, sent without a Content-Length.
    byte[] body =
        (BadInputs.statement("chunked-1", "fine") + " ".repeat(3_000_000))
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response =
        post(
            HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)),
            "application/json");
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("over the limit of " + Gateway.MAX_BODY_BYTES + " bytes");
  }

  @Test
  void aBodyOfManyBadEventsListsAHundredProblemsAndCountsTheRestAndTooManyEventsAreRefusedUnread()
      throws Exception {
    Http.Response tooMany =
        http.post("/api/events", "[" + "{},".repeat(99_999) + "{}]", GatewayIT.TOKEN);
    assertThat(tooMany.status()).isEqualTo(413);
    assertThat(tooMany.json().get("error").asText())
        .startsWith("100,000 events in one request; the limit is 10,000");

    String body = "[" + "{},".repeat(Gateway.MAX_EVENTS_PER_REQUEST - 1) + "{}]";
    ExecutorService twelve = Executors.newFixedThreadPool(12);
    List<Future<Http.Response>> answers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      answers.add(twelve.submit(() -> http.post("/api/events", body, GatewayIT.TOKEN)));
    }
    for (Future<Http.Response> answer : answers) {
      Http.Response response = answer.get(2, TimeUnit.MINUTES);
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.json().get("problems")).hasSize(Gateway.MAX_PROBLEMS_LISTED);
      assertThat(response.json().get("error").asText())
          .matches(
              "[0-9,]+ problem\\(s\\) \\(the first 100 are listed, and [0-9,]+ more\\); nothing was published");
      assertThat(response.body().length()).isLessThan(50_000);
    }
    twelve.shutdown();
    assertThat(http.get("/health").status()).isEqualTo(200);
  }

  @Test
  void aBodyInAnotherCharsetOrWithABogusOneIsRefusedByName() throws Exception {
    String ok = BadInputs.statement("charset-1", "fine");
    HttpResponse<String> bogus =
        post(HttpRequest.BodyPublishers.ofString(ok), "application/json; charset=bogus-9");
    assertThat(bogus.statusCode()).isEqualTo(415);
    assertThat(bogus.body()).contains("charset=bogus-9");
    HttpResponse<String> latin =
        post(HttpRequest.BodyPublishers.ofString(ok), "application/json; charset=ISO-8859-1");
    assertThat(latin.statusCode()).isEqualTo(415);

    // A Latin-1 é in a talk id, with no charset said: refused by its byte offset, not read as
    // U+FFFD.
    byte[] bytes =
        ok.replace("\"geneva\"", "\"gen\u00e9va\"").getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(bytes, (byte) 0xE9);
    HttpResponse<String> undecodable =
        post(HttpRequest.BodyPublishers.ofByteArray(bytes), "application/json");
    assertThat(undecodable.statusCode()).isEqualTo(400);
    assertThat(undecodable.body()).contains("not UTF-8: byte " + at + " (0xE9)");
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  // ------------------------------------------------------------------ item 6: asOf, bounded

  @Test
  void asOfFoldsAreLimitedInNumberAndTimeAndStoppedWhenTooLong() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(2);
    Gateway.TalkHistory slow =
        (talkId, asOf) -> {
          try {
            Thread.sleep(
                Duration.ofMinutes(10)
                    .toMillis()); // a fold of a partition far too long to wait for
          } catch (InterruptedException e) {
            interrupted.countDown();
          }
          return Optional.empty();
        };
    int slowPort = GatewayIT.freePort();
    try (Gateway gateway =
        Gateway.start(
            new Gateway.Settings("localhost", slowPort, "localhost", "t"),
            ParleyInstance.gatewayBackend(parley.pipeline(), null, slow),
            new Gateway.AsOfLimits(2, Duration.ofSeconds(3)))) {
      Http slowHttp = new Http("http://localhost:" + slowPort);
      String path = "/api/talks/" + SeedStory.TALK_ID + "?asOf=2016-09-08T16:30:00Z";
      ExecutorService clients = Executors.newFixedThreadPool(2);
      Future<Http.Response> first = clients.submit(() -> slowHttp.get(path));
      Future<Http.Response> second = clients.submit(() -> slowHttp.get(path));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Http.Response third = slowHttp.get(path);
                return third.status() == 429
                    && "5".equals(third.header("Retry-After"))
                    && third.json().get("error").asText().contains("already folding 2 talks");
              });
      for (Future<Http.Response> answer : List.of(first, second)) {
        Http.Response response = answer.get(1, TimeUnit.MINUTES);
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isNotNull();
        assertThat(response.json().get("error").asText())
            .contains("took longer than the limit of 3 s");
      }
      assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("both folds were stopped").isTrue();
      clients.shutdown();
    }
  }

  @Test
  void anAsOfFoldIsStoppedWhenItsClientLeaves() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    Gateway.TalkHistory slow =
        (talkId, asOf) -> {
          if (calls.getAndIncrement() > 0) {
            return Optional.empty(); // only the first fold is slow
          }
          started.countDown();
          try {
            Thread.sleep(Duration.ofMinutes(10).toMillis());
          } catch (InterruptedException e) {
            interrupted.countDown();
          }
          return Optional.empty();
        };
    int slowPort = GatewayIT.freePort();
    // A time limit far beyond the wait below: only the client's leaving can stop this fold in time.
    try (Gateway gateway =
        Gateway.start(
            new Gateway.Settings("localhost", slowPort, "localhost", "t"),
            ParleyInstance.gatewayBackend(parley.pipeline(), null, slow),
            new Gateway.AsOfLimits(1, Duration.ofMinutes(5)))) {
      try (Socket client = new Socket("localhost", slowPort)) {
        client
            .getOutputStream()
            .write(
                ("GET /api/talks/"
                        + SeedStory.TALK_ID
                        + "?asOf=2016-09-08T16:30:00Z HTTP/1.1\r\n"
                        + "Host: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        assertThat(started.await(60, TimeUnit.SECONDS)).as("the fold started").isTrue();
      }
      assertThat(interrupted.await(60, TimeUnit.SECONDS))
          .as("the fold was stopped when its client left")
          .isTrue();
      // Its slot is free again: the next question is answered (404: the stand-in history knows no
      // talk).
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  new Http("http://localhost:" + slowPort)
                          .get("/api/talks/x?asOf=2016-09-08T16:30:00Z")
                          .status()
                      == 404);
    }
  }

  // ------------------------------------------------------------------ item 8: a poison record on
  // the alerts topic

  @Test
  void aRecordOnTheAlertsTopicThatIsNotAnAlertIsSkippedAndReported() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.ALERTS,
                  "poison".getBytes(StandardCharsets.UTF_8),
                  "not an alert".getBytes(StandardCharsets.UTF_8)))
          .get();
    }
    assertStillRunning("after-poison");
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> http.get("/api/alerts?talk=after-poison").json().size() == 1);
    var feed = http.get("/health").json().get("alertFeed");
    assertThat(feed.get("skippedRecords").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(feed.get("lastSkipped").asText()).contains(Topics.ALERTS);

    Cli tail = Cli.run("tail", "alerts", "--from-beginning", "--exit-at-end", "-b", bootstrap);
    assertThat(tail.exit()).isZero();
    assertThat(tail.err()).contains("skipped " + Topics.ALERTS);
    assertThat(tail.out()).contains("after-poison");
  }

  // ------------------------------------------------------------------ item 14: a corrupt import

  @Test
  void aTruncatedOrCorruptAvroImportNamesWhereAndImportsNothing() throws Exception {
    Path avro = dir.resolve("log.avro");
    try (DataFileWriter<DiplomaticEvent> writer =
        new DataFileWriter<>(new SpecificDatumWriter<>(DiplomaticEvent.class))) {
      writer.setSyncInterval(64); // a block every few records
      writer.create(DiplomaticEvent.getClassSchema(), avro.toFile());
      for (int i = 0; i < 200; i++) {
        writer.append(
            event(
                "imported",
                "imp-" + i,
                new CommitmentMade(
                    "c" + i,
                    "A",
                    "Act",
                    null,
                    CommitmentStatus.PLEDGED,
                    List.of(),
                    List.of(),
                    null)));
      }
    }
    byte[] whole = Files.readAllBytes(avro);
    Path truncated =
        Files.write(
            dir.resolve("truncated.avro"), java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
    Cli cut = Cli.run("import", truncated.toString(), "-b", bootstrap);
    assertThat(cut.exit()).isEqualTo(1);
    assertThat(cut.err())
        .contains("is truncated: the block at byte offset")
        .contains("nothing was imported");

    // The sync marker that ends the second block, damaged: Avro finds it out of place.
    byte[] sync = java.util.Arrays.copyOfRange(whole, whole.length - 16, whole.length);
    int third = -1;
    for (int found = 0, i = 0; i <= whole.length - 16 && found < 3; i++) {
      if (java.util.Arrays.equals(whole, i, i + 16, sync, 0, 16)) {
        found++;
        third = i;
      }
    }
    byte[] corrupt = whole.clone();
    corrupt[third + 3] ^= 0x55;
    Cli bad =
        Cli.run(
            "import",
            Files.write(dir.resolve("corrupt.avro"), corrupt).toString(),
            "-b",
            bootstrap);
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("byte offset");

    Cli header =
        Cli.run(
            "import",
            Files.write(dir.resolve("header.avro"), java.util.Arrays.copyOf(whole, 20)).toString(),
            "-b",
            bootstrap);
    assertThat(header.exit()).isEqualTo(1);
    assertThat(header.err()).contains("header");
    assertThat(http.get("/api/talks/imported").status()).as("nothing was imported").isEqualTo(404);
  }
}
