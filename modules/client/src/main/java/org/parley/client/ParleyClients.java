package org.parley.client;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The one place Parley's Kafka clients get their settings: the caller's client properties
 * (security, tuning, from --config and -X) first, then what Parley needs on top.
 *
 * <p>Readers outside the pipeline (the alert console, tail, diff, time travel, export, the
 * gateway's alert feed, the bench) read committed records only, so nothing of an open or aborted
 * transaction ever shows; they read outside any consumer group and commit no offsets, because each
 * reader decides for itself where to start.
 */
public final class ParleyClients {
  private ParleyClients() {}

  /** The settings of a reader of committed records: the client's own, then Parley's. */
  public static Map<String, Object> consumerConfig(
      String bootstrapServers, Map<String, Object> client) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  /**
   * A reader of committed records assigned every partition of the topic ({@code assignment()} lists
   * them), positioned by the caller.
   */
  public static <K, V> KafkaConsumer<K, V> committedReader(
      String bootstrapServers,
      Map<String, Object> client,
      String topic,
      Deserializer<K> keys,
      Deserializer<V> values) {
    KafkaConsumer<K, V> consumer =
        new KafkaConsumer<>(consumerConfig(bootstrapServers, client), keys, values);
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    return consumer;
  }

  /** The settings of a producer whose writes are acknowledged by every in-sync replica. */
  public static Map<String, Object> producerConfig(
      String bootstrapServers, Map<String, Object> client) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return config;
  }

  /** The settings of an admin client: the client's own, with the bootstrap servers. */
  public static Map<String, Object> adminConfig(
      String bootstrapServers, Map<String, Object> client) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  public static Admin admin(String bootstrapServers, Map<String, Object> client) {
    return Admin.create(adminConfig(bootstrapServers, client));
  }
}
