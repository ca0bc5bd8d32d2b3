package org.parley.topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * How Parley reads a topic outside the pipeline (the alert console, tail, diff, time travel,
 * export, the gateway's alert feed, the bench): committed records only, so nothing of an open or
 * aborted transaction ever shows; outside any consumer group and committing no offsets, because
 * each reader decides for itself where to start.
 */
public final class CommittedReader {
  private CommittedReader() {}

  /** The consumer settings: the client's own (security, tuning), then Parley's. */
  public static Map<String, Object> config(String bootstrapServers, Map<String, Object> client) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  /** A consumer assigned every partition of the topic ({@code assignment()} lists them), positioned by the caller. */
  public static <K, V> KafkaConsumer<K, V> ofAllPartitions(String bootstrapServers, Map<String, Object> client,
      String topic, Deserializer<K> keys, Deserializer<V> values) {
    KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config(bootstrapServers, client), keys, values);
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    return consumer;
  }
}
