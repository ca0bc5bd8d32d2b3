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
 * The fold of one partition of the event log, in log order: every talk on it, duplicates, and
 * deadlines coming due. The Kafka Streams topology runs exactly this, over its state stores; time
 * travel and the tests run it over {@link InMemoryLedger}. So live, replay and "as of" can only
 * agree.
 *
 * <p><b>Time is a talk's own.</b> A talk's time ({@code updatedAt}) is the latest time of its own
 * events: a backfill of 2016 reads in 2016, and no event of one talk, least of all a mistyped
 * date, can move another talk's time. Each event first lets the talk's time pass up to the event
 * (deadlines due before it are missed before it applies), then applies.
 *
 * <p>Wall-clock time enters only through ClockTicks, which only Parley's ticker publishes (the
 * topology refuses any other). A tick moves a talk's time to the tick's time only once the talk
 * has gone quiet in record time ({@link DeadlineClock#quiet}): while a talk's history is still
 * being published, the ticker's "now" is not the talk's now, so ticks interleaved anywhere in a
 * backfill change nothing, and once the backfill is over the next tick misses what was left open,
 * once. Only talks with a deadline threshold at or before the tick are looked at: the ledger
 * indexes each talk under its next threshold.
 *
 * <p>An event that is refused or a duplicate has no effect at all.
 */
public final class PartitionFold {

  /** Where a partition's fold keeps its state: the talks, the seen event ids and the wake-up index. */
  public interface Ledger {
    TalkState talk(String talkId);

    void putTalk(TalkState talk);

    boolean seen(String talkId, String eventId);

    void markSeen(String talkId, String eventId);

    void addWakeUp(Instant at, String talkId);

    void removeWakeUp(Instant at, String talkId);

    /** Talks with a wake-up at or before {@code now}, earliest first, ties in talk-id byte order. */
    List<String> dueWakeUps(Instant now);
  }

  /** What one event did. */
  public sealed interface Outcome {
    /** The talks changed (each once, in order of change) and the alerts raised, in order. */
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

  /**
   * Folds one event of the log.
   *
   * @param heardAt when it reached the log (record time): its {@code loggedAt}, or the record's
   *     timestamp where the event has none. Never the wall clock.
   */
  public Outcome accept(DiplomaticEvent event, Instant heardAt) {
    if (event.getPayload() instanceof ClockTick) {
      return tick(event, heardAt);
    }
    String talkId = event.getTalkId();
    if (ledger.seen(talkId, event.getEventId())) {
      return new Outcome.Duplicate(talkId, event.getEventId());
    }
    TalkState before = ledger.talk(talkId);
    Optional<String> refusal = fold.check(before, event);
    if (refusal.isPresent()) {
      return new Outcome.Refused(refusal.get());
    }
    List<Alert> alerts = new ArrayList<>();
    // The talk's time passes first: at the event's time, earlier thresholds have been crossed.
    TalkState passed = passTime(before, event.getOccurredAt(), event, alerts);
    TalkState applied = fold.apply(passed, event);
    applied.setLastHeardAt(heardAt);
    alerts.addAll(AlertRules.alerts(passed, applied, event));
    // The event itself may have set a threshold the talk's time has already passed (a deadline due yesterday).
    TalkState after = passTime(applied, applied.getUpdatedAt(), event, alerts);
    ledger.markSeen(talkId, event.getEventId());
    store(before, after);
    return new Outcome.Applied(List.of(after), alerts);
  }

  /** Whether {@link #accept} would change anything: not a duplicate, not refused (a tick only if a talk is due). */
  public boolean wouldApply(DiplomaticEvent event) {
    if (event.getPayload() instanceof ClockTick) {
      return !ledger.dueWakeUps(event.getOccurredAt()).isEmpty();
    }
    return !ledger.seen(event.getTalkId(), event.getEventId())
        && fold.check(ledger.talk(event.getTalkId()), event).isEmpty();
  }

  /** Wall-clock time reaches the talks that are due and quiet; the others wait for a later tick. */
  private Outcome tick(DiplomaticEvent tick, Instant heardAt) {
    List<TalkState> talks = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();
    for (String talkId : ledger.dueWakeUps(tick.getOccurredAt())) {
      TalkState before = ledger.talk(talkId);
      if (!fold.clock().quiet(before, heardAt)) {
        continue;
      }
      DiplomaticEvent cause = new DiplomaticEvent(tick.getEventId(), talkId, tick.getOccurredAt(),
          tick.getRecordedAt(), tick.getLoggedAt(), tick.getSource(), null, tick.getPayload());
      TalkState after = passTime(before, tick.getOccurredAt(), cause, alerts);
      if (after != before) {
        store(before, after);
        talks.add(after);
      }
    }
    return new Outcome.Applied(talks, alerts);
  }

  /** The talk with its time moved to {@code now} (never back), and the alerts that raises. */
  private TalkState passTime(TalkState talk, Instant now, DiplomaticEvent cause, List<Alert> alerts) {
    if (talk == null) {
      return null;
    }
    TalkState after = fold.clock().passTime(talk, now);
    alerts.addAll(AlertRules.alerts(talk, after, cause));
    return after;
  }

  private void store(TalkState before, TalkState after) {
    if (after == before) {
      return;
    }
    ledger.putTalk(after);
    Optional<Instant> was = fold.clock().nextWakeUp(before);
    Optional<Instant> next = fold.clock().nextWakeUp(after);
    if (!was.equals(next)) {
      was.ifPresent(at -> ledger.removeWakeUp(at, after.getTalkId()));
      next.ifPresent(at -> ledger.addWakeUp(at, after.getTalkId()));
    }
  }
}
