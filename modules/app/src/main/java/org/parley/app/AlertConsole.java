package org.parley.app;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.parley.avro.Alert;
import org.parley.topology.CommittedReader;
import org.parley.topology.Topics;

/** Prints each alert as one readable line as it is committed: what `parley up` shows. */
final class AlertConsole implements AutoCloseable {
  private final KafkaConsumer<String, Alert> consumer;
  private final PrintWriter out;
  private final Thread thread;

  AlertConsole(String bootstrapServers, Map<String, Object> clientProperties, Topics topics, PrintWriter out) {
    this.consumer = CommittedReader.ofAllPartitions(bootstrapServers, clientProperties, topics.alerts().name(),
        topics.alerts().keyDeserializer(), topics.alerts().valueDeserializer());
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
        for (ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofSeconds(1))) {
          out.println(line(record.value()));
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
