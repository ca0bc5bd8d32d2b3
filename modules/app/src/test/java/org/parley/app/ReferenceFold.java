package org.parley.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.parley.app.runtime.ClockKeys;
import org.parley.avro.Alert;
import org.parley.avro.TalkState;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.core.InMemoryLedger;
import org.parley.core.TalkFold;
import org.parley.model.StoryTime;
import org.parley.topology.RawEventFold;

/**
 * What the pipeline must have produced: the events topic read back and folded partition by
 * partition in memory by the same core, with the same checks. Alerts are keyed by talk id like
 * events, so partition p of the alerts topic must hold exactly the alerts of events partition p.
 */
record ReferenceFold(
    Map<Integer, List<Alert>> alertsByPartition, Map<String, TalkState> talks, int deadLetters) {

  static ReferenceFold of(String bootstrap, Topics topics) {
    Map<Integer, List<Alert>> alerts = new HashMap<>();
    Map<String, TalkState> talks = new HashMap<>();
    int refused = 0;
    var partitions =
        TopicReader.byPartition(
            bootstrap,
            topics.events().name(),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    RawEventFold.Rules rules =
        new RawEventFold.Rules(
            ClockKeys.seal(bootstrap, Map.of()), StoryTime.DEFAULT_FUTURE_TOLERANCE);
    for (var partition : partitions.entrySet()) {
      InMemoryLedger ledger = new InMemoryLedger();
      RawEventFold fold =
          RawEventFold.inMemory(new TalkFold(DeadlineClock.standard()), ledger, rules);
      List<Alert> raised = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : partition.getValue()) {
        RawEventFold.Result result = fold.accept(record.key(), record.value(), record.timestamp());
        if (result instanceof RawEventFold.Result.Applied applied) {
          raised.addAll(applied.alerts());
        } else if (result instanceof RawEventFold.Result.DeadLettered) {
          refused++;
        }
      }
      alerts.put(partition.getKey(), raised);
      talks.putAll(ledger.talks());
    }
    return new ReferenceFold(alerts, talks, refused);
  }

  int alertCount() {
    return alertsByPartition.values().stream().mapToInt(List::size).sum();
  }

  /** Alert ids per partition, in order. */
  Map<Integer, List<String>> alertIds() {
    Map<Integer, List<String>> ids = new HashMap<>();
    alertsByPartition.forEach(
        (p, list) -> ids.put(p, list.stream().map(Alert::getAlertId).toList()));
    return ids;
  }
}
