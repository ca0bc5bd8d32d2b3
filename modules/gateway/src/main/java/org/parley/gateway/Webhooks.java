package org.parley.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.parley.avro.Alert;
import org.parley.avro.TalkState;
import org.parley.client.ParleyClients;
import org.parley.client.Topic;
import org.parley.model.JsonForm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to webhook subscriptions: each matching alert POSTed once, signed, with its alert
 * id.
 *
 * <p>Each subscription has its own position in the alerts topic, partition by partition. After each
 * delivery (or after giving up on one) the new position is written to the progress topic in a
 * transaction, together with the undelivered alert when there is one, and the transaction is tied
 * to the consumer group that owns the subscriptions topic, so a stale instance is fenced off. A
 * restart reads the committed positions back and goes on from the next alert: nothing lost, nothing
 * sent twice (a receiver that dies between answering and Parley's commit can see one alert again,
 * with the same alert id: that is what the id is for).
 *
 * <p>A receiver that fails is retried with backoff (0.5 s doubling, up to the attempt limit)
 * without holding up the other subscriptions; past the limit the alert is kept in the undelivered
 * topic and delivery moves on.
 */
final class Webhooks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

  /** How a talk is found for the party filter (any instance's talk). */
  interface Talks {
    Optional<TalkState> talk(String talkId);
  }

  record Settings(int maxAttempts, Duration firstBackoff, Duration timeout) {
    static final Settings DEFAULT = new Settings(6, Duration.ofMillis(500), Duration.ofSeconds(10));
  }

  /** Where one subscription stands, and its counters. */
  private static final class Progress {
    final TreeMap<Integer, Long> positions = new TreeMap<>();
    long delivered;
    long undelivered;
    int attempts;
    String lastAlertId;
    String lastError;
    Instant notBefore = Instant.EPOCH;

    ObjectNode toJson(String id) {
      ObjectNode node = JsonForm.MAPPER.createObjectNode();
      node.put("subscriptionId", id);
      ObjectNode p = node.putObject("positions");
      positions.forEach((k, v) -> p.put(Integer.toString(k), v));
      node.put("delivered", delivered);
      node.put("undelivered", undelivered);
      node.put("lastAlertId", lastAlertId);
      node.put("lastError", lastError);
      return node;
    }

    static Progress fromJson(ObjectNode node) {
      Progress p = new Progress();
      node.path("positions")
          .properties()
          .forEach(e -> p.positions.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
      p.delivered = node.path("delivered").asLong();
      p.undelivered = node.path("undelivered").asLong();
      p.lastAlertId =
          node.path("lastAlertId").isNull() ? null : node.path("lastAlertId").asText(null);
      p.lastError = node.path("lastError").isNull() ? null : node.path("lastError").asText(null);
      return p;
    }
  }

  private final String bootstrap;
  private final Map<String, Object> client;
  private final Topic<String, Alert> alerts;
  private final Talks talks;
  private final Settings settings;
  private final HttpClient http;
  private final KafkaConsumer<String, String> owner;

  /**
   * One reader of the alerts topic per subscription, each at its subscription's position. One
   * reader shared by all would be seeked from one position to the other on every turn, and a seek
   * throws away what was fetched: under load no fetch would ever come back before the next seek.
   */
  private final Map<String, KafkaConsumer<String, Alert>> readers = new HashMap<>();

  private final KafkaProducer<String, String> producer;
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  private final Map<String, Progress> progress = new HashMap<>();
  private volatile boolean reload = true;
  private final Thread thread;
  private volatile boolean closing;

  Webhooks(
      String bootstrap,
      Map<String, Object> client,
      String group,
      String instance,
      Topic<String, Alert> alerts,
      Talks talks,
      Settings settings) {
    this.bootstrap = bootstrap;
    this.client = client;
    this.alerts = alerts;
    this.talks = talks;
    this.settings = settings;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    Subscriptions.ensureTopics(bootstrap, client);

    Map<String, Object> ownerConfig = ParleyClients.consumerConfig(bootstrap, client);
    ownerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    ownerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    owner = new KafkaConsumer<>(ownerConfig, new StringDeserializer(), new StringDeserializer());

    Map<String, Object> producerConfig = ParleyClients.producerConfig(bootstrap, client);
    producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group + "-" + instance);
    producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
    producer.initTransactions();

    thread = new Thread(this::run, "parley-webhooks");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      owner.subscribe(
          List.of(Subscriptions.TOPIC),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              subscriptions.clear();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              // The whole compacted topic is the list of subscriptions: read it from the start, and
              // the progress again, since another instance may have delivered while this one did
              // not own them.
              owner.seekToBeginning(partitions);
              reload = true;
            }
          });
      while (!closing) {
        ConsumerRecords<String, String> changes = owner.poll(Duration.ofMillis(100));
        for (ConsumerRecord<String, String> change : changes) {
          if (change.value() == null) {
            subscriptions.remove(change.key());
            KafkaConsumer<String, Alert> gone = readers.remove(change.key());
            if (gone != null) {
              gone.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            }
          } else {
            subscriptions.put(
                change.key(), Subscription.fromJson(Subscriptions.parse(change.value())));
          }
        }
        if (reload) {
          reload = false;
          progress.clear();
          readers
              .values()
              .forEach(reader -> reader.close(CloseOptions.timeout(Duration.ofSeconds(5))));
          readers.clear();
          Subscriptions.readToEnd(
              bootstrap,
              client,
              Subscriptions.PROGRESS,
              (key, value) -> {
                if (value != null) {
                  progress.put(key, Progress.fromJson((ObjectNode) Subscriptions.parse(value)));
                }
              });
        }
        for (Subscription subscription : List.copyOf(subscriptions.values())) {
          if (closing) {
            break;
          }
          step(subscription);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (ProducerFencedException e) {
      LOG.warn("webhook delivery stopped here: another instance took over ({})", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("webhook delivery stopped", e);
    } finally {
      owner.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      readers.values().forEach(reader -> reader.close(CloseOptions.timeout(Duration.ofSeconds(5))));
      producer.close(Duration.ofSeconds(5));
    }
  }

  /** Reads the next alerts for one subscription from its position and delivers those that match. */
  private void step(Subscription subscription) {
    Progress p =
        progress.computeIfAbsent(
            subscription.subscriptionId(),
            id -> {
              Progress start = new Progress();
              start.positions.putAll(subscription.from());
              return start;
            });
    if (Instant.now().isBefore(p.notBefore)) {
      return;
    }
    KafkaConsumer<String, Alert> reader =
        readers.computeIfAbsent(
            subscription.subscriptionId(),
            id ->
                ParleyClients.committedReader(
                    bootstrap,
                    client,
                    alerts.name(),
                    alerts.keyDeserializer(),
                    alerts.valueDeserializer()));
    for (TopicPartition partition : reader.assignment()) {
      long wanted = p.positions.getOrDefault(partition.partition(), 0L);
      // Only after an early return (a retry, a talk not readable yet) is the reader past the
      // position.
      if (reader.position(partition) != wanted) {
        reader.seek(partition, wanted);
      }
    }
    ConsumerRecords<String, Alert> records = reader.poll(Duration.ofMillis(50));
    boolean moved = false;
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<String, Alert> record : records.records(partition)) {
        Alert alert = record.value();
        Boolean matches = matches(subscription, alert);
        if (matches == null) {
          p.notBefore =
              Instant.now().plusSeconds(1); // its talk is not readable yet: try again shortly
          commitIfMoved(subscription, p, moved);
          return;
        }
        if (!matches) {
          p.positions.put(record.partition(), record.offset() + 1);
          moved = true;
          continue;
        }
        String error = post(subscription, alert, p.attempts + 1);
        if (error == null) {
          p.positions.put(record.partition(), record.offset() + 1);
          p.delivered++;
          p.attempts = 0;
          p.lastAlertId = alert.getAlertId();
          p.lastError = null;
          commit(subscription, p, null);
          moved = false;
          continue;
        }
        p.attempts++;
        p.lastError = error;
        if (p.attempts < settings.maxAttempts()) {
          long backoff = settings.firstBackoff().toMillis() << Math.min(p.attempts - 1, 10);
          p.notBefore = Instant.now().plusMillis(backoff);
          commitIfMoved(subscription, p, moved);
          return;
        }
        LOG.warn(
            "webhook {}: giving up on alert {} after {} attempts ({}); kept in {}",
            subscription.url(),
            alert.getAlertId(),
            p.attempts,
            error,
            Subscriptions.UNDELIVERED);
        ObjectNode kept = JsonForm.MAPPER.createObjectNode();
        kept.put("subscriptionId", subscription.subscriptionId());
        kept.put("alertId", alert.getAlertId());
        kept.put("attempts", p.attempts);
        kept.put("error", error);
        kept.put("keptAt", Instant.now().toString());
        kept.set("alert", JsonForm.toNode(alert));
        p.positions.put(record.partition(), record.offset() + 1);
        p.undelivered++;
        p.attempts = 0;
        commit(subscription, p, kept);
        moved = false;
      }
    }
    commitIfMoved(subscription, p, moved);
  }

  /**
   * Whether the alert is one the subscription wants; null when its talk cannot be read right now.
   */
  private Boolean matches(Subscription s, Alert alert) {
    if (alert.getSeverity().ordinal() < s.minSeverity().ordinal()) {
      return false;
    }
    if (s.talk() != null && !s.talk().equals(alert.getTalkId())) {
      return false;
    }
    if (s.party() == null) {
      return true;
    }
    try {
      Optional<TalkState> talk = talks.talk(alert.getTalkId());
      return talk.isPresent()
          && talk.get().getParties().stream().anyMatch(party -> party.equalsIgnoreCase(s.party()));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** POSTs one alert; null when the receiver took it (2xx), else why not. */
  private String post(Subscription s, Alert alert, int attempt) {
    String body = body(s, alert).toString();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(s.url()))
            .timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "Parley-Webhooks")
            .header("X-Parley-Alert-Id", alert.getAlertId())
            .header("X-Parley-Subscription", s.subscriptionId())
            .header("X-Parley-Attempt", Integer.toString(attempt))
            .header("X-Parley-Signature", "sha256=" + sign(s.secret(), body))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
    } catch (java.io.IOException e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  static ObjectNode body(Subscription s, Alert alert) {
    ObjectNode body = JsonForm.MAPPER.createObjectNode();
    if ("slack".equals(s.format())) {
      body.put(
          "text",
          String.format(
              "*%s* %s: %s (talk %s)",
              alert.getSeverity(),
              alert.getType().name().replace('_', ' '),
              alert.getMessage(),
              alert.getTalkId()));
      return body;
    }
    body.put("alertId", alert.getAlertId());
    body.put("subscriptionId", s.subscriptionId());
    body.set("alert", JsonForm.toNode(alert));
    return body;
  }

  /**
   * HMAC-SHA256 of the exact body bytes, hex: what a receiver recomputes with the subscription's
   * secret.
   */
  static String sign(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void commitIfMoved(Subscription s, Progress p, boolean moved) {
    if (moved) {
      commit(s, p, null);
    }
  }

  /**
   * The new position (and the alert given up on, if any) in one transaction, fenced by the group's
   * generation.
   */
  private void commit(Subscription s, Progress p, ObjectNode undelivered) {
    try {
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(
              Subscriptions.PROGRESS, s.subscriptionId(), p.toJson(s.subscriptionId()).toString()));
      if (undelivered != null) {
        producer.send(
            new ProducerRecord<>(
                Subscriptions.UNDELIVERED, s.subscriptionId(), undelivered.toString()));
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (TopicPartition partition : owner.assignment()) {
        offsets.put(partition, new OffsetAndMetadata(owner.position(partition)));
      }
      producer.sendOffsetsToTransaction(offsets, owner.groupMetadata());
      producer.commitTransaction();
    } catch (ProducerFencedException e) {
      throw e;
    } catch (KafkaException e) {
      producer.abortTransaction();
      reload = true; // read back what is committed, and go on from there
      throw new IllegalStateException("could not record webhook progress: " + e.getMessage(), e);
    }
  }

  /**
   * Delivery progress as the API shows it, read from the topic (so any instance answers the same).
   */
  static List<ObjectNode> list(Subscriptions store) {
    Map<String, ObjectNode> progress = store.progress();
    List<ObjectNode> out = new ArrayList<>();
    for (Subscription s : store.all().values()) {
      ObjectNode node = s.publicJson();
      ObjectNode p = progress.get(s.subscriptionId());
      node.put("delivered", p == null ? 0 : p.path("delivered").asLong());
      node.put("undelivered", p == null ? 0 : p.path("undelivered").asLong());
      node.set("lastError", p == null ? null : p.get("lastError"));
      out.add(node);
    }
    return out;
  }

  @Override
  public void close() {
    closing = true;
    owner.wakeup();
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
