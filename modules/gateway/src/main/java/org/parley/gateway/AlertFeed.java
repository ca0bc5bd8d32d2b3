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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.parley.avro.Alert;
import org.parley.client.AlertFollower;
import org.parley.client.Topic;
import org.parley.model.JsonForm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts topic, followed live (read_committed) for browsers: it keeps the latest alerts for
 * queries and for clients that reconnect, and hands each new alert to every subscriber.
 *
 * <p>An alert's feed id is the position of the whole topic just after it, partition by partition
 * ({@code 0:120,1:98,...}). It is the same on every Parley instance and across restarts, so a
 * browser that reconnects (to any instance) with Last-Event-ID gets exactly what it missed.
 *
 * <p>The feed never waits for a subscriber: each has its own queue of at most {@link
 * #SUBSCRIBER_QUEUE} alerts, filled without blocking and drained by the subscriber's own thread. A
 * subscriber that falls that far behind is dropped (it may reconnect with its last id). A record on
 * the topic that is not an alert (anyone with write access can put one there) is skipped, counted
 * and reported by {@link #health}; it does not stop the feed.
 */
final class AlertFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertFeed.class);

  /** How many alerts a subscriber may be behind before it is dropped. */
  static final int SUBSCRIBER_QUEUE = 1_000;

  /** One alert as browsers get it. */
  record Entry(Alert alert, String json, String id, int partition, long offset) {}

  /** How the feed is doing, for /health. */
  record Health(boolean running, boolean caughtUp, long skipped, String lastSkipped) {}

  private final AlertFollower follower;
  private final int capacity;
  private final Deque<Entry> recent = new ArrayDeque<>();
  private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
  private final TreeMap<Integer, Long> position = new TreeMap<>();
  private volatile boolean caughtUp;
  private volatile boolean running = true;
  private final AtomicLong skipped = new AtomicLong();
  private volatile String lastSkipped;

  AlertFeed(
      String bootstrap, Map<String, Object> client, Topic<String, Alert> alerts, int capacity) {
    this.capacity = capacity;
    Map<TopicPartition, Long> end = new HashMap<>();
    follower =
        new AlertFollower(
            bootstrap,
            client,
            alerts.name(),
            "parley-alert-feed",
            consumer -> {
              Set<TopicPartition> partitions = consumer.assignment();
              Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
              end.putAll(consumer.endOffsets(partitions));
              for (TopicPartition p : partitions) {
                // Start far enough back to fill the memory, partition by partition.
                long from = Math.max(begin.get(p), end.get(p) - capacity / partitions.size());
                consumer.seek(p, from);
                position.put(p.partition(), from);
              }
            },
            new AlertFollower.Listener() {
              @Override
              public void alert(ConsumerRecord<byte[], byte[]> record, Alert alert) {
                Entry entry;
                synchronized (AlertFeed.this) {
                  position.put(record.partition(), record.offset() + 1);
                  entry =
                      new Entry(
                          alert,
                          JsonForm.toJson(alert),
                          id(position),
                          record.partition(),
                          record.offset());
                  recent.addLast(entry);
                  if (recent.size() > capacity) {
                    recent.removeFirst();
                  }
                }
                subscribers.forEach(s -> s.offer(entry));
              }

              @Override
              public void notAnAlert(ConsumerRecord<byte[], byte[]> record, String reason) {
                synchronized (AlertFeed.this) {
                  position.put(record.partition(), record.offset() + 1);
                }
                long n = skipped.incrementAndGet();
                lastSkipped =
                    String.format(
                        "%s-%d@%d: %s",
                        record.topic(), record.partition(), record.offset(), reason);
                if (n <= 100 || n % 10_000 == 0) {
                  LOG.warn(
                      "the alert feed skipped a record that is not an alert ({} so far): {}",
                      n,
                      lastSkipped);
                }
              }

              @Override
              public void polled(KafkaConsumer<byte[], byte[]> consumer) {
                if (!caughtUp
                    && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                  caughtUp = true;
                }
              }

              @Override
              public void stopped(RuntimeException failure) {
                if (failure != null) {
                  LOG.error("the alert feed stopped", failure);
                }
                running = false;
                subscribers.forEach(Subscription::close);
              }
            });
  }

  /** Whether the feed has read what the topic held when it started. */
  boolean caughtUp() {
    return caughtUp;
  }

  Health health() {
    return new Health(running, caughtUp, skipped.get(), lastSkipped);
  }

  /**
   * The latest alerts of log time {@code since} or later (all when null), of one talk (all when
   * null), oldest first.
   */
  List<Entry> recent(Instant since, String talkId, int limit) {
    return recent(since, alert -> talkId == null || talkId.equals(alert.getTalkId()), limit);
  }

  /**
   * The latest alerts of log time {@code since} or later (all when null) that pass the filter,
   * oldest first.
   */
  synchronized List<Entry> recent(
      Instant since, java.util.function.Predicate<Alert> filter, int limit) {
    List<Entry> matching = new ArrayList<>();
    for (Entry entry : recent) {
      if ((since == null || !entry.alert().getEventTime().isBefore(since))
          && filter.test(entry.alert())) {
        matching.add(entry);
      }
    }
    return matching.subList(Math.max(0, matching.size() - limit), matching.size());
  }

  /**
   * Subscribes to the alerts of one talk (all when null), first handing over what was missed after
   * {@code lastEventId} (a feed id; null for nothing). Only the choice of what to replay is made
   * under the feed's lock, so nothing falls between the replay and the live alerts; the sending is
   * the subscriber's own business, on its own thread.
   */
  Subscription subscribe(String lastEventId, String talkId) {
    Subscription subscription = new Subscription(talkId);
    synchronized (this) {
      if (lastEventId != null) {
        Map<Integer, Long> seen = parse(lastEventId);
        for (Entry entry : recent) {
          if (entry.offset() >= seen.getOrDefault(entry.partition(), 0L)
              && subscription.wants(entry)) {
            subscription.replay.addLast(entry);
          }
        }
      }
      subscribers.add(subscription);
    }
    if (!running) {
      subscription.close();
    }
    return subscription;
  }

  int subscriberCount() {
    return subscribers.size();
  }

  /** One subscriber's alerts: what it missed, then the live ones, as fast as it takes them. */
  final class Subscription implements AutoCloseable {
    private final String talkId;
    private final Deque<Entry> replay = new ArrayDeque<>();
    private final BlockingQueue<Entry> live = new ArrayBlockingQueue<>(SUBSCRIBER_QUEUE);
    private volatile boolean closed;
    private volatile boolean overflowed;

    private Subscription(String talkId) {
      this.talkId = talkId;
    }

    private boolean wants(Entry entry) {
      return talkId == null || talkId.equals(entry.alert().getTalkId());
    }

    private void offer(Entry entry) {
      if (closed || !wants(entry)) {
        return;
      }
      if (!live.offer(entry)) {
        overflowed = true;
        close();
      }
    }

    /**
     * The next alert, waiting at most {@code wait}; null when there is none yet, or when closed.
     */
    Entry next(Duration wait) throws InterruptedException {
      synchronized (replay) {
        if (!replay.isEmpty()) {
          return replay.removeFirst();
        }
      }
      return closed ? live.poll() : live.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean closed() {
      return closed && live.isEmpty();
    }

    /** Whether it was dropped for falling more than {@link #SUBSCRIBER_QUEUE} alerts behind. */
    boolean overflowed() {
      return overflowed;
    }

    int pending() {
      return replay.size() + live.size();
    }

    /** Stops delivery and forgets the subscriber; safe to call more than once. */
    @Override
    public void close() {
      closed = true;
      subscribers.remove(this);
      if (overflowed) {
        live.clear();
      }
    }
  }

  static String id(TreeMap<Integer, Long> position) {
    StringBuilder id = new StringBuilder();
    position.forEach(
        (p, o) -> id.append(id.length() == 0 ? "" : ",").append(p).append(':').append(o));
    return id.toString();
  }

  /** A feed id back to positions; a malformed one counts as nothing seen. */
  static Map<Integer, Long> parse(String id) {
    Map<Integer, Long> positions = new HashMap<>();
    if (id.length() > 10_000) {
      return Map.of();
    }
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
    follower.close();
  }
}
