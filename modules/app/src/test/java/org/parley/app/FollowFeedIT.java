package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.avro.DiplomaticEvent;
import org.parley.client.Topics;
import org.parley.ingest.feed.CameoEvents;
import org.parley.ingest.feed.Feed;
import org.parley.ingest.feed.FeedImport;
import org.parley.model.Events;

/**
 * {@code parley follow-feed gdelt} against a local HTTP server that serves the real GDELT samples
 * the way GDELT does: each 15-minute export as {@code <slot>.export.CSV.zip} (built here from the
 * sample rows of that slot's DATEADDED), and {@code lastupdate.txt} naming the latest with its size
 * and MD5. No internet.
 */
class FollowFeedIT {
  /** The real samples, split by DATEADDED into the exports GDELT published them in. */
  private static final Path SAMPLES = Path.of("../ingest/src/test/resources/feeds");

  private static final Map<String, byte[]> CSV = new ConcurrentHashMap<>();

  private static TestCluster cluster;
  private static String bootstrap;

  @TempDir Path dir;

  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
  private final AtomicReference<String> lastUpdate = new AtomicReference<>("");
  private HttpServer server;

  @BeforeAll
  static void startCluster() throws Exception {
    for (String sample : List.of("events.csv", "eventsT.csv")) {
      Map<String, String> bySlot =
          Files.readAllLines(SAMPLES.resolve(sample), StandardCharsets.UTF_8).stream()
              .collect(
                  Collectors.groupingBy(
                      line -> line.split("\t", -1)[59],
                      Collectors.mapping(line -> line + "\n", Collectors.joining())));
      bySlot.forEach((slot, rows) -> CSV.put(slot, rows.getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(CSV.keySet())
        .containsExactlyInAnyOrder(
            "20150218224500", "20150218230000", "20200318103000", "20200318104500");
    cluster = TestCluster.single();
    bootstrap = cluster.bootstrapServers();
    assertThat(Cli.run("topics", "create", "-b", bootstrap).exit()).isZero();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  private String base() {
    return "http://localhost:" + server.getAddress().getPort() + "/";
  }

  private void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String name = exchange.getRequestURI().getPath().substring(1);
          requests.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
          byte[] body =
              name.equals("lastupdate.txt")
                  ? lastUpdate.get().getBytes(StandardCharsets.UTF_8)
                  : files.get(name);
          int status = body == null ? 404 : failOnce.remove(name) ? 500 : 200;
          byte[] sent = status == 200 ? body : ("HTTP " + status).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, sent.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(sent);
          }
        });
    server.start();
  }

  /** GDELT publishes a slot: its three zips, then lastupdate.txt naming them with size and MD5. */
  private void publish(String slot) throws Exception {
    StringBuilder update = new StringBuilder();
    for (String kind : List.of("export.CSV", "mentions.CSV", "gkg.csv")) {
      byte[] zip = zip(slot + "." + kind, kind.equals("export.CSV") ? CSV.get(slot) : new byte[0]);
      files.put(slot + "." + kind + ".zip", zip);
      update
          .append(zip.length)
          .append(' ')
          .append(md5(zip))
          .append(' ')
          .append(base())
          .append(slot)
          .append('.')
          .append(kind)
          .append(".zip\n");
    }
    lastUpdate.set(update.toString());
  }

  private static byte[] zip(String entry, byte[] content) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(entry));
      zip.write(content);
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  private int downloads(String slot) {
    return requests.getOrDefault(slot + ".export.CSV.zip", new AtomicInteger()).get();
  }

  /**
   * The events the import of these exports must give, each read by a follower that has read the
   * ones before.
   */
  private static Set<String> expected(boolean oneProcess, String... slots) throws Exception {
    Set<String> ids = new HashSet<>();
    CameoEvents mapping = new CameoEvents(CameoEvents.Options.DEFAULT);
    for (String slot : slots) {
      CameoEvents used = oneProcess ? mapping : new CameoEvents(CameoEvents.Options.DEFAULT);
      FeedImport.read(
          Feed.GDELT,
          () -> new ByteArrayInputStream(CSV.get(slot)),
          used,
          event -> ids.add(Events.identity(event)),
          rows -> {});
    }
    return ids;
  }

  /**
   * The events on the topic recorded by GDELT in that year (this class's tests share a cluster, one
   * year each).
   */
  private static Set<String> onTheTopic(int recordedIn) {
    List<DiplomaticEvent> events =
        TopicReader.values(
            bootstrap,
            Topics.EVENTS,
            new StringDeserializer(),
            Topics.standard().events().valueDeserializer());
    List<String> ids =
        events.stream()
            .filter(e -> e.getRecordedAt().toString().startsWith(recordedIn + "-"))
            .map(Events::identity)
            .toList();
    assertThat(ids).doesNotHaveDuplicates();
    return new HashSet<>(ids);
  }

  @Test
  void eachExportIsDownloadedOnceImportedOnceAndARestartResumesAfterTheLastOneFinished()
      throws Exception {
    startServer();
    try {
      publish("20150218224500");
      String[] follow = {
        "follow-feed",
        "gdelt",
        "--url",
        base(),
        "--data-dir",
        dir.toString(),
        "--until-caught-up",
        "-b",
        bootstrap
      };

      // A first run from an earlier slot: the two slots GDELT has no file for are skipped, then the
      // latest.
      Cli first = Cli.run(concat(follow, "--from", "20150218221500"));
      assertThat(first.exit()).as(first.err()).isZero();
      assertThat(first.out())
          .contains(
              "20150218221500.export.CSV.zip: not published by GDELT (404); skipped",
              "20150218223000.export.CSV.zip: not published by GDELT (404); skipped",
              "20150218224500.export.CSV.zip: 50 rows, 4 mapped to 9 events");
      assertThat(Files.readString(dir.resolve("feeds/gdelt.progress")).strip())
          .isEqualTo("20150218224500.export.CSV.zip");

      // GDELT publishes the next slot, but the first download of it fails: the run says so and
      // stops.
      publish("20150218230000");
      failOnce.add("20150218230000.export.CSV.zip");
      Cli failed = Cli.run(follow);
      assertThat(failed.exit()).isEqualTo(1);
      assertThat(failed.err())
          .contains("20150218230000.export.CSV.zip: HTTP 500", "run it again to retry");
      assertThat(Files.readString(dir.resolve("feeds/gdelt.progress")).strip())
          .isEqualTo("20150218224500.export.CSV.zip");

      // Run again: it resumes after the last export it finished, so it fetches only the new one.
      Cli resumed = Cli.run(follow);
      assertThat(resumed.exit()).as(resumed.err()).isZero();
      assertThat(resumed.out())
          .contains("last finished: 20150218224500.export.CSV.zip")
          .contains("20150218230000.export.CSV.zip: 50 rows, 0 mapped to 0 events, 50 skipped")
          .doesNotContain("20150218224500.export.CSV.zip: 50 rows");
      Cli idle = Cli.run(follow);
      assertThat(idle.exit()).isZero();
      assertThat(idle.out()).doesNotContain("rows");

      assertThat(downloads("20150218224500")).isEqualTo(1);
      assertThat(downloads("20150218230000")).isEqualTo(2); // the failed one, and the one imported
      assertThat(requests.get("20150218221500.export.CSV.zip")).hasValue(1);
      assertThat(requests)
          .doesNotContainKeys("20150218224500.mentions.CSV.zip", "20150218224500.gkg.csv.zip");
      Set<String> expected = expected(false, "20150218224500", "20150218230000");
      assertThat(expected).hasSize(9); // the 2015-02-18 23:00 export has no row that makes a talk
      assertThat(onTheTopic(2015)).isEqualTo(expected);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void followingLiveImportsEachNewExportAsGdeltPublishesItAndCountsItInMetrics() throws Exception {
    startServer();
    int metricsPort;
    try (ServerSocket free = new ServerSocket(0)) {
      metricsPort = free.getLocalPort();
    }
    try {
      publish("20200318103000");
      AtomicReference<Cli> result = new AtomicReference<>();
      Thread follower =
          new Thread(
              () ->
                  result.set(
                      Cli.run(
                          "follow-feed",
                          "gdelt",
                          "--url",
                          base(),
                          "--data-dir",
                          dir.toString(),
                          "--interval",
                          "100ms",
                          "--metrics-port",
                          String.valueOf(metricsPort),
                          "-b",
                          bootstrap)),
              "follow-feed");
      follower.start();
      Path progress = dir.resolve("feeds/gdelt.progress");
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  Files.exists(progress)
                      && Files.readString(progress)
                          .strip()
                          .equals("20200318103000.export.CSV.zip"));

      publish("20200318104500");
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> Files.readString(progress).strip().equals("20200318104500.export.CSV.zip"));
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://localhost:" + metricsPort + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      follower.interrupt();
      follower.join(Duration.ofMinutes(1).toMillis());

      assertThat(follower.isAlive()).isFalse();
      assertThat(result.get().exit()).as(result.get().err()).isZero();
      assertThat(downloads("20200318103000")).isEqualTo(1);
      assertThat(downloads("20200318104500")).isEqualTo(1);
      assertThat(requests.get("lastupdate.txt").get()).isGreaterThanOrEqualTo(2); // it polled again
      assertThat(metrics)
          .contains("parley_feed_exports_total{feed=\"gdelt\",outcome=\"imported\"} 2.0")
          .contains("parley_feed_last_export_seconds{feed=\"gdelt\"} 1.5845283E9")
          .contains("parley_feed_exports_behind{feed=\"gdelt\"} 0.0");
      Set<String> expected = expected(true, "20200318103000", "20200318104500");
      assertThat(onTheTopic(2020)).isEqualTo(expected);
    } finally {
      server.stop(0);
    }
  }

  private static String[] concat(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }
}
