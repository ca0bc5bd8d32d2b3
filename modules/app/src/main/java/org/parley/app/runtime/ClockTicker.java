package org.parley.app.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.parley.avro.ClockTick;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.Source;
import org.parley.ingest.EventPublisher;
import org.parley.model.ClockSeal;
import org.parley.model.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a ClockTick to every partition of the events topic at a fixed interval while Parley
 * runs live, so that deadlines pass while nobody is talking. The ticks go into the log itself, so a
 * replay sees each deadline pass at the same point as it did live. This is the one place that reads
 * the wall clock, and it is a producer, not part of the fold. Each tick is sealed with the
 * cluster's clock key: the pipeline dead-letters a tick that anybody else publishes.
 */
public final class ClockTicker implements AutoCloseable {
  /**
   * The key (and talk id) of every tick; time travel reads past every other talk's records but
   * these.
   */
  public static final String KEY = "clock";

  private static final Logger LOG = LoggerFactory.getLogger(ClockTicker.class);

  private final EventPublisher publisher;
  private final ClockSeal seal;
  private final Clock clock;
  private final String instanceId;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "parley-clock-ticker");
            thread.setDaemon(true);
            return thread;
          });

  public ClockTicker(EventPublisher publisher, ClockSeal seal, Clock clock, String instanceId) {
    this.publisher = publisher;
    this.seal = seal;
    this.clock = clock;
    this.instanceId = instanceId;
  }

  public void start(Duration interval) {
    scheduler.scheduleAtFixedRate(this::tickSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One tick to every partition, all at the same instant, in one transaction. */
  void tick() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    List<DiplomaticEvent> ticks = new ArrayList<>();
    for (int partition = 0; partition < publisher.partitions(); partition++) {
      ticks.add(
          seal.seal(
              DiplomaticEvent.newBuilder()
                  .setEventId(
                      Events.TICK_ID_PREFIX
                          + instanceId
                          + "-p"
                          + partition
                          + "-"
                          + now.toEpochMilli())
                  .setTalkId(KEY)
                  .setOccurredAt(now)
                  .setRecordedAt(now)
                  .setLoggedAt(now)
                  .setSource(new Source("parley clock ticker " + instanceId, null, null))
                  .setPayload(new ClockTick(partition, null))
                  .build()));
    }
    publisher.publish(ticks);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // A missed tick only delays deadline alerts until the next one; keep ticking.
      LOG.warn("clock tick failed, retrying at the next interval: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
