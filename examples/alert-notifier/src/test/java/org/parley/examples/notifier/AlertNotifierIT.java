package org.parley.examples.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.avro.Alert;
import org.parley.avro.AlertType;
import org.parley.avro.Severity;
import org.parley.avro.TalkState;
import org.parley.avro.TalkStatus;
import org.parley.client.ParleySerdes;
import org.parley.client.ParleyTopics;
import org.parley.client.TalkStateView;

/**
 * The example service against a real Kafka broker, fed as Parley feeds its topics (transactions,
 * single-object Avro).
 */
class AlertNotifierIT {
  static final String TALK = "syria-ceasefire-geneva-2016";
  static KafkaClusterTestKit kafka;
  static Map<String, Object> client;

  @BeforeAll
  static void broker() throws Exception {
    kafka =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    kafka.format();
    kafka.startup();
    kafka.waitForReadyBrokers();
    client = Map.of("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(client)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(ParleyTopics.ALERTS, 3, (short) 1),
                  new NewTopic(ParleyTopics.TALK_STATE, 3, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    kafka.close();
  }

  static TalkState state(String title, TalkStatus status, long events) {
    return state(TALK, title, status, events);
  }

  static TalkState state(String talk, String title, TalkStatus status, long events) {
    return TalkState.newBuilder()
        .setTalkId(talk)
        .setTitle(title)
        .setStatus(status)
        .setEventCount(events)
        .setLastEventId("geneva-2016-" + events)
        .setUpdatedAt(Instant.parse("2016-09-09T20:00:00Z"))
        .build();
  }

  static Alert alert(String id, Severity severity, AlertType type, String message) {
    return alert(TALK, id, severity, type, message);
  }

  static Alert alert(String talk, String id, Severity severity, AlertType type, String message) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setTalkId(talk)
        .setType(type)
        .setSubjectId(talk)
        .setSeverity(severity)
        .setMessage(message)
        .setCauseEventId("geneva-2016-05")
        .setEventTime(Instant.parse("2016-09-09T20:00:00Z"))
        .build();
  }

  /** As the pipeline publishes: in a transaction, keyed by talk id, single-object Avro. */
  static void publish(TalkState state, List<Alert> alerts) {
    Properties config = new Properties();
    config.putAll(client);
    config.put("transactional.id", "it-" + System.nanoTime());
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(
            config,
            ParleySerdes.keys().serializer(),
            (topic, value) ->
                value instanceof Alert a
                    ? ParleySerdes.alerts().serializer().serialize(topic, a)
                    : ParleySerdes.talkStates().serializer().serialize(topic, (TalkState) value))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(ParleyTopics.TALK_STATE, state.getTalkId(), state));
      alerts.forEach(
          a -> producer.send(new ProducerRecord<>(ParleyTopics.ALERTS, a.getTalkId(), a)));
      producer.commitTransaction();
    }
  }

  @Test
  void theNotifierSendsHighAlertsNamingTheTalkByItsTitleAndTheViewFollowsTheTalk()
      throws Exception {
    publish(
        state("Kerry-Lavrov talks on a Syria cease-fire", TalkStatus.CONFIRMED, 3),
        List.of(
            alert("a1", Severity.INFO, AlertType.TALK_STATUS_CHANGED, "Talk confirmed"),
            alert(
                "a2",
                Severity.HIGH,
                AlertType.DEADLINE_SET,
                "A seven-day calm must hold before joint strikes")));
    List<String> sent = new CopyOnWriteArrayList<>();
    java.util.function.Consumer<String> geneva =
        line -> {
          if (line.contains("Kerry-Lavrov")) { // the other test's talk shares the topic
            sent.add(line);
          }
        };

    try (AlertNotifier notifier = new AlertNotifier(client, "notifier-it", Severity.HIGH, geneva)) {
      notifier.awaitTalks(Duration.ofSeconds(30));
      Thread worker = new Thread(notifier);
      worker.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> !sent.isEmpty());

      publish(
          state("Kerry-Lavrov talks on a Syria cease-fire", TalkStatus.COLLAPSED, 13),
          List.of(
              alert(
                  "a3",
                  Severity.CRITICAL,
                  AlertType.DEADLINE_MISSED,
                  "The seven days of calm did not hold")));
      await().atMost(Duration.ofSeconds(60)).until(() -> sent.size() == 2);
    }

    assertThat(sent)
        .containsExactly(
            "[HIGH] Kerry-Lavrov talks on a Syria cease-fire: A seven-day calm must hold before joint strikes"
                + " (DEADLINE_SET, 2016-09-09T20:00:00Z)",
            "[CRITICAL] Kerry-Lavrov talks on a Syria cease-fire: The seven days of calm did not hold"
                + " (DEADLINE_MISSED, 2016-09-09T20:00:00Z)");

    try (TalkStateView view = TalkStateView.start(client)) {
      view.awaitCaughtUp(Duration.ofSeconds(30));
      assertThat(view.get(TALK))
          .hasValueSatisfying(
              s -> {
                assertThat(s.getStatus()).isEqualTo(TalkStatus.COLLAPSED);
                assertThat(s.getEventCount()).isEqualTo(13);
              });
      assertThat(view.all()).containsKey(TALK);
    }
  }

  @Test
  void aRestartedNotifierCarriesOnWhereItsGroupStopped() throws Exception {
    publish(
        state("vienna-2026", "Vienna talks", TalkStatus.ANNOUNCED, 1),
        List.of(
            alert(
                "vienna-2026",
                "b1",
                Severity.CRITICAL,
                AlertType.COMMITMENT_STATUS_CHANGED,
                "first")));
    List<String> first = new CopyOnWriteArrayList<>();
    try (AlertNotifier notifier =
        new AlertNotifier(client, "restart-it", Severity.CRITICAL, first::add)) {
      new Thread(notifier).start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> first.stream().anyMatch(l -> l.contains("first")));
    }
    publish(
        state("vienna-2026", "Vienna talks", TalkStatus.ANNOUNCED, 2),
        List.of(
            alert(
                "vienna-2026",
                "b2",
                Severity.CRITICAL,
                AlertType.COMMITMENT_STATUS_CHANGED,
                "second")));
    List<String> second = new CopyOnWriteArrayList<>();
    try (AlertNotifier notifier =
        new AlertNotifier(client, "restart-it", Severity.CRITICAL, second::add)) {
      new Thread(notifier).start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> second.stream().anyMatch(l -> l.contains("second")));
    }
    assertThat(second)
        .as("the first alert was committed by the first run")
        .noneMatch(l -> l.contains(": first ("));
  }
}
