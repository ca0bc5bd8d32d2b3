package org.parley.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;

/** A partition's ledger in memory: for time travel, reference folds and tests. */
public final class InMemoryLedger implements PartitionFold.Ledger {

  /**
   * Everything kept about one talk, found with one lookup: the fold asks for a talk's state, seen
   * ids and history several times per event, and separate maps cost a lookup each.
   */
  private static final class Talk {
    final String id;
    TalkState state;
    TalkState base;
    List<DiplomaticEvent> entries = new ArrayList<>();

    /**
     * Event ids seen. ({@code StoreLedger} keys them as talk id, newline, event id; the two agree
     * because ids are validated before the fold and hold no newline.)
     */
    final IdSet seen = new IdSet();

    /** The talk's wake-up as the fold last set it (null: none). */
    Instant wakeUp;

    /** The talk's wake-up as {@link #wakeUps} holds it (null: none), until brought up to date. */
    Instant indexedWakeUp;

    /** Whether it is in {@link #movedWakeUps}. */
    boolean wakeUpMoved;

    Talk(String id) {
      this.id = id;
    }
  }

  private final Map<String, Talk> talks = new HashMap<>();

  /** The talk asked for last: the fold asks about the same talk several times in a row. */
  private Talk last;

  private String lastId;

  private int lastHash;

  /**
   * Ordered as {@link WakeUpKey}s are (time, then talk id bytes), without formatting them. Brought
   * up to date only when it is read: a talk's wake-up moves with most of its events, and each move
   * cost a removal and an insertion here (5 % of the fold in memory, issue 14), where between two
   * ticks only where it ends up matters. {@code StoreLedger} does the same with its store.
   */
  private final TreeSet<WakeUp> wakeUps = new TreeSet<>(WakeUp.ORDER);

  /** The talks whose wake-up moved since {@link #wakeUps} was last brought up to date. */
  private final List<Talk> movedWakeUps = new ArrayList<>();

  private record WakeUp(long epochMilli, String talkId) {
    static final Comparator<WakeUp> ORDER =
        (a, b) ->
            a.epochMilli != b.epochMilli
                ? Long.compare(a.epochMilli, b.epochMilli)
                : WakeUpKey.compare(a.talkId, b.talkId);
  }

  /** The talk's entry, or null when nothing is kept about it. */
  private Talk find(String talkId) {
    // By value: an event's talk id and its state's are different strings of the same talk. The
    // hashes first: the map needs the id's anyway, and ids of the same length that differ (another
    // talk than the last, most events) are then told apart without reading their characters.
    int hash = talkId.hashCode();
    if (hash == lastHash && talkId.equals(lastId)) {
      return last;
    }
    Talk talk = talks.get(talkId);
    if (talk != null) {
      remember(talk, talkId, hash);
    }
    return talk;
  }

  private Talk entry(String talkId) {
    Talk talk = find(talkId);
    if (talk == null) {
      talk = new Talk(talkId);
      talks.put(talkId, talk);
      remember(talk, talkId, talkId.hashCode());
    }
    return talk;
  }

  private void remember(Talk talk, String talkId, int hash) {
    last = talk;
    lastId = talkId;
    lastHash = hash;
  }

  @Override
  public TalkState talk(String talkId) {
    Talk talk = find(talkId);
    return talk == null ? null : talk.state;
  }

  @Override
  public void putTalk(TalkState talk) {
    entry(talk.getTalkId()).state = talk;
  }

  @Override
  public boolean seen(String talkId, String eventId) {
    Talk talk = find(talkId);
    return talk != null && talk.seen.contains(eventId);
  }

  @Override
  public void markSeen(String talkId, String eventId) {
    entry(talkId).seen.add(eventId);
  }

  /**
   * A talk has one wake-up at a time, as the fold keeps it (it removes a talk's wake-up before it
   * adds another): a second one replaces the first, where a set of (time, talk) pairs would hold
   * both.
   */
  @Override
  public void addWakeUp(Instant at, String talkId) {
    moved(entry(talkId)).wakeUp = at;
  }

  /**
   * Removes the talk's wake-up if it is at {@code at}; a time that is not the talk's is ignored.
   */
  @Override
  public void removeWakeUp(Instant at, String talkId) {
    Talk talk = find(talkId);
    if (talk != null && at.equals(talk.wakeUp)) {
      moved(talk).wakeUp = null;
    }
  }

  private Talk moved(Talk talk) {
    if (!talk.wakeUpMoved) {
      talk.wakeUpMoved = true;
      movedWakeUps.add(talk);
    }
    return talk;
  }

  @Override
  public List<String> dueWakeUps(Instant now) {
    for (Talk talk : movedWakeUps) {
      if (!java.util.Objects.equals(talk.indexedWakeUp, talk.wakeUp)) {
        if (talk.indexedWakeUp != null) {
          wakeUps.remove(new WakeUp(talk.indexedWakeUp.toEpochMilli(), talk.id));
        }
        if (talk.wakeUp != null) {
          wakeUps.add(new WakeUp(talk.wakeUp.toEpochMilli(), talk.id));
        }
        talk.indexedWakeUp = talk.wakeUp;
      }
      talk.wakeUpMoved = false;
    }
    movedWakeUps.clear();
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
    Talk talk = find(talkId);
    return talk == null || talk.entries.isEmpty() && talk.base == null
        ? PartitionFold.History.EMPTY
        : new PartitionFold.History(talk.base, Collections.unmodifiableList(talk.entries));
  }

  @Override
  public int appendHistory(String talkId, DiplomaticEvent entry) {
    List<DiplomaticEvent> entries = entry(talkId).entries;
    // Entries are appended in place: a copy per append would make a long talk quadratic.
    entries.add(entry);
    return entries.size();
  }

  @Override
  public void replaceHistory(String talkId, PartitionFold.History history) {
    Talk talk = entry(talkId);
    talk.entries = new ArrayList<>(history.entries());
    talk.base = history.base();
  }

  @Override
  public PartitionFold.History oldestHistory(String talkId, int count) {
    Talk talk = find(talkId);
    return talk == null
        ? PartitionFold.History.EMPTY
        : new PartitionFold.History(
            talk.base, List.copyOf(talk.entries.subList(0, Math.min(count, talk.entries.size()))));
  }

  @Override
  public void trimHistory(String talkId, int count, TalkState base) {
    Talk talk = entry(talkId);
    talk.entries.subList(0, Math.min(count, talk.entries.size())).clear();
    talk.base = base;
  }

  /** Every talk on this partition. */
  public Map<String, TalkState> talks() {
    Map<String, TalkState> states = new HashMap<>();
    talks.forEach(
        (id, talk) -> {
          if (talk.state != null) {
            states.put(id, talk.state);
          }
        });
    return Map.copyOf(states);
  }

  /**
   * A set of ids, open addressing with each id's hash beside it: a probe reads the array of hashes
   * alone (a slot whose hash is 0 is free; an id whose hash is 0 is kept as 1), and an id only when
   * its hash is the one, where a {@code HashSet} reads a node and its key for each.
   *
   * <p>The fold asks whether an event's id was seen, then adds it once the event applied: {@link
   * #add} right after {@link #contains} of the same id reuses that probe's free slot, when nothing
   * was added since (issue 14, twentieth round: the second probe was 2 % of the fold in memory).
   */
  static final class IdSet {
    private int[] hashes = new int[16];
    private String[] ids = new String[16];
    private int size;

    /** The id {@link #contains} last did not find, and the free slot its probe ended at. */
    private String missed;

    private int missedAt;

    boolean contains(String id) {
      int hash = stored(id.hashCode());
      int[] hashes = this.hashes;
      int mask = hashes.length - 1;
      int i = spread(hash) & mask;
      for (; hashes[i] != 0; i = (i + 1) & mask) {
        if (hashes[i] == hash && ids[i].equals(id)) {
          return true;
        }
      }
      missed = id;
      missedAt = i;
      return false;
    }

    void add(String id) {
      int hash = stored(id.hashCode());
      int i;
      if (id == missed && hashes[missedAt] == 0) {
        // Nothing was added since that probe (every add that adds forgets the miss, and the table
        // only changes and grows in one), so the id's path is as the probe found it: the id is not
        // in the set, and the slot is free. (Checked all the same: a free slot costs nothing to
        // read.)
        i = missedAt;
      } else {
        int mask = hashes.length - 1;
        for (i = spread(hash) & mask; hashes[i] != 0; i = (i + 1) & mask) {
          if (hashes[i] == hash && ids[i].equals(id)) {
            return;
          }
        }
      }
      missed = null;
      if ((size + 1) * 2 > ids.length) {
        grow();
        put(hash, id);
      } else {
        hashes[i] = hash;
        ids[i] = id;
      }
      size++;
    }

    private void put(int hash, String id) {
      int mask = hashes.length - 1;
      int i = spread(hash) & mask;
      while (hashes[i] != 0) {
        i = (i + 1) & mask;
      }
      hashes[i] = hash;
      ids[i] = id;
    }

    private void grow() {
      int[] oldHashes = hashes;
      String[] oldIds = ids;
      hashes = new int[oldIds.length * 2];
      ids = new String[oldIds.length * 2];
      for (int i = 0; i < oldIds.length; i++) {
        if (oldHashes[i] != 0) {
          put(oldHashes[i], oldIds[i]);
        }
      }
    }

    /** The hash as kept: 0 marks a free slot. */
    private static int stored(int hash) {
      return hash == 0 ? 1 : hash;
    }

    private static int spread(int hash) {
      return hash ^ (hash >>> 16);
    }
  }
}
