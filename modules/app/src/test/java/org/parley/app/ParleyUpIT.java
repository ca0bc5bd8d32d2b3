package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.avro.Alert;
import org.parley.client.Topics;

/**
 * `parley up` exactly as a user runs it: the shaded jar in its own JVM, an embedded broker with its
 * log in a data directory, the seed story's alerts on standard output, Ctrl-C (SIGTERM), and a
 * second `parley up` on the same data directory that carries on without re-emitting anything.
 */
class ParleyUpIT {
  @TempDir Path dataDir;

  private static boolean isAlert(String line) {
    return line.matches(
        "^\\d{4}-\\d\\d-\\d\\dT.*Z\\s+(INFO|NOTICE|HIGH|CRITICAL)\\s+[A-Z_]+\\s+.*");
  }

  @Test
  void upTellsTheSeedStoryThenRestartsWhereItStoppedWithoutRepeatingAnAlertAndRebuildsIt()
      throws Exception {
    int port = freePort();
    int controllerPort = freePort();
    int gatewayPort = freePort();
    String[] up = {
      "up",
      "--data-dir",
      dataDir.toString(),
      "--port",
      "" + port,
      "--controller-port",
      "" + controllerPort,
      "--tick-interval",
      "1s",
      "--quiet-after",
      "2s",
      "--gateway-port",
      "" + gatewayPort
    };

    long started = System.nanoTime();
    try (ChildProcess first = ChildProcess.parley(up)) {
      assertThat(
              first.awaitLine(
                  l -> l.startsWith("Kafka bootstrap servers:"), Duration.ofSeconds(90)))
          .startsWith("Kafka bootstrap servers: localhost:" + port);
      first.awaitLine(
          l -> l.contains("DEADLINE_SET") && l.contains("syria-ceasefire-geneva-2016"),
          Duration.ofSeconds(90));
      System.out.printf(
          "parley up: seed story alerts on screen %.1f s after launch%n",
          (System.nanoTime() - started) / 1e9);
      // The first live tick once the story has gone quiet finds the end of the Obama administration
      // long past.
      first.awaitLine(l -> l.contains("DEADLINE_MISSED"), Duration.ofSeconds(60));
      assertThat(first.awaitLine(l -> l.startsWith("Dashboard:"), Duration.ofSeconds(5)))
          .startsWith("Dashboard: http://localhost:" + gatewayPort + "/");
      // The gateway answers 503 (with Retry-After) while the group rebalances: ask until it
      // answers, as a client
      // would.
      Http http = new Http("http://localhost:" + gatewayPort);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> http.get("/api/talks"), r -> r.status() == 200);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                Http.Response talks = http.get("/api/talks");
                assertThat(talks.status()).isEqualTo(200);
                assertThat(talks.json()).hasSize(1);
              });
      assertThat(Files.readString(dataDir.resolve("gateway-token")).strip()).hasSizeGreaterThan(20);
      assertThat(first.count(ParleyUpIT::isAlert)).isEqualTo(11);
      int exit = first.stop();
      assertThat(String.join("\n", first.err()))
          .as("exit code %d, stdout %s", exit, first.out())
          .contains("PENDING_SHUTDOWN -> NOT_RUNNING");
    }
    assertThat(Files.exists(dataDir.resolve("kafka").resolve("meta.properties"))).isTrue();

    try (ChildProcess second = ChildProcess.parley(up)) {
      second.awaitLine(l -> l.startsWith("Parley is up"), Duration.ofSeconds(90));
      assertThat(second.out()).noneMatch(l -> l.startsWith("Loaded the seed story"));
      // Something new happens; its alert proves the pipeline is processing again.
      Path news = dataDir.resolve("news.ndjson");
      Files.writeString(
          news,
          "{\"type\":\"TalkAnnounced\",\"eventId\":\"vienna-1\",\"talkId\":\"vienna-2026\","
              + "\"occurredAt\":\"2026-11-25T09:00:00Z\",\"source\":{\"actor\":\"desk\"},\"payload\":{\"title\":\"Vienna"
              + " talks\",\"parties\":[\"A\",\"B\"],\"announcedBy\":\"A\"}}\n");
      try (ChildProcess publish =
          ChildProcess.parley("publish", news.toString(), "-b", "localhost:" + port)) {
        assertThat(publish.await(Duration.ofSeconds(60))).isZero();
      }
      second.awaitLine(l -> l.contains("vienna-2026"), Duration.ofSeconds(60));

      List<Alert> alerts =
          TopicReader.values(
              "localhost:" + port,
              Topics.ALERTS,
              new StringDeserializer(),
              Topics.standard().alerts().valueDeserializer());
      assertThat(alerts).hasSize(12);
      assertThat(alerts.stream().map(Alert::getAlertId).distinct()).hasSize(12);
      assertThat(second.count(ParleyUpIT::isAlert))
          .as("only the new talk's alert is printed")
          .isEqualTo(1);

      // A rebuild in a JVM of its own, as a user runs it: its local stores load RocksDB's native
      // library themselves there, as nothing else has. (Not compared with the live state: the
      // ticker keeps moving that on while the rebuild runs; ReplayIT compares the two.)
      try (ChildProcess rebuild =
          ChildProcess.parley(
              "rebuild",
              "-b",
              "localhost:" + port,
              "--data-dir",
              dataDir.resolve("rebuild").toString())) {
        assertThat(rebuild.await(Duration.ofSeconds(120)))
            .as(String.join("\n", rebuild.err()))
            .isZero();
        assertThat(rebuild.out())
            .anyMatch(l -> l.startsWith("rebuilt parley.events.v1: "))
            .anyMatch(l -> l.matches("  alerts +[0-9,]+  -> parley\\.alerts\\.v1\\.rebuild-.*"))
            .anyMatch(l -> l.startsWith("compare with the live state: parley diff --right "));
      }
      second.stop();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
