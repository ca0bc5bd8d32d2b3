package org.parley.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.parley.avro.Deadline;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.TalkState;

/**
 * Time passing over a talk's deadlines. "Now" is always given (the log's clock), never read: the
 * same log therefore misses the same deadlines at the same point, live or in a replay.
 *
 * <p>An open deadline is warned once per horizon as it comes within it (by default 24 hours,
 * then 1 hour), and missed when now reaches its due time. When time jumps past several
 * thresholds at once, only the nearest applies: a deadline found already past is missed, not
 * warned first.
 */
public final class DeadlineClock {

  public static final List<Duration> DEFAULT_HORIZONS = List.of(Duration.ofHours(24), Duration.ofHours(1));

  /** Longest first. */
  private final List<Duration> horizons;

  public DeadlineClock(List<Duration> horizons) {
    if (horizons.stream().anyMatch(h -> h.isNegative() || h.isZero() || h.getNano() != 0)) {
      throw new IllegalArgumentException("warning horizons must be positive whole seconds: " + horizons);
    }
    this.horizons = horizons.stream().distinct().sorted(Comparator.reverseOrder()).toList();
  }

  public static DeadlineClock standard() {
    return new DeadlineClock(DEFAULT_HORIZONS);
  }

  public List<Duration> horizons() {
    return horizons;
  }

  /** The talk as of {@code now}: open deadlines warned or missed. Returns the same object when nothing is due. */
  public TalkState passTime(TalkState talk, Instant now) {
    if (talk == null || talk.getDeadlines().stream().noneMatch(d -> dueForChange(d, now))) {
      return talk;
    }
    TalkState after = Copies.of(talk);
    List<Deadline> deadlines = new ArrayList<>(talk.getDeadlines());
    after.setDeadlines(deadlines);
    for (int i = 0; i < deadlines.size(); i++) {
      if (!dueForChange(deadlines.get(i), now)) {
        continue;
      }
      Deadline deadline = Copies.of(deadlines.get(i));
      deadlines.set(i, deadline);
      if (!now.isBefore(deadline.getDueAt())) {
        deadline.setStatus(DeadlineStatus.MISSED);
      } else {
        deadline.setWarnedWithinSeconds(nearestHorizonReached(deadline, now).getSeconds());
      }
    }
    if (now.isAfter(after.getUpdatedAt())) {
      after.setUpdatedAt(now);
    }
    return after;
  }

  /** The earliest time at which {@link #passTime} would change this talk, if any deadline is open. */
  public Optional<Instant> nextWakeUp(TalkState talk) {
    if (talk == null) {
      return Optional.empty();
    }
    return talk.getDeadlines().stream()
        .filter(d -> d.getStatus() == DeadlineStatus.OPEN)
        .map(this::nextThreshold)
        .min(Comparator.naturalOrder());
  }

  private boolean dueForChange(Deadline deadline, Instant now) {
    return deadline.getStatus() == DeadlineStatus.OPEN && !now.isBefore(nextThreshold(deadline));
  }

  /** The due time less the longest horizon not yet warned, or the due time itself. */
  private Instant nextThreshold(Deadline deadline) {
    for (Duration horizon : horizons) {
      if (notYetWarned(deadline, horizon)) {
        return deadline.getDueAt().minus(horizon);
      }
    }
    return deadline.getDueAt();
  }

  private Duration nearestHorizonReached(Deadline deadline, Instant now) {
    Duration nearest = null;
    for (Duration horizon : horizons) {
      if (notYetWarned(deadline, horizon) && !now.isBefore(deadline.getDueAt().minus(horizon))) {
        nearest = horizon;
      }
    }
    return nearest;
  }

  private static boolean notYetWarned(Deadline deadline, Duration horizon) {
    Long warned = deadline.getWarnedWithinSeconds();
    return warned == null || horizon.getSeconds() < warned;
  }
}
