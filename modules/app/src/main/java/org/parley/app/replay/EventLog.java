package org.parley.app.replay;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.parley.client.ParleyClients;

/**
 * The events topic read as a log: partition by partition, from the first record to the last one
 * committed when reading began (read_committed), as raw bytes. Time travel, export, import and
 * rebuild progress all read it through here.
 */
public final class EventLog implements AutoCloseable {

  /** Sees one record; returns false to stop reading the partition. */
  interface Visitor {
    boolean visit(ConsumerRecord<byte[], byte[]> record);
  }

  private final String topic;
  private static final Serializer<String> KEYS = new StringSerializer();

  private final Map<String, Object> clientProperties;
  private final KafkaConsumer<byte[], byte[]> consumer;

  public EventLog(String bootstrapServers, Map<String, Object> clientProperties, String topic) {
    this.topic = topic;
    this.clientProperties = Map.copyOf(clientProperties);
    Map<String, Object> config = ParleyClients.consumerConfig(bootstrapServers, clientProperties);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  public int partitions() {
    return consumer.partitionsFor(topic).size();
  }

  /** The offset after the last committed record of each partition, now. */
  public Map<Integer, Long> endOffsets() {
    Map<Integer, Long> ends = new HashMap<>();
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.endOffsets(partitions).forEach((p, offset) -> ends.put(p.partition(), offset));
    return ends;
  }

  /**
   * The partition a talk's events are on, as the producer that wrote them chose it: with the same
   * client properties, a {@code partitioner.class} configured there is asked, as the producer asks
   * it; otherwise Kafka's built-in partitioner for a keyed record (murmur2 of the serialized key),
   * called rather than copied so the two cannot drift apart.
   */
  public int partitionOf(String talkId) {
    byte[] key = KEYS.serialize(topic, talkId);
    List<PartitionInfo> partitions = consumer.partitionsFor(topic);
    Object custom = clientProperties.get(ProducerConfig.PARTITIONER_CLASS_CONFIG);
    if (custom == null) {
      return BuiltInPartitioner.partitionForKey(key, partitions.size());
    }
    try (Partitioner partitioner =
        Utils.newInstance(
            custom instanceof Class<?> c ? c.getName() : custom.toString(), Partitioner.class)) {
      partitioner.configure(clientProperties);
      Cluster cluster = new Cluster(null, List.of(), partitions, Set.of(), Set.of());
      return partitioner.partition(topic, talkId, key, null, null, cluster);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          ProducerConfig.PARTITIONER_CLASS_CONFIG + " " + custom + " is not on the" + " class path",
          e);
    }
  }

  /**
   * Reads one partition from its start up to (not including) {@code end}, or until the visitor
   * stops.
   */
  void read(int partition, long end, Visitor visitor) {
    TopicPartition tp = new TopicPartition(topic, partition);
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
    while (consumer.position(tp) < end) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        if (record.offset() >= end || !visitor.visit(record)) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}
