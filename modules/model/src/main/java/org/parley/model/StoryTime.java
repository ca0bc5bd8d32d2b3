package org.parley.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.parley.avro.DiplomaticEvent;

/**
 * What an event may say about time, beyond being well formed. An event is dated in story time,
 * which may lie anywhere in the past (a backfill, last year's feed) but not further into the future
 * than a tolerance past when it was recorded: a mistyped year (2062 for 2026) would otherwise move
 * its talk decades ahead and miss every deadline it has. The doors (publish, HTTP, feeds) refuse
 * such an event before it reaches Kafka; the pipeline dead-letters one that reaches the topic
 * anyway.
 */
public final class StoryTime {
  public static final Duration DEFAULT_FUTURE_TOLERANCE = Duration.ofDays(1);

  private StoryTime() {}

  /**
   * The problems with an event's times.
   *
   * @param loggedAt when it reached (or is reaching) the log: occurredAt and recordedAt may not be
   *     more than the tolerance past it either
   */
  public static List<Problem> problems(
      DiplomaticEvent event, Instant loggedAt, Duration tolerance) {
    List<Problem> problems = new ArrayList<>();
    Instant recordedLimit = event.getRecordedAt().plus(tolerance);
    Instant loggedLimit = loggedAt.plus(tolerance);
    if (event.getOccurredAt().isAfter(recordedLimit)) {
      problems.add(
          new Problem(
              "occurredAt",
              event.getOccurredAt()
                  + " is more than "
                  + describe(tolerance)
                  + " after recordedAt ("
                  + event.getRecordedAt()
                  + "): an event cannot be recorded before it happens"
                  + " (a mistyped year?)"));
    } else if (event.getOccurredAt().isAfter(loggedLimit)) {
      problems.add(
          new Problem(
              "occurredAt",
              event.getOccurredAt()
                  + " is more than "
                  + describe(tolerance)
                  + " in the future (now "
                  + loggedAt
                  + "): a mistyped year?"));
    }
    if (event.getRecordedAt().isAfter(loggedLimit)) {
      problems.add(
          new Problem(
              "recordedAt",
              event.getRecordedAt()
                  + " is more than "
                  + describe(tolerance)
                  + " in the future (now "
                  + loggedAt
                  + ")"));
    }
    return problems;
  }

  /** "1 day", "6 hours", "90 seconds": the tolerance as a person reads it. */
  static String describe(Duration d) {
    if (d.toSeconds() % 86_400 == 0 && !d.isZero()) {
      return plural(d.toDays(), "day");
    }
    if (d.toSeconds() % 3_600 == 0 && !d.isZero()) {
      return plural(d.toHours(), "hour");
    }
    if (d.toSeconds() % 60 == 0 && !d.isZero()) {
      return plural(d.toMinutes(), "minute");
    }
    return plural(d.toSeconds(), "second");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
