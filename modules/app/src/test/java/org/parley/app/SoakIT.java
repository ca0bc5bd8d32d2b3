package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventPublisher;
import org.parley.ingest.SyntheticLog;
import org.parley.model.Events;
import org.parley.model.JsonForm;

/**
 * Everything at once, for a bounded time, on loopback: events published through Kafka and HTTP,
 * HTTP reads, asOf questions, live alert streams (two of them never reading), and hostile input
 * through every door (bad JSON, raw bytes, huge and chunked bodies, a wrong charset). Then every
 * valid event has been folded exactly once, the alerts and states equal a reference fold of the
 * log, the gateway never answered 500, memory after a collection is within bounds, and health is
 * UP.
 *
 * <p>{@code -Dparley.soak.seconds=N} sets how long the load runs (default 90).
 */
class SoakIT {
  private static final Duration LOAD = Duration.ofSeconds(Long.getLong("parley.soak.seconds", 45));
  private static final int TALKS = 200;

  @TempDir Path dir;

  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

  private void count(String what) {
    counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  private long counted(String what) {
    return counts.getOrDefault(what, new AtomicLong()).get();
  }

  /**
   * Runs {@code step} until told to stop; anything it throws is a failure of the test, reported at
   * the end.
   */
  private Runnable loop(String name, ThrowingRunnable step) {
    return () -> {
      while (!stop.get()) {
        try {
          step.run();
        } catch (Exception | AssertionError e) {
          if (!stop.get()) {
            failures.add(name + ": " + e);
          }
        }
      }
    };
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private void expect(String what, int status, int... allowed) {
    for (int a : allowed) {
      if (status == a) {
        count(what + " " + status);
        return;
      }
    }
    failures.add(what + " answered " + status);
  }

  @Test
  void
      underPublishingReadsAsOfStreamsAndHostileInputAllAtOnceEveryValidEventIsFoldedAndNothingGrows()
          throws Exception {
    try (TestCluster cluster = TestCluster.single()) {
      String bootstrap = cluster.bootstrapServers();
      assertThat(Cli.run("topics", "create", "-b", bootstrap).exit()).isZero();
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
        await().atMost(Duration.ofMinutes(1)).until(() -> http.get("/health").status() == 200);
        ExecutorService load = Executors.newCachedThreadPool();
        List<Socket> silent = new ArrayList<>();
        SyntheticLog log = new SyntheticLog(TALKS, Long.MAX_VALUE, 11);
        AtomicLong published = new AtomicLong();

        // Publishers: batches of 100, every fourth over HTTP; paced, so the soak measures staying
        // up, not peak
        // rate.
        EventPublisher publisher =
            new EventPublisher(bootstrap, Map.of(), Topics.standard().events(), "it");
        long[] batch = {0};
        load.submit(
            loop(
                "publish",
                () -> {
                  List<DiplomaticEvent> events = new ArrayList<>();
                  for (int i = 0; i < 100; i++) {
                    events.add(log.next());
                  }
                  if (batch[0]++ % 4 == 3) {
                    StringBuilder body = new StringBuilder("[");
                    events.forEach(
                        e -> body.append(body.length() > 1 ? "," : "").append(Events.toJson(e)));
                    Http.Response response =
                        http.post("/api/events", body.append("]").toString(), GatewayIT.TOKEN);
                    if (response.status() != 202) {
                      failures.add(
                          "HTTP publish answered " + response.status() + ": " + response.body());
                      return;
                    }
                  } else {
                    publisher.publish(events);
                  }
                  published.addAndGet(events.size());
                  Thread.sleep(250);
                }));
        // Readers: lists, single talks, recent alerts.
        for (int r = 0; r < 2; r++) {
          int seed = r;
          java.util.Random random = new java.util.Random(seed);
          load.submit(
              loop(
                  "read",
                  () -> {
                    expect("GET /api/talks", http.get("/api/talks?limit=50").status(), 200, 503);
                    expect(
                        "GET /api/talks/{id}",
                        http.get("/api/talks/" + SyntheticLog.talkId(random.nextInt(TALKS)))
                            .status(),
                        200,
                        404,
                        503);
                    expect("GET /api/alerts", http.get("/api/alerts?limit=100").status(), 200);
                  }));
        }
        // asOf: each a fold of a partition, bounded by the gateway.
        for (int a = 0; a < 3; a++) {
          java.util.Random random = new java.util.Random(100 + a);
          load.submit(
              loop(
                  "asOf",
                  () ->
                      expect(
                          "GET asOf",
                          http.get(
                                  "/api/talks/"
                                      + SyntheticLog.talkId(random.nextInt(TALKS))
                                      + "?asOf=2024-01-0"
                                      + (1 + random.nextInt(9))
                                      + "T12:00:00Z")
                              .status(),
                          200,
                          404,
                          429,
                          503)));
        }
        // Live streams: four that read, two that never do (each asking for a replay of everything).
        AtomicLong streamed = new AtomicLong();
        HttpClient client = HttpClient.newHttpClient();
        for (int s = 0; s < 4; s++) {
          load.submit(
              () -> {
                try {
                  HttpResponse<InputStream> stream =
                      client.send(
                          HttpRequest.newBuilder(URI.create(http.base() + "/api/alerts/stream"))
                              .header("Accept", "text/event-stream")
                              .build(),
                          HttpResponse.BodyHandlers.ofInputStream());
                  try (BufferedReader lines =
                      new BufferedReader(
                          new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while (!stop.get() && (line = lines.readLine()) != null) {
                      if (line.startsWith("data:")) {
                        streamed.incrementAndGet();
                      }
                    }
                  }
                } catch (Exception e) {
                  if (!stop.get()) {
                    failures.add("stream: " + e);
                  }
                }
              });
        }
        for (int s = 0; s < 2; s++) {
          Socket socket = new Socket();
          socket.setReceiveBufferSize(4096);
          socket.connect(new InetSocketAddress("localhost", port));
          socket
              .getOutputStream()
              .write(
                  ("GET /api/alerts/stream HTTP/1.1\r\nHost: localhost\r\nAccept: "
                          + "text/event-stream\r\nLast-Event-ID: 0:0\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
          silent.add(socket);
        }
        // Hostile input through every door.
        List<BadInputs.Json> json = BadInputs.json();
        List<BadInputs.Raw> raw = BadInputs.raw();
        KafkaProducer<byte[], byte[]> rawProducer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        AtomicLong hostileRecords = new AtomicLong();
        int[] turn = {0};
        String manyEmpty = "[" + "{},".repeat(Gateway.MAX_EVENTS_PER_REQUEST - 1) + "{}]";
        byte[] chunked = ("[]" + " ".repeat(2_000_000)).getBytes(StandardCharsets.UTF_8);
        load.submit(
            loop(
                "hostile",
                () -> {
                  int i = turn[0]++;
                  BadInputs.Json bad = json.get(i % json.size());
                  expect(
                      "POST bad JSON",
                      http.post("/api/events", bad.line(), GatewayIT.TOKEN).status(),
                      400);
                  BadInputs.Raw record = raw.get(i % raw.size());
                  rawProducer
                      .send(
                          new ProducerRecord<>(
                              Topics.EVENTS,
                              record.key() == null
                                  ? null
                                  : record.key().getBytes(StandardCharsets.UTF_8),
                              record.value().get()))
                      .get();
                  hostileRecords.incrementAndGet();
                  if (i % 10 == 0) {
                    expect(
                        "POST 10,000 empty events",
                        http.post("/api/events", manyEmpty, GatewayIT.TOKEN).status(),
                        400);
                    expect(
                        "POST chunked 2 MB",
                        client
                            .send(
                                HttpRequest.newBuilder(URI.create(http.base() + "/api/events"))
                                    .header("Authorization", "Bearer " + GatewayIT.TOKEN)
                                    .header("Content-Type", "application/json")
                                    .POST(
                                        HttpRequest.BodyPublishers.ofInputStream(
                                            () -> new java.io.ByteArrayInputStream(chunked)))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString())
                            .statusCode(),
                        413);
                    expect(
                        "POST bogus charset",
                        client
                            .send(
                                HttpRequest.newBuilder(URI.create(http.base() + "/api/events"))
                                    .header("Authorization", "Bearer " + GatewayIT.TOKEN)
                                    .header("Content-Type", "application/json; charset=nonsense")
                                    .POST(HttpRequest.BodyPublishers.ofString("[]"))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString())
                            .statusCode(),
                        415);
                  }
                  Thread.sleep(100);
                }));

        long started = System.nanoTime();
        long peakHeap = 0;
        while (System.nanoTime() - started < LOAD.toNanos()) {
          Thread.sleep(1_000);
          peakHeap = Math.max(peakHeap, usedHeap());
          assertThat(parley.pipeline().streams().state())
              .as("the pipeline under load")
              .isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        }
        stop.set(true);
        for (Socket socket : silent) {
          socket.close();
        }
        load.shutdown();
        assertThat(load.awaitTermination(2, TimeUnit.MINUTES)).as("the load stopped").isTrue();
        publisher.close();
        rawProducer.close();
        double seconds = (System.nanoTime() - started) / 1e9;

        // Then: everything valid is folded, exactly as a reference fold of the log.
        Topics topics = Topics.standard();
        ReferenceFold expected = ReferenceFold.of(bootstrap, topics);
        await()
            .atMost(Duration.ofMinutes(3))
            .until(
                () ->
                    alertIds(bootstrap, topics).values().stream().mapToInt(List::size).sum()
                        >= expected.alertCount());
        assertThat(alertIds(bootstrap, topics)).isEqualTo(expected.alertIds());
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> json(latestStates(bootstrap, topics)).equals(json(expected.talks())));
        long folded =
            expected.talks().values().stream()
                .filter(t -> t.getTalkId().startsWith("talk-"))
                .mapToLong(TalkState::getEventCount)
                .sum();
        assertThat(folded)
            .as("every valid event published is folded, once")
            .isEqualTo(published.get());
        System.gc();
        long heapAfter = usedHeap();
        long maxHeap = Runtime.getRuntime().maxMemory();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        System.out.printf(
            "SOAK: %.0f s; %,d valid events published (%,d over HTTP batches), %,d hostile raw records,"
                + " %,d alerts; streamed %,d alert events; requests %s; heap after GC %,d MB (peak %,d MB, max %,d MB);"
                + " %d threads%n",
            seconds,
            published.get(),
            (batch[0] / 4) * 100,
            hostileRecords.get(),
            expected.alertCount(),
            streamed.get(),
            new java.util.TreeMap<>(counts),
            heapAfter >> 20,
            peakHeap >> 20,
            maxHeap >> 20,
            threads);
        assertThat(failures).as("what went wrong under load").isEmpty();
        Http.Response health = http.get("/health");
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        assertThat(health.json().get("alertFeed").get("streams").asInt())
            .as("the streams that left are forgotten")
            .isLessThanOrEqualTo(4);

        assertThat(heapAfter)
            .as("heap after a collection")
            .isLessThan(Math.min(maxHeap / 2, 768L << 20));
        assertThat(threads).as("threads").isLessThan(400);
        assertThat(counted("GET /api/alerts 200")).isPositive();
        assertThat(streamed.get()).isPositive();
      }
    }
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static Map<Integer, List<String>> alertIds(String bootstrap, Topics topics) {
    Map<Integer, List<String>> ids = new HashMap<>();
    TopicReader.byPartition(
            bootstrap,
            topics.alerts().name(),
            new StringDeserializer(),
            topics.alerts().valueDeserializer())
        .forEach(
            (p, records) -> ids.put(p, records.stream().map(r -> r.value().getAlertId()).toList()));
    return ids;
  }

  private static Map<String, TalkState> latestStates(String bootstrap, Topics topics) {
    Map<String, TalkState> latest = new HashMap<>();
    for (TalkState state :
        TopicReader.values(
            bootstrap,
            topics.talkState().name(),
            new StringDeserializer(),
            topics.talkState().valueDeserializer())) {
      latest.put(state.getTalkId(), state);
    }
    return latest;
  }

  private static Map<String, String> json(Map<String, TalkState> talks) {
    Map<String, String> json = new java.util.TreeMap<>();
    talks.forEach((id, talk) -> json.put(id, JsonForm.toJson(talk)));
    return json;
  }
}
