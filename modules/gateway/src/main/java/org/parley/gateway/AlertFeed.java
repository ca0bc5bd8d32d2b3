package org.parley.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.parley.avro.Alert;
import org.parley.model.JsonForm;
import org.parley.topology.CommittedReader;
import org.parley.topology.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts topic, followed live (read_committed) for browsers: it keeps the latest alerts for
 * queries and for clients that reconnect, and hands each new alert to every subscriber.
 *
 * <p>An alert's feed id is the position of the whole topic just after it, partition by partition
 * ({@code 0:120,1:98,...}). It is the same on every Parley instance and across restarts, so a
 * browser that reconnects (to any instance) with Last-Event-ID gets exactly what it missed.
 */
final class AlertFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertFeed.class);

  /** One alert as browsers get it. */
  record Entry(Alert alert, String json, String id, int partition, long offset) {}

  private final KafkaConsumer<String, Alert> consumer;
  private final int capacity;
  private final Deque<Entry> recent = new ArrayDeque<>();
  private final List<Consumer<Entry>> subscribers = new CopyOnWriteArrayList<>();
  private final TreeMap<Integer, Long> position = new TreeMap<>();
  private final Thread thread;
  private volatile boolean caughtUp;

  AlertFeed(String bootstrap, Map<String, Object> client, Topic<String, Alert> alerts, int capacity) {
    this.capacity = capacity;
    consumer = CommittedReader.ofAllPartitions(bootstrap, client, alerts.name(), alerts.keyDeserializer(),
        alerts.valueDeserializer());
    Set<TopicPartition> partitions = consumer.assignment();
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    for (TopicPartition p : partitions) {
      // Start far enough back to fill the memory, partition by partition.
      long from = Math.max(begin.get(p), end.get(p) - capacity / partitions.size());
      consumer.seek(p, from);
      position.put(p.partition(), from);
    }
    thread = new Thread(() -> follow(end), "parley-alert-feed");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow(Map<TopicPartition, Long> initialEnd) {
    try {
      while (true) {
        for (ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofMillis(500))) {
          Entry entry;
          synchronized (this) {
            position.put(record.partition(), record.offset() + 1);
            entry = new Entry(record.value(), JsonForm.toJson(record.value()), id(position), record.partition(),
                record.offset());
            recent.addLast(entry);
            if (recent.size() > capacity) {
              recent.removeFirst();
            }
          }
          subscribers.forEach(s -> s.accept(entry));
        }
        if (!caughtUp && initialEnd.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          caughtUp = true;
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("the alert feed stopped", e);
    } finally {
      consumer.close();
    }
  }

  /** Whether the feed has read what the topic held when it started. */
  boolean caughtUp() {
    return caughtUp;
  }

  /** The latest alerts of log time {@code since} or later (all when null), of one talk (all when null), oldest first. */
  List<Entry> recent(Instant since, String talkId, int limit) {
    return recent(since, alert -> talkId == null || talkId.equals(alert.getTalkId()), limit);
  }

  /** The latest alerts of log time {@code since} or later (all when null) that pass the filter, oldest first. */
  synchronized List<Entry> recent(Instant since, java.util.function.Predicate<Alert> filter, int limit) {
    List<Entry> matching = new ArrayList<>();
    for (Entry entry : recent) {
      if ((since == null || !entry.alert().getEventTime().isBefore(since)) && filter.test(entry.alert())) {
        matching.add(entry);
      }
    }
    return matching.subList(Math.max(0, matching.size() - limit), matching.size());
  }

  /**
   * Subscribes, first handing over what was missed after {@code lastEventId} (a feed id; null for
   * nothing). Done under the feed's lock, so nothing falls between the replay and the live alerts.
   */
  synchronized void subscribe(String lastEventId, Consumer<Entry> subscriber) {
    if (lastEventId != null) {
      Map<Integer, Long> seen = parse(lastEventId);
      for (Entry entry : recent) {
        if (entry.offset() >= seen.getOrDefault(entry.partition(), 0L)) {
          subscriber.accept(entry);
        }
      }
    }
    subscribers.add(subscriber);
  }

  void unsubscribe(Consumer<Entry> subscriber) {
    subscribers.remove(subscriber);
  }

  static String id(TreeMap<Integer, Long> position) {
    StringBuilder id = new StringBuilder();
    position.forEach((p, o) -> id.append(id.length() == 0 ? "" : ",").append(p).append(':').append(o));
    return id.toString();
  }

  /** A feed id back to positions; a malformed one counts as nothing seen. */
  static Map<Integer, Long> parse(String id) {
    Map<Integer, Long> positions = new HashMap<>();
    try {
      for (String part : id.split(",")) {
        String[] pair = part.split(":");
        positions.put(Integer.parseInt(pair[0].trim()), Long.parseLong(pair[1].trim()));
      }
    } catch (RuntimeException e) {
      return Map.of();
    }
    return positions;
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
