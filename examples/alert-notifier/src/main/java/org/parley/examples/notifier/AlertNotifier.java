package org.parley.examples.notifier;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.parley.avro.Alert;
import org.parley.avro.Severity;
import org.parley.avro.TalkState;
import org.parley.client.ParleySerdes;
import org.parley.client.ParleyTopics;
import org.parley.client.TalkStateView;

/**
 * A downstream service built on parley-client alone: it reads Parley's alerts in a consumer group
 * (so several copies share the work and a restart carries on where it stopped), keeps those at or
 * above a severity, and sends each as one line naming the talk by its title, which it looks up in a
 * {@link TalkStateView}. Here "sends" is a {@code Consumer<String>}: standard output in {@link
 * #main}, a mail or chat hook in a real service.
 *
 * <p>Offsets are committed after the lines are sent: a crash repeats a notification, never loses
 * one.
 */
public final class AlertNotifier implements Runnable, AutoCloseable {
  private final KafkaConsumer<String, Alert> consumer;
  private final TalkStateView talks;
  private final Severity minimum;
  private final Consumer<String> send;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /**
   * {@code client}: bootstrap.servers and any security settings; {@code group}: the consumer group
   * id.
   */
  public AlertNotifier(
      Map<String, Object> client, String group, Severity minimum, Consumer<String> send) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer =
        new KafkaConsumer<>(
            config, ParleySerdes.keys().deserializer(), ParleySerdes.alerts().deserializer());
    this.talks = TalkStateView.start(client);
    this.minimum = minimum;
    this.send = send;
  }

  /** The line sent for one alert. */
  String line(Alert alert) {
    String title = talks.get(alert.getTalkId()).map(TalkState::getTitle).orElse(alert.getTalkId());
    return String.format(
        "[%s] %s: %s (%s, %s)",
        alert.getSeverity(), title, alert.getMessage(), alert.getType(), alert.getEventTime());
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(ParleyTopics.ALERTS));
      while (true) {
        var records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, Alert> record : records) {
          Alert alert = record.value();
          if (alert != null && alert.getSeverity().ordinal() >= minimum.ordinal()) {
            send.accept(line(alert));
          }
        }
        if (!records.isEmpty()) {
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      // close() was called: every alert polled so far has been sent, so its offset can be committed
      consumer.commitSync();
    } finally {
      consumer.close();
      stopped.countDown();
    }
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    stopped.await();
    talks.close();
  }

  /**
   * {@code alert-notifier BOOTSTRAP_SERVERS [MINIMUM_SEVERITY]}: prints HIGH and CRITICAL alerts
   * unless told otherwise.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: alert-notifier BOOTSTRAP_SERVERS [INFO|NOTICE|HIGH|CRITICAL]");
      System.exit(2);
    }
    Severity minimum = args.length == 2 ? Severity.valueOf(args[1].toUpperCase()) : Severity.HIGH;
    AlertNotifier notifier =
        new AlertNotifier(
            Map.of("bootstrap.servers", args[0]),
            "parley-alert-notifier",
            minimum,
            System.out::println);
    Thread worker = new Thread(notifier, "alert-notifier");
    worker.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    notifier.close();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    worker.join();
  }

  /** Waits for the talk titles already published, so the first lines name their talks. */
  public void awaitTalks(Duration timeout) throws InterruptedException, TimeoutException {
    talks.awaitCaughtUp(timeout);
  }
}
