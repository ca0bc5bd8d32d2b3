package org.parley.client;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.parley.avro.Alert;
import org.parley.model.RecordCodec;
import org.parley.model.UndecodableRecord;

/**
 * Follows the alerts topic on a thread of its own, every partition, committed records only, and
 * hands each alert to a listener. Records are read as bytes and decoded here one by one: a
 * deserializer that throws would stop the consumer at that record for good, while a record that is
 * not an alert (anyone with write access can put one there) is only reported and passed.
 *
 * <p>{@code parley up}'s alert console and the gateway's live feed both follow alerts through here.
 */
public final class AlertFollower implements AutoCloseable {

  /** What the follower tells its owner, always on the follower's thread. */
  public interface Listener {
    void alert(ConsumerRecord<byte[], byte[]> record, Alert alert);

    /** A record that is not an alert, with why. */
    void notAnAlert(ConsumerRecord<byte[], byte[]> record, String reason);

    /** After each poll, with the consumer (to ask its positions). */
    default void polled(KafkaConsumer<byte[], byte[]> consumer) {}

    /** The follower stopped and closed its consumer: {@code failure} is null when it was closed. */
    default void stopped(RuntimeException failure) {}
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Listener listener;
  private final Thread thread;

  /**
   * Starts following {@code topic}; {@code start} positions the consumer (it is assigned every
   * partition) before the thread starts, on the caller's thread.
   */
  public AlertFollower(
      String bootstrapServers,
      Map<String, Object> client,
      String topic,
      String threadName,
      Consumer<KafkaConsumer<byte[], byte[]>> start,
      Listener listener) {
    this.consumer =
        ParleyClients.committedReader(
            bootstrapServers,
            client,
            topic,
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    this.listener = listener;
    try {
      start.accept(consumer);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    this.thread = new Thread(this::follow, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    RuntimeException failure = null;
    try {
      while (true) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Alert alert;
          try {
            if (record.value() == null) {
              throw new UndecodableRecord("an empty record (no value)");
            }
            alert = RecordCodec.alerts().decode(record.value());
          } catch (UndecodableRecord | RuntimeException e) {
            listener.notAnAlert(record, e.getMessage());
            continue;
          }
          listener.alert(record, alert);
        }
        listener.polled(consumer);
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close();
    }
    listener.stopped(failure);
  }

  /** Stops following and waits (up to ten seconds) for the thread to close the consumer. */
  @Override
  public void close() {
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
