package org.parley.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.parley.avro.Commitment;
import org.parley.avro.Deadline;
import org.parley.avro.StickingPoint;
import org.parley.avro.TalkState;

/**
 * Copy-on-write for the fold. A talk is never modified once folded: a change copies the talk
 * (sharing its lists), then copies just the list and the item it changes. Copying the whole talk
 * for every event, as Avro's builders do, cost more than all the rest of the fold.
 */
final class Copies {
  private Copies() {}

  /**
   * A new talk sharing every list and item with the old one: replace, never mutate, what it shares.
   */
  static TalkState of(TalkState t) {
    return new TalkState(
        t.getTalkId(),
        t.getTitle(),
        t.getParties(),
        t.getMediators(),
        t.getVenue(),
        t.getStatus(),
        t.getAnnouncedBy(),
        t.getAnnouncedAt(),
        t.getConfirmedBy(),
        t.getConfirmedAt(),
        t.getStartsAt(),
        t.getSessions(),
        t.getCommitments(),
        t.getDeadlines(),
        t.getAgreements(),
        t.getStickingPoints(),
        t.getRecentStatements(),
        t.getEventCount(),
        t.getLastEventId(),
        t.getUpdatedAt(),
        t.getLastHeardAt());
  }

  static Commitment of(Commitment c) {
    return new Commitment(
        c.getCommitmentId(),
        c.getParty(),
        c.getAction(),
        c.getCounterparty(),
        c.getConditions(),
        c.getConditionalOn(),
        c.getDueAt(),
        c.getStatus(),
        c.getMadeAt(),
        new ArrayList<>(c.getHistory()),
        c.getFailedCondition(),
        c.getEarlierChanges());
  }

  static org.parley.avro.Agreement of(org.parley.avro.Agreement a) {
    return org.parley.avro.Agreement.newBuilder(a).build();
  }

  static Deadline of(Deadline d) {
    return new Deadline(
        d.getDeadlineId(),
        d.getCommitmentId(),
        d.getDescription(),
        d.getDueAt(),
        d.getStatus(),
        d.getWarnedWithinSeconds(),
        d.getSetAt(),
        new ArrayList<>(d.getMoves()),
        d.getEarlierMoves());
  }

  static StickingPoint of(StickingPoint p) {
    return new StickingPoint(
        p.getStickingPointId(),
        p.getDescription(),
        p.getRaisedBy(),
        p.getRaisedAt(),
        p.getResolvedAt(),
        p.getResolution());
  }

  /** A copy of the list with the item added. */
  static <T> List<T> plus(List<T> list, T item) {
    List<T> copy = new ArrayList<>(list.size() + 1);
    copy.addAll(list);
    copy.add(item);
    return copy;
  }

  /**
   * Finds the item with the given id, puts a copy of it in a copy of the list, hands the new list
   * to {@code set} and returns the copy, free to change. Null when there is no such item.
   */
  static <T> T edit(
      List<T> list,
      Function<T, String> id,
      String wanted,
      Function<T, T> copy,
      java.util.function.Consumer<List<T>> set) {
    int hash = wanted.hashCode();
    for (int i = 0; i < list.size(); i++) {
      String itemId = id.apply(list.get(i));
      if (itemId.hashCode() == hash && itemId.equals(wanted)) { // as TalkFold.find: hashes first
        List<T> changed = new ArrayList<>(list);
        T item = copy.apply(list.get(i));
        changed.set(i, item);
        set.accept(changed);
        return item;
      }
    }
    return null;
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
