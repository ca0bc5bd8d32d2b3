package org.parley.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.parley.avro.Deadline;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.TalkState;

/**
 * Time passing over a talk's deadlines. "Now" is always given (the talk's own time, from the log),
 * never read: the same log therefore misses the same deadlines at the same point, live or in a
 * replay.
 *
 * <p>An open deadline is warned once per horizon as it comes within it (by default 24 hours, then 1
 * hour), and missed when now reaches its due time. When time jumps past several thresholds at once,
 * only the nearest applies: a deadline found already past is missed, not warned first.
 */
public final class DeadlineClock {

  public static final List<Duration> DEFAULT_HORIZONS =
      List.of(Duration.ofHours(24), Duration.ofHours(1));
  public static final Duration DEFAULT_QUIET_AFTER = Duration.ofMinutes(1);

  /** A century: longer than any diplomatic deadline is warned ahead of. */
  public static final Duration LONGEST_HORIZON = Duration.ofDays(36_525);

  /** Longest first. */
  private final List<Duration> horizons;

  private final Duration quietAfter;
  private final long longestHorizonSeconds;

  /** The horizons in whole seconds, longest first. */
  private final long[] horizonSeconds;

  public DeadlineClock(List<Duration> horizons) {
    this(horizons, DEFAULT_QUIET_AFTER);
  }

  /**
   * @param quietAfter how long a talk must have gone without events, in record time, before a clock
   *     tick moves its time: while its history is still being published (a backfill, a feed of last
   *     year), the ticker's "now" is not the talk's now.
   */
  public DeadlineClock(List<Duration> horizons, Duration quietAfter) {
    if (horizons.stream().anyMatch(h -> h.isNegative() || h.isZero() || h.getNano() != 0)) {
      throw new IllegalArgumentException(
          "warning horizons must be positive whole seconds: " + horizons);
    }
    if (horizons.stream().anyMatch(h -> h.compareTo(LONGEST_HORIZON) > 0)) {
      // A threshold is a due time less a horizon: beyond Instant's range it cannot be computed.
      throw new IllegalArgumentException(
          "warning horizons must be at most " + LONGEST_HORIZON.toDays() + " days: " + horizons);
    }
    if (quietAfter.isNegative()) {
      throw new IllegalArgumentException("the quiet period must not be negative: " + quietAfter);
    }
    this.horizons = horizons.stream().distinct().sorted(Comparator.reverseOrder()).toList();
    this.quietAfter = quietAfter;
    this.longestHorizonSeconds = this.horizons.isEmpty() ? 0 : this.horizons.get(0).getSeconds();
    this.horizonSeconds = this.horizons.stream().mapToLong(Duration::getSeconds).toArray();
  }

  public Duration quietAfter() {
    return quietAfter;
  }

  /**
   * Whether a clock tick that reached the log at {@code heardAt} may move this talk: its last event
   * reached the log at least the quiet period earlier (a state from before record times were kept
   * counts as quiet).
   */
  public boolean quiet(TalkState talk, Instant heardAt) {
    return talk.getLastHeardAt() == null
        || !heardAt.isBefore(talk.getLastHeardAt().plus(quietAfter));
  }

  public static DeadlineClock standard() {
    return new DeadlineClock(DEFAULT_HORIZONS);
  }

  /**
   * The talk as of {@code now}: open deadlines warned or missed. Returns the same object when
   * nothing is due.
   */
  public TalkState passTime(TalkState talk, Instant now) {
    if (talk == null) {
      return talk;
    }
    List<Deadline> before = talk.getDeadlines();
    // One pass: the deadlines are copied from the first one due. (Until the twentieth round of
    // issue 14, a first pass asked whether any was due, and a second asked each again.)
    Object[] deadlines = null;
    for (int i = 0; i < before.size(); i++) {
      Deadline due = before.get(i);
      if (!dueForChange(due, now)) {
        continue;
      }
      if (deadlines == null) {
        deadlines = before.toArray();
      }
      Deadline deadline = Copies.of(due);
      deadlines[i] = deadline;
      if (!now.isBefore(deadline.getDueAt())) {
        deadline.setStatus(DeadlineStatus.MISSED);
      } else {
        deadline.setWarnedWithinSeconds(nearestHorizonReached(deadline, now).getSeconds());
      }
    }
    if (deadlines == null) {
      return talk;
    }
    TalkState after = Copies.of(talk);
    after.setDeadlines(Items.sameIds(before, deadlines));
    if (now.isAfter(after.getUpdatedAt())) {
      after.setUpdatedAt(now);
    }
    return after;
  }

  /**
   * The threshold a deadline crossed when it changed at {@code now}: its due time, or the due time
   * less the horizon warned.
   */
  public static Instant thresholdCrossed(Deadline after) {
    return after.getStatus() == DeadlineStatus.MISSED || after.getWarnedWithinSeconds() == null
        ? after.getDueAt()
        : after.getDueAt().minusSeconds(after.getWarnedWithinSeconds());
  }

  /**
   * The earliest time at which {@link #passTime} would change this talk, if any deadline is open.
   */
  public Optional<Instant> nextWakeUp(TalkState talk) {
    if (talk == null) {
      return Optional.empty();
    }
    // Compared as (seconds, nanos) pairs, one Instant made at the end: this runs over all of a
    // talk's deadlines whenever they change (and PartitionFold has not remembered the answer).
    Deadline first = null;
    long firstSecond = 0;
    for (Deadline deadline : talk.getDeadlines()) {
      if (deadline.getStatus() != DeadlineStatus.OPEN) {
        continue;
      }
      long second = deadline.getDueAt().getEpochSecond() - nextHorizonSeconds(deadline);
      if (first == null
          || second < firstSecond
          || (second == firstSecond
              && deadline.getDueAt().getNano() < first.getDueAt().getNano())) {
        first = deadline;
        firstSecond = second;
      }
    }
    return first == null
        ? Optional.empty()
        : Optional.of(Instant.ofEpochSecond(firstSecond, first.getDueAt().getNano()));
  }

  private boolean dueForChange(Deadline deadline, Instant now) {
    // Nothing is due before the earliest threshold (the due time less the longest horizon): most
    // deadlines are decided here without looking at what was warned.
    if (deadline.getStatus() != DeadlineStatus.OPEN) {
      return false;
    }
    Instant dueAt = deadline.getDueAt();
    return now.getEpochSecond() >= dueAt.getEpochSecond() - longestHorizonSeconds - 1
        && reached(now, dueAt, nextHorizonSeconds(deadline));
  }

  /** Whether {@code now} is at or past {@code dueAt} less a whole number of seconds. */
  private static boolean reached(Instant now, Instant dueAt, long horizonSeconds) {
    long threshold = dueAt.getEpochSecond() - horizonSeconds;
    return now.getEpochSecond() > threshold
        || (now.getEpochSecond() == threshold && now.getNano() >= dueAt.getNano());
  }

  /**
   * The next threshold of a deadline, as seconds before its due time: the longest horizon not yet
   * warned, or 0 (the due time itself).
   */
  private long nextHorizonSeconds(Deadline deadline) {
    for (int i = 0; i < horizonSeconds.length; i++) {
      if (notYetWarned(deadline, horizonSeconds[i])) {
        return horizonSeconds[i];
      }
    }
    return 0;
  }

  private Duration nearestHorizonReached(Deadline deadline, Instant now) {
    Duration nearest = null;
    for (Duration horizon : horizons) {
      if (notYetWarned(deadline, horizon.getSeconds())
          && reached(now, deadline.getDueAt(), horizon.getSeconds())) {
        nearest = horizon;
      }
    }
    return nearest;
  }

  private static boolean notYetWarned(Deadline deadline, long horizonSeconds) {
    Long warned = deadline.getWarnedWithinSeconds();
    return warned == null || horizonSeconds < warned;
  }
}
