package org.parley.ingest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.parley.avro.ClockTick;
import org.parley.avro.DiplomaticEvent;
import org.parley.client.ParleyClients;
import org.parley.client.Topic;

/**
 * Publishes events to the events topic, keyed by talk id (so each talk keeps its order), in
 * transactions: a batch is published whole or not at all, and consumers reading committed data
 * never see half of it.
 */
public final class EventPublisher implements AutoCloseable {
  private final Topic<String, DiplomaticEvent> events;
  private final KafkaProducer<String, DiplomaticEvent> producer;

  public EventPublisher(
      String bootstrapServers,
      Map<String, Object> clientProperties,
      Topic<String, DiplomaticEvent> events,
      String purpose) {
    this.events = events;
    Map<String, Object> config = ParleyClients.producerConfig(bootstrapServers, clientProperties);
    config.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "parley-" + purpose + "-" + UUID.randomUUID());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer = new KafkaProducer<>(config, events.keySerializer(), events.valueSerializer());
    producer.initTransactions();
  }

  /**
   * Publishes all the events in one transaction; returns how many. An event without {@code
   * loggedAt} is stamped with the time of publishing: record time, in which a talk's history is
   * judged to have gone quiet (a copy of a log keeps the stamps it has).
   */
  public int publish(List<DiplomaticEvent> batch) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    producer.beginTransaction();
    try {
      for (DiplomaticEvent event : batch) {
        if (event.getLoggedAt() == null) {
          event.setLoggedAt(now);
        }
        producer.send(record(event));
      }
      producer.commitTransaction();
      return batch.size();
    } catch (KafkaException e) {
      throw aborted(e);
    }
  }

  /**
   * Events go to their talk's partition (by key); a clock tick goes back to the partition it was
   * published to, which is what keeps a copy of the log's clock the same as the original's.
   */
  private ProducerRecord<String, DiplomaticEvent> record(DiplomaticEvent event) {
    if (event.getPayload() instanceof ClockTick tick && tick.getPartition() != null) {
      return new ProducerRecord<>(events.name(), tick.getPartition(), event.getTalkId(), event);
    }
    return new ProducerRecord<>(events.name(), event.getTalkId(), event);
  }

  private KafkaException aborted(KafkaException cause) {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      cause.addSuppressed(
          e); // fenced or fatal: the producer cannot abort; nothing was committed either way
    }
    return cause;
  }

  /** The number of partitions of the events topic. */
  public int partitions() {
    return producer.partitionsFor(events.name()).size();
  }

  @Override
  public void close() {
    producer.close();
  }
}
