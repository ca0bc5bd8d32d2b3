package org.parley.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads everything committed to a topic so far, partition by partition, in offset order
 * (read_committed).
 */
final class TopicReader {
  private TopicReader() {}

  static <K, V> Map<Integer, List<ConsumerRecord<K, V>>> byPartition(
      String bootstrap, String topic, Deserializer<K> keys, Deserializer<V> values) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    Map<Integer, List<ConsumerRecord<K, V>>> records = new TreeMap<>();
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      partitions.forEach(p -> records.put(p.partition(), new ArrayList<>()));
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
          records.get(record.partition()).add(record);
        }
      }
    }
    return records;
  }

  static <K, V> List<V> values(
      String bootstrap, String topic, Deserializer<K> keys, Deserializer<V> values) {
    List<V> all = new ArrayList<>();
    byPartition(bootstrap, topic, keys, values)
        .values()
        .forEach(list -> list.forEach(r -> all.add(r.value())));
    return all;
  }
}
