package org.parley.app.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.parley.model.RecordCodec;
import org.parley.model.UndecodableRecord;
import org.parley.avro.Alert;
import org.parley.client.ParleyClients;
import org.parley.client.Topics;

/** Prints each alert as one readable line as it is committed: what `parley up` shows. */
final class AlertConsole implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final PrintWriter out;
  private final Thread thread;

  AlertConsole(String bootstrapServers, Map<String, Object> clientProperties, Topics topics, PrintWriter out) {
    this.consumer = ParleyClients.committedReader(bootstrapServers, clientProperties, topics.alerts().name(),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.out = out;
    // Only what happens from now on: earlier alerts are in the topic for `parley tail alerts --from-beginning`.
    Set<TopicPartition> partitions = consumer.assignment();
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    this.thread = new Thread(this::run, "parley-alert-console");
    thread.setDaemon(true);
    thread.start();
  }

  static String line(Alert alert) {
    return String.format("%s  %-8s %-25s %s  %s", alert.getEventTime(), alert.getSeverity(), alert.getType(),
        alert.getTalkId(), alert.getMessage());
  }

  private void run() {
    try {
      while (true) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          // Decoded here, not by a deserializer: a record that is not an alert is reported and passed, not a dead end.
          try {
            if (record.value() == null) {
              throw new UndecodableRecord("an empty record (no value)");
            }
            out.println(line(RecordCodec.alerts().decode(record.value())));
          } catch (UndecodableRecord e) {
            out.printf("(skipped %s-%d@%d: not an alert: %s)%n", record.topic(), record.partition(), record.offset(),
                e.getMessage());
          }
        }
        out.flush();
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

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
