package org.parley.app.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.parley.client.ParleyClients;
import org.parley.client.Topics;
import org.parley.model.ClockSeal;

/**
 * The cluster's clock key, kept in Kafka itself ({@link Topics#CLOCK_KEY}) so that every Parley
 * instance, rebuild and time travel on a cluster seals and checks ClockTicks with the same key,
 * with nothing to copy between machines. The first Parley to start on a cluster makes it; should
 * two start at once and both write one, the first record in the log is the key for everybody.
 */
public final class ClockKeys {
  private static final byte[] KEY = "clock-key".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private ClockKeys() {}

  /** The cluster's key, made (with its topic) when there is none yet. */
  public static ClockSeal seal(String bootstrapServers, Map<String, Object> client) {
    TopicPartition partition = new TopicPartition(Topics.CLOCK_KEY, 0);
    createTopic(bootstrapServers, client);
    byte[] key = read(bootstrapServers, client, partition);
    if (key == null) {
      write(bootstrapServers, client, ClockSeal.newKey());
      key = read(bootstrapServers, client, partition);
    }
    if (key == null) {
      throw new CommandFailure(
          "the clock key written to " + Topics.CLOCK_KEY + " cannot be read back");
    }
    return new ClockSeal(key);
  }

  private static void createTopic(String bootstrapServers, Map<String, Object> client) {
    try (Admin admin = ParleyClients.admin(bootstrapServers, client)) {
      if (admin.listTopics().names().get().contains(Topics.CLOCK_KEY)) {
        return;
      }
      int brokers = admin.describeCluster().nodes().get().size();
      NewTopic topic =
          new NewTopic(Topics.CLOCK_KEY, 1, (short) Math.min(3, brokers))
              // Kept forever and never compacted: the first key must stay the first, or old ticks
              // stop verifying.
              .configs(
                  Map.of(
                      TopicConfig.CLEANUP_POLICY_CONFIG,
                      TopicConfig.CLEANUP_POLICY_DELETE,
                      TopicConfig.RETENTION_MS_CONFIG,
                      "-1",
                      TopicConfig.RETENTION_BYTES_CONFIG,
                      "-1"));
      admin.createTopics(List.of(topic)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new CommandFailure(
            "cannot create " + Topics.CLOCK_KEY + ": " + TopicAdmin.rootMessage(e));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailure("interrupted while creating " + Topics.CLOCK_KEY);
    }
  }

  /** The first key in the topic, or null when it is empty. */
  private static byte[] read(
      String bootstrapServers, Map<String, Object> client, TopicPartition partition) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            ParleyClients.consumerConfig(bootstrapServers, client),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() != null && record.value().length >= 16) {
            return record.value();
          }
        }
      }
      return null;
    }
  }

  private static void write(String bootstrapServers, Map<String, Object> client, byte[] key) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            ParleyClients.producerConfig(bootstrapServers, client),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.CLOCK_KEY, 0, KEY, key)).get();
    } catch (ExecutionException e) {
      throw new CommandFailure(
          "cannot write the clock key to " + Topics.CLOCK_KEY + ": " + TopicAdmin.rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailure("interrupted while writing the clock key");
    }
  }
}
