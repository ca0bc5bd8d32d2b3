package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kafka.server.BrokerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.runtime.TopicAdmin;
import org.parley.avro.DiplomaticEvent;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.ingest.EventPublisher;
import org.parley.ingest.SyntheticLog;

/**
 * Three brokers, every topic replicated three times with two replicas required in sync: one broker
 * goes away in the middle of the stream and comes back later. Nothing is lost or duplicated, and
 * the pipeline carries on without a restart.
 */
class BrokerLossIT {
  private final Topics topics = Topics.standard();

  @TempDir Path dataDir;

  @Test
  void losingOneOfThreeBrokersMidStreamLosesAndDuplicatesNothing() throws Exception {
    try (TestCluster cluster = TestCluster.threeBrokers()) {
      String bootstrap = cluster.bootstrapServers();
      try (TopicAdmin admin = new TopicAdmin(bootstrap, Map.of())) {
        admin.create(topics, 6, (short) 3);
      }
      List<DiplomaticEvent> log = SyntheticLog.of(40, 6_000, 11);
      try (ParleyInstance parley =
          ParleyInstance.start(
              new ParleyInstance.Settings(
                  bootstrap,
                  Map.of(),
                  dataDir.resolve("streams"),
                  "parley-broker-loss",
                  null,
                  DeadlineClock.DEFAULT_HORIZONS,
                  "it"))) {
        publish(bootstrap, log.subList(0, 2_000));
        await().atMost(Duration.ofMinutes(2)).until(() -> alerts(bootstrap) > 100);

        CompletableFuture<Void> rest =
            CompletableFuture.runAsync(() -> publish(bootstrap, log.subList(2_000, 6_000)));
        BrokerServer lost = cluster.kit.brokers().get(1);
        lost.shutdown();
        lost.awaitShutdown();
        rest.join();
        await().atMost(Duration.ofMinutes(2)).until(() -> alerts(bootstrap) > 1_500);
        lost.startup();

        ReferenceFold expected = ReferenceFold.of(bootstrap, topics);
        await()
            .atMost(Duration.ofMinutes(3))
            .until(() -> alerts(bootstrap) >= expected.alertCount());
        assertThat(expected.alertCount()).isGreaterThan(2_000);
        assertThat(alertIds(bootstrap)).isEqualTo(expected.alertIds());
        assertThat(parley.pipeline().streams().state().isRunningOrRebalancing()).isTrue();
      }
    }
  }

  private void publish(String bootstrap, List<DiplomaticEvent> events) {
    try (EventPublisher publisher =
        new EventPublisher(bootstrap, Map.of(), topics.events(), "it")) {
      for (int i = 0; i < events.size(); i += 250) {
        publisher.publish(events.subList(i, Math.min(events.size(), i + 250)));
      }
    }
  }

  private Map<Integer, List<String>> alertIds(String bootstrap) {
    Map<Integer, List<String>> ids = new java.util.HashMap<>();
    TopicReader.byPartition(
            bootstrap,
            topics.alerts().name(),
            new org.apache.kafka.common.serialization.StringDeserializer(),
            topics.alerts().valueDeserializer())
        .forEach(
            (p, records) -> ids.put(p, records.stream().map(r -> r.value().getAlertId()).toList()));
    return ids;
  }

  private int alerts(String bootstrap) {
    return alertIds(bootstrap).values().stream().mapToInt(List::size).sum();
  }
}
