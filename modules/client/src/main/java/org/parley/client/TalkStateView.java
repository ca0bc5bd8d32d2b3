package org.parley.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.parley.avro.TalkState;

/**
 * The latest state of every talk, kept up to date in memory from the talk-state topic: what a
 * downstream service needs to answer "what is the state of talk X" without calling Parley.
 *
 * <p>It reads every partition from the start (the topic is compacted: it holds the latest state per
 * talk), committed records only, outside any consumer group, on a thread of its own. A tombstone
 * removes a talk. {@link #awaitCaughtUp} waits until everything on the topic when it was called has
 * been read.
 *
 * <pre>{@code
 * try (TalkStateView talks = TalkStateView.start(Map.of("bootstrap.servers", "kafka:9092"))) {
 *   talks.awaitCaughtUp(Duration.ofSeconds(30));
 *   talks.get("syria-ceasefire-geneva-2016").ifPresent(state -> ...);
 * }
 * }</pre>
 */
public final class TalkStateView implements AutoCloseable {
  private final Map<String, TalkState> talks = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, TalkState>> listeners = new CopyOnWriteArrayList<>();
  private final KafkaConsumer<String, TalkState> consumer;
  private final Thread reader;
  private final Object progress = new Object();
  private Map<TopicPartition, Long> positions = Map.of();
  private volatile RuntimeException failure;
  private volatile boolean closed;

  private TalkStateView(Map<String, Object> client, String topic) {
    Map<String, Object> config =
        ParleyClients.consumerConfig(
            String.valueOf(client.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)), client);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumer =
        new KafkaConsumer<>(
            config, ParleySerdes.keys().deserializer(), ParleySerdes.talkStates().deserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    reader = new Thread(this::read, "parley-talk-state-view");
    reader.setDaemon(true);
  }

  /**
   * Starts reading {@link ParleyTopics#TALK_STATE}; {@code client} holds bootstrap.servers and any
   * security settings.
   */
  public static TalkStateView start(Map<String, Object> client) {
    return start(client, ParleyTopics.TALK_STATE);
  }

  /** Starts reading another talk-state topic (a rebuild's, say). */
  public static TalkStateView start(Map<String, Object> client, String topic) {
    TalkStateView view = new TalkStateView(client, topic);
    view.reader.start();
    return view;
  }

  public Optional<TalkState> get(String talkId) {
    failIfBroken();
    return Optional.ofNullable(talks.get(talkId));
  }

  /** Every talk's latest state, by talk id (a copy). */
  public Map<String, TalkState> all() {
    failIfBroken();
    return Map.copyOf(talks);
  }

  /** Called on the reader's thread for every state read (null: the talk was deleted). */
  public void onChange(BiConsumer<String, TalkState> listener) {
    listeners.add(listener);
  }

  /** Waits until every state on the topic now has been read; a timeout names how long it waited. */
  public void awaitCaughtUp(Duration timeout) throws InterruptedException, TimeoutException {
    Map<TopicPartition, Long> end;
    synchronized (consumer) {
      end = consumer.endOffsets(consumer.assignment());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (!caughtUp(end)) {
        failIfBroken();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("the talk-state view did not catch up within " + timeout);
        }
        progress.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private boolean caughtUp(Map<TopicPartition, Long> end) {
    return end.entrySet().stream()
        .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
  }

  private void read() {
    try {
      while (!closed) {
        Map<TopicPartition, Long> now = new HashMap<>();
        synchronized (consumer) {
          for (ConsumerRecord<String, TalkState> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.value() == null) {
              talks.remove(record.key());
            } else {
              talks.put(record.key(), record.value());
            }
            listeners.forEach(l -> l.accept(record.key(), record.value()));
          }
          for (TopicPartition partition : consumer.assignment()) {
            now.put(partition, consumer.position(partition));
          }
        }
        synchronized (progress) {
          positions = now;
          progress.notifyAll();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
      synchronized (progress) {
        progress.notifyAll();
      }
    }
  }

  private void failIfBroken() {
    if (failure != null) {
      throw new IllegalStateException(
          "the talk-state view stopped: " + failure.getMessage(), failure);
    }
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      reader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (consumer) {
      consumer.close();
    }
  }
}
