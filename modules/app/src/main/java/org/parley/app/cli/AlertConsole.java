package org.parley.app.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.parley.avro.Alert;
import org.parley.client.AlertFollower;
import org.parley.client.Topics;

/** Prints each alert as one readable line as it is committed: what `parley up` shows. */
final class AlertConsole implements AutoCloseable {
  private final AlertFollower follower;

  AlertConsole(
      String bootstrapServers,
      Map<String, Object> clientProperties,
      Topics topics,
      PrintWriter out) {
    // Only what happens from now on: earlier alerts are in the topic for `parley tail alerts
    // --from-beginning`.
    follower =
        new AlertFollower(
            bootstrapServers,
            clientProperties,
            topics.alerts().name(),
            "parley-alert-console",
            consumer -> {
              Set<TopicPartition> partitions = consumer.assignment();
              consumer.seekToEnd(partitions);
              partitions.forEach(consumer::position);
            },
            new AlertFollower.Listener() {
              @Override
              public void alert(ConsumerRecord<byte[], byte[]> record, Alert alert) {
                out.println(line(alert));
              }

              @Override
              public void notAnAlert(ConsumerRecord<byte[], byte[]> record, String reason) {
                out.printf(
                    "(skipped %s-%d@%d: not an alert: %s)%n",
                    record.topic(), record.partition(), record.offset(), reason);
              }

              @Override
              public void polled(KafkaConsumer<byte[], byte[]> consumer) {
                out.flush();
              }

              @Override
              public void stopped(RuntimeException failure) {
                if (failure != null) {
                  throw failure;
                }
              }
            });
  }

  static String line(Alert alert) {
    return String.format(
        "%s  %-8s %-25s %s  %s",
        alert.getEventTime(),
        alert.getSeverity(),
        alert.getType(),
        alert.getTalkId(),
        alert.getMessage());
  }

  @Override
  public void close() {
    follower.close();
  }
}
