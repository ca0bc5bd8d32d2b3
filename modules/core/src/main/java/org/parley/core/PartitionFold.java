package org.parley.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.parley.avro.Alert;
import org.parley.avro.ClockTick;
import org.parley.avro.Deadline;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.EventCorrected;
import org.parley.avro.EventRetracted;
import org.parley.avro.TalkState;
import org.parley.model.Events;

/**
 * The fold of one partition of the event log, in log order: every talk on it, duplicates, and
 * deadlines coming due. The Kafka Streams topology runs exactly this, over its state stores; time
 * travel and the tests run it over {@link InMemoryLedger}. So live, replay and "as of" can only
 * agree. Not thread-safe: a partition is folded by one thread at a time, as its ledger is.
 *
 * <p><b>Time is a talk's own.</b> A talk's time ({@code updatedAt}) is the latest time of its own
 * events: a backfill of 2016 reads in 2016, and no event of one talk, least of all a mistyped date,
 * can move another talk's time. Each event first lets the talk's time pass up to the event
 * (deadlines due before it are missed before it applies), then applies.
 *
 * <p>Wall-clock time enters only through ClockTicks, which only Parley's ticker publishes (the
 * topology refuses any other). A tick moves a talk's time to the tick's time only once the talk has
 * gone quiet in record time ({@link DeadlineClock#quiet}): while a talk's history is still being
 * published, the ticker's "now" is not the talk's now, so ticks interleaved anywhere in a backfill
 * change nothing, and once the backfill is over the next tick misses what was left open, once. Only
 * talks with a deadline threshold at or before the tick are looked at: the ledger indexes each talk
 * under its next threshold.
 *
 * <p><b>Each talk keeps its history</b>: the events it was folded from (and the ticks that moved
 * it), as corrected. An EventRetracted or EventCorrected folds the talk again from its history
 * without the event, or with the corrected one in its place, and raises alerts for the difference,
 * marked as corrections. The history of a talk is bounded ({@link #HISTORY_LIMIT} entries): its
 * oldest entries are folded into a base state, and events that old can no longer be corrected.
 *
 * <p>An event that is refused or a duplicate has no effect at all.
 */
public final class PartitionFold {

  /**
   * Where a partition's fold keeps its state: the talks, the seen event ids and the wake-up index.
   */
  public interface Ledger {
    TalkState talk(String talkId);

    void putTalk(TalkState talk);

    boolean seen(String talkId, String eventId);

    void markSeen(String talkId, String eventId);

    void addWakeUp(Instant at, String talkId);

    void removeWakeUp(Instant at, String talkId);

    /**
     * Talks with a wake-up at or before {@code now}, earliest first, ties in talk-id byte order.
     */
    List<String> dueWakeUps(Instant now);

    /** The talk's history (an empty one for a new talk). */
    History history(String talkId);

    /** Adds an entry at the end of the talk's history; returns how many entries it now has. */
    int appendHistory(String talkId, DiplomaticEvent entry);

    /** Replaces the talk's whole history: after a correction. */
    void replaceHistory(String talkId, History history);

    /**
     * The talk's base and its oldest {@code count} entries (every entry when it has fewer): what is
     * folded into the base when its history is trimmed.
     */
    History oldestHistory(String talkId, int count);

    /**
     * The talk's oldest {@code count} entries leave its history, folded into {@code base}; the
     * others stay as they are. Their ids stay seen.
     */
    void trimHistory(String talkId, int count, TalkState base);
  }

  /**
   * What a talk was folded from: a base state (null when the history goes back to the talk's first
   * event) and the entries after it, in log order. Each entry is an event as applied (its {@code
   * loggedAt} set to when it was heard), a ClockTick addressed to the talk that moved its time, or
   * a correction.
   */
  public record History(TalkState base, List<DiplomaticEvent> entries) {
    public static final History EMPTY = new History(null, List.of());
  }

  /** The most entries a talk's history holds: it keeps its latest 1,800 to 2,000. */
  public static final int HISTORY_LIMIT = 2_000;

  /** A trim takes a talk's history back to {@code HISTORY_LIMIT - HISTORY_TRIM} entries. */
  private static final int HISTORY_TRIM = 200;

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

  /** Writes the alerts' ids: a partition is folded by one thread at a time. */
  private final AlertIds alertIds = new AlertIds();

  /**
   * The next wake-up of talks folded lately, with the deadlines it was worked out from. Working it
   * out reads every deadline of the talk, and each event asks for it two or three times (has a
   * threshold passed? did the wake-up move?). It depends on the deadlines alone, and a list of
   * deadlines is never changed once folded, only replaced (copy-on-write), so an entry whose list
   * is the talk's own is right, whichever talk it was worked out for. A slot per talk id's hash,
   * overwritten by the next talk to land there: a partition of a million talks keeps only a few
   * thousand lists, and any other talk's wake-up is worked out again. (512 slots, until the
   * seventeenth round of issue 14: a third of 200 talks shared a slot, and lost their wake-up to
   * the other talk between two of their events.)
   */
  private final WakeUp[] wakeUps = new WakeUp[WAKE_UPS_KEPT];

  /** A power of two: a talk's slot is the low bits of its id's spread hash. */
  private static final int WAKE_UPS_KEPT = 4096;

  /** A talk's next wake-up ({@code at} null when it has no open deadline). */
  private record WakeUp(List<Deadline> deadlines, Instant at) {}

  public PartitionFold(TalkFold fold, Ledger ledger) {
    this.fold = fold;
    this.ledger = ledger;
  }

  /**
   * Folds one event of the log. Its times are whole milliseconds, as the log holds them (decoded,
   * or read by {@code JsonForm}): the fold copies them as they are.
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
    if (event.getPayload() instanceof EventRetracted
        || event.getPayload() instanceof EventCorrected) {
      Optional<String> refusal = fold.check(before, event);
      return refusal.isPresent()
          ? new Outcome.Refused(refusal.get())
          : correct(before, event, heardAt);
    }
    List<Alert> alerts = new ArrayList<>();
    // The talk's time passes first: at the event's time, earlier thresholds have been crossed.
    // (Passing time changes only deadlines' statuses, which no event's check reads, so a refusal
    // is the same before or after it; a refused event has no effect, its alerts are dropped.)
    Instant wakeUp = wakeUp(before);
    TalkState passed = passTime(before, wakeUp, event.getOccurredAt(), event, alerts);
    TalkFold.Folded folded = fold.fold(passed, event);
    if (folded.refusal() != null) {
      return new Outcome.Refused(folded.refusal());
    }
    TalkState applied = folded.talk();
    applied.setLastHeardAt(heardAt);
    AlertRules.addAlerts(passed, applied, event, alerts, alertIds);
    // The event itself may have set a threshold the talk's time has already passed (a deadline due
    // yesterday). Passing time again over the same deadlines to the same time changes nothing, so
    // that second pass is left out unless the event changed the deadlines or came in late.
    TalkState after =
        passed != null
                && applied.getDeadlines() == passed.getDeadlines()
                && applied.getUpdatedAt().equals(event.getOccurredAt())
            ? applied
            : passTime(applied, wakeUp(applied), applied.getUpdatedAt(), event, alerts);
    ledger.markSeen(talkId, event.getEventId());
    remember(after, heard(event, heardAt));
    store(before, wakeUp, after);
    return new Outcome.Applied(List.of(after), alerts);
  }

  /** The event as its talk's history keeps it: with the time it was heard. */
  private static DiplomaticEvent heard(DiplomaticEvent event, Instant heardAt) {
    return heardAt.equals(event.getLoggedAt()) ? event : Copies.of(event, heardAt);
  }

  /** Adds the entry to the talk's history, and trims the history when it is the talk's turn. */
  private void remember(TalkState talk, DiplomaticEvent entry) {
    trimWhenDue(talk, entry, ledger.appendHistory(talk.getTalkId(), entry));
  }

  /**
   * Trims the talk's history, {@code entries} long with {@code entry} last, back to {@code
   * HISTORY_LIMIT - HISTORY_TRIM} entries when it is past that and it is the talk's turn, or when
   * it is past the limit.
   */
  private void trimWhenDue(TalkState talk, DiplomaticEvent entry, int entries) {
    int kept = HISTORY_LIMIT - HISTORY_TRIM;
    if (entries > HISTORY_LIMIT || (entries > kept && trimsNow(talk, entry))) {
      // Only the oldest entries are read and only they leave: a busy talk trims every
      // HISTORY_TRIM events, and reading and writing its whole history each time (as until the
      // eleventh round of issue 14) cost ten times what the trim folds, enough to stall a pipeline
      // whose talks were all past the limit.
      int leaving = entries - kept;
      Refold base = refold(ledger.oldestHistory(talk.getTalkId(), leaving));
      ledger.trimHistory(talk.getTalkId(), leaving, base.talk());
    }
  }

  /**
   * Whether a talk past {@code HISTORY_LIMIT - HISTORY_TRIM} entries trims at this entry: at every
   * {@code HISTORY_TRIM}th event, counted from a point its id picks. Why not when it passes the
   * limit: talks that get their events in turn (a feed of many talks, a replay) pass it at the same
   * time, and 200 talks trimming in one commit held every alert of that commit back by hundreds of
   * milliseconds (issue 14). Counted in events, not entries, so a run of ticks does not trim again
   * and again; the limit still bounds a talk that gets mostly ticks. Read from the talk and its id
   * only, so a replay trims where the first fold did.
   */
  private static boolean trimsNow(TalkState talk, DiplomaticEvent entry) {
    if (entry.getPayload() instanceof ClockTick) {
      return false;
    }
    int turn = talk.getTalkId().hashCode() * 0x9E3779B9; // spreads ids that differ in a character
    return Math.floorMod(talk.getEventCount() + (turn >>> 16), HISTORY_TRIM) == 0;
  }

  /**
   * A retraction or a correction: the talk folded again from its history without the event, or with
   * the corrected one in its place; the alerts are the difference, marked as corrections, after one
   * CORRECTION alert that says what was corrected and why.
   */
  private Outcome correct(TalkState before, DiplomaticEvent correction, Instant heardAt) {
    String talkId = correction.getTalkId();
    String target = AlertRules.correctionOf(correction);
    History history = ledger.history(talkId);
    int index = -1;
    for (int i = 0; i < history.entries().size(); i++) {
      if (history.entries().get(i).getEventId().equals(target)) {
        index = i;
      }
    }
    if (index < 0) {
      return new Outcome.Refused(
          "event '"
              + target
              + "' is not in the history of talk '"
              + talkId
              + "' (its last events: "
              + lastIds(history)
              + String.format(
                  java.util.Locale.ROOT,
                  "); a talk keeps its latest %,d to %,d events, older ones cannot be corrected",
                  HISTORY_LIMIT - HISTORY_TRIM,
                  HISTORY_LIMIT));
    }
    DiplomaticEvent original = history.entries().get(index);
    if (original.getPayload() instanceof ClockTick
        || original.getPayload() instanceof EventRetracted
        || original.getPayload() instanceof EventCorrected) {
      return new Outcome.Refused(
          "event '"
              + target
              + "' is a "
              + Events.type(original)
              + ", which cannot be retracted or corrected: correct the original event again instead");
    }
    List<DiplomaticEvent> entries = new ArrayList<>(history.entries());
    if (correction.getPayload() instanceof EventCorrected corrected) {
      entries.set(
          index,
          DiplomaticEvent.newBuilder(original)
              .setOccurredAt(
                  corrected.getOccurredAt() != null
                      ? corrected.getOccurredAt()
                      : original.getOccurredAt())
              .setPayload(corrected.getPayload())
              .build());
    } else {
      entries.remove(index);
    }
    Refold refolded = refold(new History(history.base(), entries));
    if (refolded.refusal() != null) {
      return new Outcome.Refused(refolded.refusal());
    }
    if (refolded.talk() == null) {
      // Refused before anything is recorded: a refused event has no effect at all.
      return new Outcome.Refused(
          "retracting '"
              + target
              + "' would leave talk '"
              + talkId
              + "' with no announcement: retract its other events first, or correct the announcement instead");
    }
    List<Alert> alerts = new ArrayList<>();
    alerts.add(AlertRules.correction(talkId, correction, original, alertIds));
    TalkState after = Copies.of(refolded.talk());
    after =
        passTime(after, wakeUp(after), correction.getOccurredAt(), correction, new ArrayList<>());
    after.setEventCount(after.getEventCount() + 1);
    after.setLastEventId(correction.getEventId());
    after.setLastHeardAt(heardAt);
    AlertRules.addAlerts(before, after, correction, alerts, alertIds);
    DiplomaticEvent entry = heard(correction, heardAt);
    entries.add(entry);
    ledger.replaceHistory(talkId, new History(history.base(), entries));
    ledger.markSeen(talkId, correction.getEventId());
    // A correction adds an entry (a retraction also takes one out): trimmed as an event's would be,
    // or corrections of one event, again and again, would grow the history past its limit.
    trimWhenDue(after, entry, entries.size());
    store(before, wakeUp(before), after);
    return new Outcome.Applied(List.of(after), alerts);
  }

  /** A talk folded from a history, or why an entry of it no longer applies. */
  private record Refold(TalkState talk, String refusal) {}

  private Refold refold(History history) {
    TalkState talk = history.base();
    for (DiplomaticEvent entry : history.entries()) {
      Object payload = entry.getPayload();
      if (payload instanceof ClockTick) {
        talk = fold.clock().passTime(talk, entry.getOccurredAt());
        continue;
      }
      if (payload instanceof EventRetracted || payload instanceof EventCorrected) {
        if (talk == null) {
          continue;
        }
        talk = Copies.of(talk);
        talk.setEventCount(talk.getEventCount() + 1);
        talk.setLastEventId(entry.getEventId());
        continue;
      }
      TalkFold.Folded folded = fold.fold(fold.clock().passTime(talk, entry.getOccurredAt()), entry);
      if (folded.refusal() != null) {
        return new Refold(
            null,
            "after the correction, "
                + Events.type(entry)
                + " '"
                + entry.getEventId()
                + "' would no longer apply ("
                + folded.refusal()
                + "): correct or retract it first");
      }
      talk = folded.talk();
      talk.setLastHeardAt(entry.getLoggedAt());
      talk = fold.clock().passTime(talk, talk.getUpdatedAt());
    }
    return new Refold(talk, null);
  }

  private static String lastIds(History history) {
    List<DiplomaticEvent> entries = history.entries();
    List<String> ids =
        entries.subList(Math.max(0, entries.size() - 5), entries.size()).stream()
            .map(DiplomaticEvent::getEventId)
            .toList();
    return ids.isEmpty() ? "none" : String.join(", ", ids);
  }

  /** Wall-clock time reaches the talks that are due and quiet; the others wait for a later tick. */
  private Outcome tick(DiplomaticEvent tick, Instant heardAt) {
    // A tick delivered twice (a producer's retry, a log imported twice) must not wake a talk that
    // went quiet in between: like any event, a tick counts once.
    if (ledger.seen(tick.getTalkId(), tick.getEventId())) {
      return new Outcome.Duplicate(tick.getTalkId(), tick.getEventId());
    }
    ledger.markSeen(tick.getTalkId(), tick.getEventId());
    List<TalkState> talks = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();
    for (String talkId : ledger.dueWakeUps(tick.getOccurredAt())) {
      TalkState before = ledger.talk(talkId);
      if (!fold.clock().quiet(before, heardAt)) {
        continue;
      }
      DiplomaticEvent cause =
          new DiplomaticEvent(
              tick.getEventId(),
              talkId,
              tick.getOccurredAt(),
              tick.getRecordedAt(),
              tick.getLoggedAt(),
              tick.getSource(),
              null,
              tick.getPayload());
      Instant wakeUp = wakeUp(before);
      TalkState after = passTime(before, wakeUp, tick.getOccurredAt(), cause, alerts);
      if (after != before) {
        remember(after, heard(cause, heardAt));
        store(before, wakeUp, after);
        talks.add(after);
      }
    }
    return new Outcome.Applied(talks, alerts);
  }

  /**
   * The talk with its time moved to {@code now} (never back), and the alerts that raises. {@code
   * wakeUp} is the talk's: before it, nothing is due, and the talk is returned as it is.
   */
  private TalkState passTime(
      TalkState talk, Instant wakeUp, Instant now, DiplomaticEvent cause, List<Alert> alerts) {
    if (talk == null || wakeUp == null || now.isBefore(wakeUp)) {
      return talk;
    }
    TalkState after = fold.clock().passTime(talk, now);
    AlertRules.addAlerts(talk, after, cause, alerts, alertIds);
    return after;
  }

  /** Stores the talk after an event, and moves its wake-up ({@code was}: before's) if it moved. */
  private void store(TalkState before, Instant was, TalkState after) {
    if (after == before) {
      return;
    }
    ledger.putTalk(after);
    if (before != null && before.getDeadlines() == after.getDeadlines()) {
      return; // copy-on-write: the same deadlines wake the talk at the same time
    }
    Instant next = wakeUp(after);
    if (!Objects.equals(was, next)) {
      if (was != null) {
        ledger.removeWakeUp(was, after.getTalkId());
      }
      if (next != null) {
        ledger.addWakeUp(next, after.getTalkId());
      }
    }
  }

  /** The earliest time passing time would change the talk; null when never (or no talk). */
  private Instant wakeUp(TalkState talk) {
    if (talk == null) {
      return null;
    }
    int hash = talk.getTalkId().hashCode();
    int slot = (hash ^ (hash >>> 16)) & (WAKE_UPS_KEPT - 1);
    WakeUp known = wakeUps[slot];
    if (known != null && known.deadlines() == talk.getDeadlines()) {
      return known.at();
    }
    Instant at = fold.clock().nextWakeUp(talk).orElse(null);
    wakeUps[slot] = new WakeUp(talk.getDeadlines(), at);
    return at;
  }
}
