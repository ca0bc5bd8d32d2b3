package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.runtime.TopicAdmin;
import org.parley.avro.Alert;
import org.parley.avro.AlertType;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.ingest.EventPublisher;
import org.parley.ingest.SyntheticLog;
import org.parley.model.JsonForm;
import org.parley.model.SeedStory;

/**
 * What Parley must do on any real Kafka: the same tests run on the in-process KRaft broker and,
 * where Docker is available, on Testcontainers' Kafka. Each test gets a fresh cluster, fresh topics
 * and a fresh application id.
 */
abstract class PipelineContract {
  final Topics topics = Topics.standard();
  String bootstrap;
  String applicationId;

  @TempDir Path dataDir;

  abstract String startKafka() throws Exception;

  abstract void stopKafka() throws Exception;

  @BeforeEach
  void freshClusterAndTopics() throws Exception {
    bootstrap = startKafka();
    applicationId = "parley-it-" + UUID.randomUUID();
    try (TopicAdmin admin = new TopicAdmin(bootstrap, Map.of())) {
      admin.create(topics, 6, (short) 1);
    }
  }

  @AfterEach
  void stop() throws Exception {
    stopKafka();
  }

  ParleyInstance startParley(Path stateDir) {
    return ParleyInstance.start(
        new ParleyInstance.Settings(
            bootstrap,
            Map.of(),
            stateDir,
            applicationId,
            null,
            DeadlineClock.DEFAULT_HORIZONS,
            "it"));
  }

  void publish(List<DiplomaticEvent> events) {
    try (EventPublisher publisher =
        new EventPublisher(bootstrap, Map.of(), topics.events(), "it")) {
      for (int i = 0; i < events.size(); i += 250) {
        publisher.publish(events.subList(i, Math.min(events.size(), i + 250)));
      }
    }
  }

  Map<Integer, List<String>> alertIdsByPartition() {
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

  int alertCount() {
    return alertIdsByPartition().values().stream().mapToInt(List::size).sum();
  }

  /**
   * The latest committed state of every talk (the state topic is compacted: last record per key
   * wins).
   */
  Map<String, TalkState> latestStates() {
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

  /**
   * Talks by id as JSON: Avro's equals cannot compare decoded arrays of records with timestamps, so
   * states are compared in their JSON form, which holds every field.
   */
  static Map<String, String> json(Map<String, TalkState> talks) {
    Map<String, String> json = new java.util.TreeMap<>();
    talks.forEach((id, talk) -> json.put(id, JsonForm.toJson(talk)));
    return json;
  }

  @Test
  void publishedEventsBecomeTalkStateAndAlerts() throws Exception {
    try (ParleyInstance parley = startParley(dataDir.resolve("streams"))) {
      publish(SeedStory.events());

      await().atMost(Duration.ofMinutes(2)).until(() -> alertCount() >= 10);
      List<Alert> alerts =
          TopicReader.values(
              bootstrap,
              topics.alerts().name(),
              new StringDeserializer(),
              topics.alerts().valueDeserializer());
      assertThat(alerts)
          .extracting(Alert::getType)
          .containsExactly(
              AlertType.TALK_STATUS_CHANGED,
              AlertType.TALK_STATUS_CHANGED,
              AlertType.COMMITMENT_MADE,
              AlertType.COMMITMENT_MADE,
              AlertType.COMMITMENT_MADE,
              AlertType.COMMITMENT_MADE,
              AlertType.COMMITMENT_MADE,
              AlertType.STICKING_POINT_RAISED,
              AlertType.STICKING_POINT_RAISED,
              AlertType.DEADLINE_SET);
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  latestStates().containsKey(SeedStory.TALK_ID)
                      && latestStates().get(SeedStory.TALK_ID).getEventCount() == 13);
      assertThat(JsonForm.toJson(latestStates().get(SeedStory.TALK_ID)))
          .isEqualTo(
              JsonForm.toJson(ReferenceFold.of(bootstrap, topics).talks().get(SeedStory.TALK_ID)));
    }
  }

  @Test
  void aPipelineStoppedAndRestartedMidStreamNeitherDuplicatesNorSkipsAlerts() throws Exception {
    List<DiplomaticEvent> log = SyntheticLog.of(40, 6_000, 7);
    Path stateDir = dataDir.resolve("streams");

    ParleyInstance first = startParley(stateDir);
    publish(log.subList(0, 2_000));
    await().atMost(Duration.ofMinutes(2)).until(() -> alertCount() > 100);
    CompletableFuture<Void> rest =
        CompletableFuture.runAsync(() -> publish(log.subList(2_000, 6_000)));
    first.close();
    // Restart on the same stores, then once more on empty stores, which restore from the
    // changelogs.
    ParleyInstance second = startParley(stateDir);
    await().atMost(Duration.ofMinutes(2)).until(() -> alertCount() > 1_000);
    second.close();
    rest.join();
    try (ParleyInstance third = startParley(dataDir.resolve("fresh-streams"))) {
      ReferenceFold expected = ReferenceFold.of(bootstrap, topics);
      assertThat(expected.alertCount()).isGreaterThan(2_000);
      await().atMost(Duration.ofMinutes(3)).until(() -> alertCount() >= expected.alertCount());

      assertThat(alertIdsByPartition()).isEqualTo(expected.alertIds());
      assertThat(json(latestStates())).isEqualTo(json(expected.talks()));
    }
  }
}
