package org.parley.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.avro.Alert;
import org.parley.avro.ClockTick;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;

/**
 * The fold of one partition of the event log, in log order: every talk on it, the partition's
 * clock, duplicates and deadlines coming due. The Kafka Streams topology runs exactly this, over
 * its state stores; time travel and the tests run it over {@link InMemoryLedger}. So live, replay
 * and "as of" can only agree.
 *
 * <p>The partition's clock is the latest event time seen on it, ClockTicks included. When it
 * moves, every talk with a deadline threshold at or before the new time is woken, in order of
 * (threshold, talk id), and time passes for it. Only the talks due are touched: the ledger
 * indexes each talk under its next wake-up time, so a tick costs nothing for talks with nothing due.
 *
 * <p>An event that is refused or a duplicate has no effect at all: it does not even move the clock.
 */
public final class PartitionFold {

  /** Where a partition's fold keeps its state: the talks, the seen event ids, the clock and the wake-up index. */
  public interface Ledger {
    TalkState talk(String talkId);

    void putTalk(TalkState talk);

    boolean seen(String talkId, String eventId);

    void markSeen(String talkId, String eventId);

    /** The partition's clock, or null before the first event. */
    Instant clock();

    void setClock(Instant now);

    void addWakeUp(Instant at, String talkId);

    void removeWakeUp(Instant at, String talkId);

    /** Talks with a wake-up at or before {@code now}, earliest first, ties in talk-id byte order. */
    List<String> dueWakeUps(Instant now);
  }

  /** What one event did. */
  public sealed interface Outcome {
    /** The talks changed (in order of change; a talk may appear twice) and the alerts raised, in order. */
    record Applied(List<TalkState> talks, List<Alert> alerts) implements Outcome {}

    /** An event id already applied to this talk: ignored. */
    record Duplicate(String talkId, String eventId) implements Outcome {}

    /** The event cannot apply; the reason says why, for a person. */
    record Refused(String reason) implements Outcome {}
  }

  private final TalkFold fold;
  private final Ledger ledger;

  public PartitionFold(TalkFold fold, Ledger ledger) {
    this.fold = fold;
    this.ledger = ledger;
  }

  public Outcome accept(DiplomaticEvent event) {
    List<TalkState> talks = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();
    if (event.getPayload() instanceof ClockTick) {
      advanceClock(event, talks, alerts);
      return new Outcome.Applied(talks, alerts);
    }
    String talkId = event.getTalkId();
    if (ledger.seen(talkId, event.getEventId())) {
      return new Outcome.Duplicate(talkId, event.getEventId());
    }
    Optional<String> refusal = fold.check(ledger.talk(talkId), event);
    if (refusal.isPresent()) {
      return new Outcome.Refused(refusal.get());
    }
    // Time passes first: at the event's time, earlier thresholds have already been crossed.
    advanceClock(event, talks, alerts);
    TalkState before = ledger.talk(talkId);
    TalkState after = fold.apply(before, event);
    record(before, after, event, talks, alerts);
    ledger.markSeen(talkId, event.getEventId());
    // The event itself may have set a threshold the clock has already passed (a deadline due yesterday).
    wakeDueTalks(event, talks, alerts);
    return new Outcome.Applied(talks, alerts);
  }

  /** Whether {@link #accept} would change anything: not a duplicate, not refused (a tick only if it moves the clock). */
  public boolean wouldApply(DiplomaticEvent event) {
    if (event.getPayload() instanceof ClockTick) {
      return ledger.clock() == null || event.getOccurredAt().isAfter(ledger.clock());
    }
    return !ledger.seen(event.getTalkId(), event.getEventId())
        && fold.check(ledger.talk(event.getTalkId()), event).isEmpty();
  }

  private void advanceClock(DiplomaticEvent cause, List<TalkState> talks, List<Alert> alerts) {
    Instant clock = ledger.clock();
    if (clock == null || cause.getOccurredAt().isAfter(clock)) {
      ledger.setClock(cause.getOccurredAt());
      wakeDueTalks(cause, talks, alerts);
    }
  }

  private void wakeDueTalks(DiplomaticEvent cause, List<TalkState> talks, List<Alert> alerts) {
    Instant now = ledger.clock();
    for (String talkId : ledger.dueWakeUps(now)) {
      TalkState before = ledger.talk(talkId);
      DiplomaticEvent tick = new DiplomaticEvent(cause.getEventId(), talkId, now, cause.getRecordedAt(),
          cause.getSource(), null, new ClockTick());
      record(before, fold.apply(before, tick), tick, talks, alerts);
    }
  }

  private void record(TalkState before, TalkState after, DiplomaticEvent event, List<TalkState> talks,
      List<Alert> alerts) {
    if (after == before) {
      return;
    }
    ledger.putTalk(after);
    talks.add(after);
    alerts.addAll(AlertRules.alerts(before, after, event));
    Optional<Instant> was = fold.clock().nextWakeUp(before);
    Optional<Instant> next = fold.clock().nextWakeUp(after);
    if (!was.equals(next)) {
      was.ifPresent(at -> ledger.removeWakeUp(at, after.getTalkId()));
      next.ifPresent(at -> ledger.addWakeUp(at, after.getTalkId()));
    }
  }
}
