package org.parley.app;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Counts the alerts the broker acknowledged to the producers of the clients it is given to ({@link
 * #CONFIG}): a test can then wait for a rebuild to have written something, rather than for a
 * guessed time. Given as a client setting, it reaches consumers too, which it lets be.
 */
public final class AcknowledgedAlerts
    implements ProducerInterceptor<Object, Object>, ConsumerInterceptor<Object, Object> {

  /** Acknowledged alerts since the last {@link #reset}, over all clients given this. */
  private static final AtomicLong COUNT = new AtomicLong();

  /** The client setting that counts. */
  public static final Map<String, Object> CONFIG =
      Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, AcknowledgedAlerts.class.getName());

  static void reset() {
    COUNT.set(0);
  }

  static long count() {
    return COUNT.get();
  }

  @Override
  public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
    return record;
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    if (exception == null && metadata != null && metadata.topic().startsWith("parley.alerts.")) {
      COUNT.incrementAndGet();
    }
  }

  @Override
  public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
    return records;
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
