package org.parley.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.core.PartitionFold;
import org.parley.core.WakeUpKey;
import org.parley.model.RecordCodec;
import org.parley.model.UndecodableRecord;

/** The ledger of one partition's fold, kept in the task's state stores (RocksDB, changelogged, exactly-once). */
final class StoreLedger implements PartitionFold.Ledger {
  /** Talk states as their Avro single-object encoding: the same bytes go to the store and to the state topic. */
  private final KeyValueStore<String, byte[]> talks;
  private final KeyValueStore<String, Long> seenEvents;
  private final KeyValueStore<String, String> wakeUps;
  private final KeyValueStore<String, byte[]> history;
  /**
   * No wake-up exists before this time (null: not known yet, after a start or a rebalance). Scans
   * start here rather than at the lowest key: RocksDB keeps a tombstone for every wake-up removed,
   * and a scan from the bottom would step over all of them, more with every event.
   */
  private Instant floor;

  /**
   * The earliest wake-up there is, or null when not known. While a tick is before it, nothing is
   * due and the index is not read at all: most ticks wake no one.
   */
  private Instant earliest;
  private boolean earliestKnown;

  /**
   * The talks used lately, decoded: an event reads its talk more than once, and decoding a state
   * costs more than folding it. Only this ledger writes the store, one task on one thread, so the
   * copies cannot go stale; a new ledger (after a rebalance or a restart) starts empty.
   */
  private final Map<String, TalkState> decoded = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, TalkState> eldest) {
      return size() > DECODED_TALKS;
    }
  };
  private static final int DECODED_TALKS = 2_000; // per task: a bounded share of the heap

  /** The encoded size of the talks used lately; kept like {@link #decoded}, and as small. */
  private final Map<String, Integer> sizes = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > DECODED_TALKS * 4;
    }
  };

  /** The encoding of each talk written while folding the current record, for the processor to forward. */
  private final Map<TalkState, byte[]> written = new IdentityHashMap<>();

  StoreLedger(KeyValueStore<String, byte[]> talks, KeyValueStore<String, Long> seenEvents,
      KeyValueStore<String, String> wakeUps, KeyValueStore<String, byte[]> history) {
    this.talks = talks;
    this.seenEvents = seenEvents;
    this.wakeUps = wakeUps;
    this.history = history;
  }

  @Override
  public TalkState talk(String talkId) {
    TalkState talk = decoded.get(talkId);
    if (talk == null) {
      byte[] bytes = talks.get(talkId);
      if (bytes == null) {
        return null;
      }
      try {
        talk = RecordCodec.talks().decode(bytes);
      } catch (UndecodableRecord e) {
        throw new IllegalStateException("the talks store holds an unreadable state for " + talkId + ": "
            + e.getMessage());
      }
      decoded.put(talkId, talk);
    }
    return talk;
  }

  @Override
  public void putTalk(TalkState talk) {
    byte[] bytes = RecordCodec.talks().encode(talk);
    talks.put(talk.getTalkId(), bytes);
    decoded.put(talk.getTalkId(), talk);
    sizes.put(talk.getTalkId(), bytes.length);
    written.put(talk, bytes);
  }

  /** How many bytes a talk's state takes, encoded (0 when there is none): what {@link TalkLimit} bounds. */
  long encodedSize(String talkId) {
    Integer size = sizes.get(talkId);
    if (size == null) {
      byte[] bytes = talks.get(talkId);
      if (bytes == null) {
        return 0;
      }
      size = bytes.length;
      sizes.put(talkId, size);
    }
    return size;
  }

  /** The bytes a talk was stored as while folding the current record. */
  byte[] encoded(TalkState talk) {
    return written.get(talk);
  }

  /** Forgets the encodings of the record just folded. */
  void recordDone() {
    written.clear();
  }

  @Override
  public boolean seen(String talkId, String eventId) {
    return seenEvents.get(seenKey(talkId, eventId)) != null;
  }

  @Override
  public void markSeen(String talkId, String eventId) {
    seenEvents.put(seenKey(talkId, eventId), 1L);
  }

  @Override
  public void addWakeUp(Instant at, String talkId) {
    if (floor != null && at.isBefore(floor)) {
      floor = at;
    }
    if (earliestKnown && (earliest == null || at.isBefore(earliest))) {
      earliest = at;
    }
    wakeUps.put(WakeUpKey.of(at, talkId), talkId);
  }

  @Override
  public void removeWakeUp(Instant at, String talkId) {
    if (earliestKnown && at.equals(earliest)) {
      earliestKnown = false; // another talk may wait at the same time; the next scan finds out
    }
    wakeUps.delete(WakeUpKey.of(at, talkId));
  }

  @Override
  public List<String> dueWakeUps(Instant now) {
    if (earliestKnown && (earliest == null || now.isBefore(earliest))) {
      return List.of();
    }
    List<String> due = new ArrayList<>();
    String from = floor == null ? WakeUpKey.lowest() : WakeUpKey.of(floor, "");
    Instant firstDue = null;
    Instant nextAfter = null;
    // Read past now by one key, to learn when the next wake-up is.
    try (KeyValueIterator<String, String> it = wakeUps.range(from, WakeUpKey.highest())) {
      while (it.hasNext()) {
        var entry = it.next();
        Instant at = WakeUpKey.time(entry.key);
        if (at.isAfter(now)) {
          nextAfter = at;
          break;
        }
        firstDue = firstDue == null ? at : firstDue;
        due.add(entry.value);
      }
    }
    // The talks found are woken and indexed again after now; should one stay, the next scan still starts at it.
    floor = firstDue != null ? firstDue : now.plusMillis(1);
    earliest = firstDue != null ? firstDue : nextAfter;
    earliestKnown = true;
    return due;
  }

  // ---------------------------------------------------------------- history

  @Override
  public PartitionFold.History history(String talkId) {
    List<DiplomaticEvent> entries = new ArrayList<>();
    TalkHistoryKeys.read(history, talkId, (seq, bytes) -> entries.add(decodeEntry(talkId, bytes)));
    byte[] base = history.get(TalkHistoryKeys.base(talkId));
    TalkState baseTalk = null;
    if (base != null) {
      try {
        baseTalk = RecordCodec.talks().decode(base);
      } catch (UndecodableRecord e) {
        throw new IllegalStateException("the history store holds an unreadable base state for " + talkId, e);
      }
    }
    return entries.isEmpty() && baseTalk == null ? PartitionFold.History.EMPTY
        : new PartitionFold.History(baseTalk, entries);
  }

  /**
   * Each talk's history span (first and next sequence number), as last read or written: an event
   * appends to its talk's history, and reading the span back from the store each time would cost
   * a lookup per event. Like {@link #decoded}, safe because only this ledger writes the store.
   */
  private final Map<String, long[]> spans = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
      return size() > DECODED_TALKS;
    }
  };

  @Override
  public int appendHistory(String talkId, DiplomaticEvent entry) {
    long[] span = spans.computeIfAbsent(talkId, id -> TalkHistoryKeys.span(history.get(TalkHistoryKeys.meta(id))));
    history.put(TalkHistoryKeys.entry(talkId, span[1]), RecordCodec.events().encode(entry));
    span[1]++;
    history.put(TalkHistoryKeys.meta(talkId), TalkHistoryKeys.span(span[0], span[1]));
    return (int) (span[1] - span[0]);
  }

  @Override
  public void replaceHistory(String talkId, PartitionFold.History replacement) {
    List<String> old = new ArrayList<>();
    TalkHistoryKeys.read(history, talkId, (seq, bytes) -> old.add(TalkHistoryKeys.entry(talkId, seq)));
    old.forEach(history::delete);
    long seq = 0;
    for (DiplomaticEvent entry : replacement.entries()) {
      history.put(TalkHistoryKeys.entry(talkId, seq++), RecordCodec.events().encode(entry));
    }
    history.put(TalkHistoryKeys.meta(talkId), TalkHistoryKeys.span(0, seq));
    spans.put(talkId, new long[] {0, seq});
    if (replacement.base() == null) {
      history.delete(TalkHistoryKeys.base(talkId));
    } else {
      history.put(TalkHistoryKeys.base(talkId), RecordCodec.talks().encode(replacement.base()));
    }
  }

  private static DiplomaticEvent decodeEntry(String talkId, byte[] bytes) {
    try {
      return RecordCodec.events().decode(bytes);
    } catch (UndecodableRecord e) {
      throw new IllegalStateException("the history store holds an unreadable event of " + talkId, e);
    }
  }

  /**
   * The store's key: the same pair as {@code Events.identity}, but spelled out here because it is
   * a layout on disk and in the changelog, which must not change with anything else.
   */
  private static String seenKey(String talkId, String eventId) {
    return talkId + '\n' + eventId;
  }
}
