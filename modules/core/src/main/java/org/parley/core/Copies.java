package org.parley.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.parley.avro.Agreement;
import org.parley.avro.Commitment;
import org.parley.avro.Deadline;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.StickingPoint;
import org.parley.avro.TalkState;

/**
 * Copy-on-write for the fold. A talk is never modified once folded: a change copies the talk
 * (sharing its lists), then copies just the list and the item it changes. Copying the whole talk
 * for every event, as Avro's builders do, cost more than all the rest of the fold.
 */
final class Copies {
  private Copies() {}

  // The copies are made with setters, and their required instants with put(): Avro's generated
  // constructors and setters truncate those to milliseconds, a few divisions per instant, and a
  // copy's instants are the original's, truncated when it was made. (A field added to a schema
  // must be added here too; CopiesTest checks every field is copied.)

  private static final int TALK_UPDATED_AT = TalkState.SCHEMA$.getField("updatedAt").pos();
  private static final int COMMITMENT_MADE_AT = Commitment.SCHEMA$.getField("madeAt").pos();
  private static final int DEADLINE_DUE_AT = Deadline.SCHEMA$.getField("dueAt").pos();
  private static final int DEADLINE_SET_AT = Deadline.SCHEMA$.getField("setAt").pos();
  private static final int AGREEMENT_REACHED_AT = Agreement.SCHEMA$.getField("reachedAt").pos();
  private static final int STICKING_POINT_RAISED_AT =
      StickingPoint.SCHEMA$.getField("raisedAt").pos();
  private static final int EVENT_OCCURRED_AT = DiplomaticEvent.SCHEMA$.getField("occurredAt").pos();
  private static final int EVENT_RECORDED_AT = DiplomaticEvent.SCHEMA$.getField("recordedAt").pos();

  /**
   * Sets the talk's time to an instant already in whole milliseconds (an event's, or a talk's), as
   * its setter would but without truncating it again.
   */
  static void setUpdatedAt(TalkState talk, Instant wholeMillis) {
    talk.put(TALK_UPDATED_AT, wholeMillis);
  }

  /**
   * A new talk sharing every list and item with the old one: replace, never mutate, what it shares.
   */
  static TalkState of(TalkState t) {
    TalkState copy = new TalkState();
    copy.setTalkId(t.getTalkId());
    copy.setTitle(t.getTitle());
    copy.setParties(t.getParties());
    copy.setMediators(t.getMediators());
    copy.setVenue(t.getVenue());
    copy.setStatus(t.getStatus());
    copy.setAnnouncedBy(t.getAnnouncedBy());
    copy.setAnnouncedAt(t.getAnnouncedAt());
    copy.setConfirmedBy(t.getConfirmedBy());
    copy.setConfirmedAt(t.getConfirmedAt());
    copy.setStartsAt(t.getStartsAt());
    copy.setSessions(t.getSessions());
    copy.setCommitments(t.getCommitments());
    copy.setDeadlines(t.getDeadlines());
    copy.setAgreements(t.getAgreements());
    copy.setStickingPoints(t.getStickingPoints());
    copy.setRecentStatements(t.getRecentStatements());
    copy.setEventCount(t.getEventCount());
    copy.setLastEventId(t.getLastEventId());
    copy.put(TALK_UPDATED_AT, t.getUpdatedAt());
    copy.setLastHeardAt(t.getLastHeardAt());
    return copy;
  }

  /**
   * A new commitment sharing its history with the old one: a change to the history replaces it
   * ({@code TalkFold.addChange}). Until the seventeenth round of issue 14 the copy copied the
   * history here, and adding the change copied it again to grow it: two copies a change, now one.
   */
  static Commitment of(Commitment c) {
    Commitment copy = new Commitment();
    copy.setCommitmentId(c.getCommitmentId());
    copy.setParty(c.getParty());
    copy.setAction(c.getAction());
    copy.setCounterparty(c.getCounterparty());
    copy.setConditions(c.getConditions());
    copy.setConditionalOn(c.getConditionalOn());
    copy.setDueAt(c.getDueAt());
    copy.setStatus(c.getStatus());
    copy.put(COMMITMENT_MADE_AT, c.getMadeAt());
    copy.setHistory(c.getHistory());
    copy.setFailedCondition(c.getFailedCondition());
    copy.setEarlierChanges(c.getEarlierChanges());
    return copy;
  }

  /**
   * The event with another {@code loggedAt}: a shallow copy (events are never changed once read,
   * and Avro's builder would copy the payload deeply).
   */
  static DiplomaticEvent of(DiplomaticEvent e, Instant loggedAt) {
    DiplomaticEvent copy = new DiplomaticEvent();
    copy.setEventId(e.getEventId());
    copy.setTalkId(e.getTalkId());
    copy.put(EVENT_OCCURRED_AT, e.getOccurredAt());
    copy.put(EVENT_RECORDED_AT, e.getRecordedAt());
    copy.setLoggedAt(loggedAt);
    copy.setSource(e.getSource());
    copy.setCameoCode(e.getCameoCode());
    copy.setPayload(e.getPayload());
    return copy;
  }

  static Agreement of(Agreement a) {
    Agreement copy = new Agreement();
    copy.setAgreementId(a.getAgreementId());
    copy.setKind(a.getKind());
    copy.setSummary(a.getSummary());
    copy.setParties(a.getParties());
    copy.put(AGREEMENT_REACHED_AT, a.getReachedAt());
    copy.setEventId(a.getEventId());
    copy.setInEffect(a.getInEffect());
    copy.setStatus(a.getStatus());
    copy.setBreachedBy(a.getBreachedBy());
    copy.setStatusReason(a.getStatusReason());
    copy.setStatusChangedAt(a.getStatusChangedAt());
    return copy;
  }

  /**
   * A new deadline sharing its moves with the old one: a move replaces the list ({@code
   * TalkFold.moveDueTime}). Time passing copies the deadlines it warns or misses, and copied their
   * moves too, for nothing, until the seventeenth round of issue 14.
   */
  static Deadline of(Deadline d) {
    Deadline copy = new Deadline();
    copy.setDeadlineId(d.getDeadlineId());
    copy.setCommitmentId(d.getCommitmentId());
    copy.setDescription(d.getDescription());
    copy.put(DEADLINE_DUE_AT, d.getDueAt());
    copy.setStatus(d.getStatus());
    copy.setWarnedWithinSeconds(d.getWarnedWithinSeconds());
    copy.put(DEADLINE_SET_AT, d.getSetAt());
    copy.setMoves(d.getMoves());
    copy.setEarlierMoves(d.getEarlierMoves());
    return copy;
  }

  static StickingPoint of(StickingPoint p) {
    StickingPoint copy = new StickingPoint();
    copy.setStickingPointId(p.getStickingPointId());
    copy.setDescription(p.getDescription());
    copy.setRaisedBy(p.getRaisedBy());
    copy.put(STICKING_POINT_RAISED_AT, p.getRaisedAt());
    copy.setResolvedAt(p.getResolvedAt());
    copy.setResolution(p.getResolution());
    return copy;
  }

  /** A copy of the list with the item added. */
  static <T> List<T> plus(List<T> list, T item) {
    List<T> copy = new ArrayList<>(list.size() + 1);
    copy.addAll(list);
    copy.add(item);
    return copy;
  }

  /**
   * Puts a copy of the item at {@code index} (a commitment, deadline, agreement or sticking point)
   * in a copy of the list, hands the new list to {@code set} and returns the copy, free to change
   * but for its id. Null when there is no such item ({@code index} negative, as the fold's lookups
   * say).
   */
  static <T> T edit(
      List<T> list, int index, UnaryOperator<T> copy, java.util.function.Consumer<List<T>> set) {
    if (index < 0) {
      return null;
    }
    T item = copy.apply(list.get(index));
    set.accept(Items.with(list, index, item));
    return item;
  }

  /** The list with what it lacks of {@code more} added; the same list when it lacks nothing. */
  static List<String> withMissing(List<String> list, List<String> more) {
    if (list.containsAll(more)) {
      return list;
    }
    List<String> copy = new ArrayList<>(list);
    for (String item : more) {
      if (!copy.contains(item)) {
        copy.add(item);
      }
    }
    return copy;
  }
}
