package org.parley.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.parley.avro.TalkState;

/** A partition's ledger in memory: for time travel, reference folds and tests. */
public final class InMemoryLedger implements PartitionFold.Ledger {
  private final Map<String, TalkState> talks = new HashMap<>();

  /**
   * Event ids seen, by talk: no key is built per event. ({@code StoreLedger} keys them as talk id,
   * newline, event id; the two agree because ids are validated before the fold and hold no
   * newline.)
   */
  private final Map<String, Set<String>> seen = new HashMap<>();

  /**
   * Each talk's history entries, appended in place (a copy per append would make a long talk
   * quadratic).
   */
  private final Map<String, List<org.parley.avro.DiplomaticEvent>> entries = new HashMap<>();

  private final Map<String, TalkState> bases = new HashMap<>();

  /** Ordered as {@link WakeUpKey}s are (time, then talk id bytes), without formatting them. */
  private final TreeSet<WakeUp> wakeUps = new TreeSet<>(WakeUp.ORDER);

  private record WakeUp(long epochMilli, String talkId) {
    static final Comparator<WakeUp> ORDER =
        Comparator.comparingLong(WakeUp::epochMilli)
            .thenComparing(WakeUp::talkId, WakeUpKey::compare);
  }

  @Override
  public TalkState talk(String talkId) {
    return talks.get(talkId);
  }

  @Override
  public void putTalk(TalkState talk) {
    talks.put(talk.getTalkId(), talk);
  }

  @Override
  public boolean seen(String talkId, String eventId) {
    Set<String> ids = seen.get(talkId);
    return ids != null && ids.contains(eventId);
  }

  @Override
  public void markSeen(String talkId, String eventId) {
    seen.computeIfAbsent(talkId, id -> new HashSet<>()).add(eventId);
  }

  @Override
  public void addWakeUp(Instant at, String talkId) {
    wakeUps.add(new WakeUp(at.toEpochMilli(), talkId));
  }

  @Override
  public void removeWakeUp(Instant at, String talkId) {
    wakeUps.remove(new WakeUp(at.toEpochMilli(), talkId));
  }

  @Override
  public List<String> dueWakeUps(Instant now) {
    List<String> due = new ArrayList<>();
    for (WakeUp wakeUp : wakeUps) {
      if (wakeUp.epochMilli() > now.toEpochMilli()) {
        break;
      }
      due.add(wakeUp.talkId());
    }
    return due;
  }

  @Override
  public PartitionFold.History history(String talkId) {
    List<org.parley.avro.DiplomaticEvent> list = entries.get(talkId);
    return list == null
        ? PartitionFold.History.EMPTY
        : new PartitionFold.History(
            bases.get(talkId), java.util.Collections.unmodifiableList(list));
  }

  @Override
  public int appendHistory(String talkId, org.parley.avro.DiplomaticEvent entry) {
    List<org.parley.avro.DiplomaticEvent> list =
        entries.computeIfAbsent(talkId, id -> new ArrayList<>());
    list.add(entry);
    return list.size();
  }

  @Override
  public void replaceHistory(String talkId, PartitionFold.History history) {
    entries.put(talkId, new ArrayList<>(history.entries()));
    if (history.base() == null) {
      bases.remove(talkId);
    } else {
      bases.put(talkId, history.base());
    }
  }

  /** Every talk on this partition. */
  public Map<String, TalkState> talks() {
    return Map.copyOf(talks);
  }
}
