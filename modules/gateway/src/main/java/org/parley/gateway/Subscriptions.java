package org.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.parley.client.ParleyClients;
import org.parley.model.InvalidRecord;
import org.parley.model.JsonForm;

/**
 * Webhook subscriptions, kept in Kafka and nowhere else: a compacted topic of subscriptions (keyed
 * by id, a tombstone when removed), a compacted topic of delivery progress (written in the same
 * transaction as each delivery's outcome) and a topic of the alerts that could not be delivered.
 * Every instance reads them read_committed, so a restart or another instance picks up exactly where
 * the last committed delivery left off.
 */
public final class Subscriptions implements AutoCloseable {
  public static final String TOPIC = "parley.subscriptions.v1";
  public static final String PROGRESS = "parley.subscription-progress.v1";
  public static final String UNDELIVERED = "parley.subscription-undelivered.v1";

  private final String bootstrap;
  private final Map<String, Object> client;
  private final String alertsTopic;
  private final KafkaProducer<String, String> producer;

  public Subscriptions(String bootstrap, Map<String, Object> client, String alertsTopic) {
    this.bootstrap = bootstrap;
    this.client = client;
    this.alertsTopic = alertsTopic;
    ensureTopics(bootstrap, client);
    Map<String, Object> config = ParleyClients.producerConfig(bootstrap, client);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /** Creates the three topics where missing, with the broker's default replication. */
  static void ensureTopics(String bootstrap, Map<String, Object> client) {
    ensureTopics(bootstrap, client, Optional.empty());
  }

  /**
   * Creates the three topics where missing; `up` and `run` call it with their replication, as the
   * admin where secure.
   */
  public static void ensureTopics(String bootstrap, Map<String, Object> client, short replication) {
    ensureTopics(bootstrap, client, Optional.of(replication));
  }

  /**
   * One partition each (subscriptions are few, and one instance delivers them); compacted where it
   * is state.
   */
  private static void ensureTopics(
      String bootstrap, Map<String, Object> client, Optional<Short> replication) {
    Map<String, String> durable =
        replication.filter(r -> r >= 3).isPresent()
            ? Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2")
            : Map.of();
    try (Admin admin = ParleyClients.admin(bootstrap, client)) {
      List<NewTopic> topics =
          List.of(
              new NewTopic(TOPIC, Optional.of(1), replication)
                  .configs(
                      with(
                          durable,
                          TopicConfig.CLEANUP_POLICY_CONFIG,
                          TopicConfig.CLEANUP_POLICY_COMPACT)),
              new NewTopic(PROGRESS, Optional.of(1), replication)
                  .configs(
                      with(
                          durable,
                          TopicConfig.CLEANUP_POLICY_CONFIG,
                          TopicConfig.CLEANUP_POLICY_COMPACT)),
              new NewTopic(UNDELIVERED, Optional.of(1), replication)
                  .configs(
                      with(
                          with(
                              durable,
                              TopicConfig.CLEANUP_POLICY_CONFIG,
                              TopicConfig.CLEANUP_POLICY_DELETE),
                          TopicConfig.RETENTION_MS_CONFIG,
                          Long.toString(Duration.ofDays(90).toMillis()))));
      // Only what is missing: where Parley runs with ACLs, the gateway may read and write these
      // topics but not
      // create them.
      java.util.Set<String> existing = admin.listTopics().names().get();
      for (NewTopic topic : topics) {
        if (existing.contains(topic.name())) {
          continue;
        }
        try {
          admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + topic.name() + ": " + e.getCause().getMessage(),
                e.getCause());
          }
        }
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot list topics: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the subscription topics");
    }
  }

  private static Map<String, String> with(Map<String, String> config, String key, String value) {
    Map<String, String> more = new HashMap<>(config);
    more.put(key, value);
    return more;
  }

  /**
   * Checks the request, starts it at the alerts topic's current end, and stores it before
   * answering.
   */
  public Subscription create(JsonNode request) throws InvalidRecord {
    Map<Integer, Long> from = new HashMap<>();
    try (KafkaConsumer<String, String> consumer =
        ParleyClients.committedReader(
            bootstrap, client, alertsTopic, new StringDeserializer(), new StringDeserializer())) {
      consumer.endOffsets(consumer.assignment()).forEach((p, o) -> from.put(p.partition(), o));
    }
    Subscription subscription = Subscription.request(request, from, Instant.now());
    send(TOPIC, subscription.subscriptionId(), subscription.toJson().toString());
    return subscription;
  }

  /** Removes it (a tombstone); false when there is no such subscription. */
  public boolean remove(String id) {
    if (!all().containsKey(id)) {
      return false;
    }
    send(TOPIC, id, null);
    return true;
  }

  private void send(String topic, String key, String value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot write to " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /** Every subscription, by id, in the order they were made. */
  public Map<String, Subscription> all() {
    Map<String, Subscription> all = new LinkedHashMap<>();
    readToEnd(
        bootstrap,
        client,
        TOPIC,
        (key, value) -> {
          if (value == null) {
            all.remove(key);
          } else {
            all.put(key, Subscription.fromJson(parse(value)));
          }
        });
    return all;
  }

  /** The latest delivery progress of each subscription (positions, counts, last error). */
  public Map<String, ObjectNode> progress() {
    Map<String, ObjectNode> progress = new HashMap<>();
    readToEnd(
        bootstrap,
        client,
        PROGRESS,
        (key, value) -> {
          if (value != null) {
            progress.put(key, (ObjectNode) parse(value));
          }
        });
    return progress;
  }

  /** The alerts that could not be delivered to this subscription, oldest first. */
  public List<ObjectNode> undelivered(String id) {
    List<ObjectNode> kept = new ArrayList<>();
    readToEnd(
        bootstrap,
        client,
        UNDELIVERED,
        (key, value) -> {
          if (id.equals(key) && value != null) {
            kept.add((ObjectNode) parse(value));
          }
        });
    return kept;
  }

  /**
   * Reads a topic to where it ended when asked, committed records only, and hands over each key and
   * value.
   */
  static void readToEnd(
      String bootstrap, Map<String, Object> client, String topic, BiConsumer<String, String> each) {
    try (KafkaConsumer<String, String> consumer =
        ParleyClients.committedReader(
            bootstrap, client, topic, new StringDeserializer(), new StringDeserializer())) {
      consumer.seekToBeginning(consumer.assignment());
      Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
      while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          each.accept(record.key(), record.value());
        }
      }
    }
  }

  static JsonNode parse(String json) {
    try {
      return JsonForm.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(
          "unreadable record in a subscription topic: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
