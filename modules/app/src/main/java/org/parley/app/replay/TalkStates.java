package org.parley.app.replay;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.parley.avro.TalkState;
import org.parley.client.ParleyClients;
import org.parley.client.Topic;

/**
 * The latest state of every talk on a talk-state topic: the last record per key, as compaction
 * would keep.
 */
public final class TalkStates {
  private TalkStates() {}

  public static Map<String, TalkState> latest(
      String bootstrap, Map<String, Object> client, Topic<String, TalkState> topic) {
    Map<String, TalkState> latest = new HashMap<>();
    try (KafkaConsumer<String, TalkState> consumer =
        ParleyClients.committedReader(
            bootstrap, client, topic.name(), new StringDeserializer(), topic.valueDeserializer())) {
      Set<TopicPartition> partitions = consumer.assignment();
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, TalkState> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() == null) {
            latest.remove(record.key());
          } else {
            latest.put(record.key(), record.value());
          }
        }
      }
    }
    return latest;
  }
}
