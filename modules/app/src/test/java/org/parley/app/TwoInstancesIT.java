package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.runtime.TopicAdmin;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.Source;
import org.parley.avro.TalkAnnounced;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventPublisher;

/**
 * Two Parley instances share the partitions; each holds only its own talks. Asked about any talk,
 * either answers, forwarding to the one that holds it.
 */
class TwoInstancesIT {
  @TempDir Path dir;

  @Test
  void eachInstanceAnswersForTalksTheOtherHolds() throws Exception {
    try (TestCluster cluster = TestCluster.single()) {
      String bootstrap = cluster.bootstrapServers();
      try (TopicAdmin admin = new TopicAdmin(bootstrap, Map.of())) {
        admin.create(Topics.standard(), 6, (short) 1);
      }
      int portA = GatewayIT.freePort();
      int portB = GatewayIT.freePort();
      try (ParleyInstance a = instance(bootstrap, "a", portA);
          ParleyInstance b = instance(bootstrap, "b", portB)) {
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    running(a)
                        && running(b)
                        && !a.pipeline()
                            .streams()
                            .metadataForLocalThreads()
                            .iterator()
                            .next()
                            .activeTasks()
                            .isEmpty()
                        && !b.pipeline()
                            .streams()
                            .metadataForLocalThreads()
                            .iterator()
                            .next()
                            .activeTasks()
                            .isEmpty());
        List<DiplomaticEvent> talks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          talks.add(
              DiplomaticEvent.newBuilder()
                  .setEventId("announce")
                  .setTalkId("talk-" + i)
                  .setOccurredAt(java.time.Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i))
                  .setRecordedAt(java.time.Instant.parse("2026-01-01T00:00:00Z"))
                  .setSource(new Source("desk", null, null))
                  .setPayload(
                      new TalkAnnounced("Talk " + i, List.of("A", "B"), List.of(), null, "A", null))
                  .build());
        }
        try (EventPublisher publisher =
            new EventPublisher(bootstrap, Map.of(), Topics.standard().events(), "it")) {
          publisher.publish(talks);
        }
        Http httpA = new Http("http://localhost:" + portA);
        Http httpB = new Http("http://localhost:" + portB);
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () ->
                    httpA.get("/api/talks").status() == 200
                        && httpA.get("/api/talks").json().size() == 30
                        && httpB.get("/api/talks").json().size() == 30);

        int forwardedByA = 0;
        int forwardedByB = 0;
        for (int i = 0; i < 30; i++) {
          Http.Response fromA = httpA.get("/api/talks/talk-" + i);
          Http.Response fromB = httpB.get("/api/talks/talk-" + i);
          assertThat(fromA.status()).isEqualTo(200);
          assertThat(fromB.status()).isEqualTo(200);
          assertThat(fromA.json()).isEqualTo(fromB.json());
          assertThat(fromA.header("X-Parley-Served-By"))
              .isEqualTo(fromB.header("X-Parley-Served-By"));
          forwardedByA += fromA.header("X-Parley-Served-By").equals("localhost:" + portB) ? 1 : 0;
          forwardedByB += fromB.header("X-Parley-Served-By").equals("localhost:" + portA) ? 1 : 0;
        }
        assertThat(forwardedByA).as("talks A fetched from B").isPositive();
        assertThat(forwardedByB).as("talks B fetched from A").isPositive();
        assertThat(forwardedByA + forwardedByB).isEqualTo(30);
      }
    }
  }

  private ParleyInstance instance(String bootstrap, String name, int port) {
    return ParleyInstance.start(
        new ParleyInstance.Settings(
            bootstrap,
            Map.of(),
            dir.resolve(name),
            "parley-two",
            null,
            DeadlineClock.DEFAULT_HORIZONS,
            name,
            new Gateway.Settings("localhost", port, "localhost", "token")));
  }

  private static boolean running(ParleyInstance instance) {
    return instance.pipeline().streams().state() == KafkaStreams.State.RUNNING;
  }
}
