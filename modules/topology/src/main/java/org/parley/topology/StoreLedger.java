package org.parley.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.core.PartitionFold;
import org.parley.core.WakeUpKey;
import org.parley.model.Events;
import org.parley.model.RecordCodec;
import org.parley.model.TalkEncoder;
import org.parley.model.UndecodableRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger of one partition's fold, kept in the task's state stores (RocksDB, changelogged,
 * exactly-once), written back once per commit.
 *
 * <p>Between commits the talks an event changed stay here, decoded, with the event ids seen and the
 * history appended: {@link #writeBack} encodes each changed talk once, writes it and what else
 * changed to the stores, and hands each talk's bytes to the processor to publish, right before the
 * commit ({@link BeforeCommit}). A talk changed by a hundred events in one commit interval is
 * encoded, stored, changelogged and published once, not a hundred times, which is where the
 * pipeline's time went. Reads see the changes not yet written back, so the fold cannot tell the
 * difference; nothing here decides anything.
 */
final class StoreLedger implements PartitionFold.Ledger, RawEventFold.TalkBytes {
  private static final Logger LOG = LoggerFactory.getLogger(StoreLedger.class);

  /**
   * Talk states as their Avro single-object encoding: the same bytes go to the store and to the
   * state topic.
   */
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
  private final Map<String, TalkState> decoded =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TalkState> eldest) {
          return size() > DECODED_TALKS;
        }
      };

  private static final int DECODED_TALKS = 2_000; // per task: a bounded share of the heap

  /** The encoded size of the talks used lately, as last written; kept like {@link #decoded}. */
  private final Map<String, Integer> sizes =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
          return size() > DECODED_TALKS * 4;
        }
      };

  /**
   * Encodes talks reusing the encoding of the parts they share with their last version (see {@link
   * TalkEncoder}).
   */
  private final TalkEncoder encoder = new TalkEncoder();

  /**
   * The kept part encodings of the talks encoded lately, most recent last: as many talks as {@link
   * #decoded} keeps, within {@link #PARTS_BUDGET} bytes.
   */
  private final LinkedHashMap<String, TalkEncoder.Parts> parts =
      new LinkedHashMap<>(256, 0.75f, true);

  private long partsBytes;
  private static final long PARTS_BUDGET = 8L * 1024 * 1024; // per task

  private byte[] encode(TalkState talk) {
    TalkEncoder.Parts kept = parts.computeIfAbsent(talk.getTalkId(), id -> new TalkEncoder.Parts());
    long before = kept.bytes();
    byte[] bytes;
    try {
      bytes = encoder.encode(talk, kept);
    } finally {
      // Counted even when encoding fails part way: writeBack then drops this talk's parts and
      // takes off everything they hold, counted or not.
      partsBytes += kept.bytes() - before;
    }
    var eldest = parts.entrySet().iterator();
    while ((partsBytes > PARTS_BUDGET || parts.size() > DECODED_TALKS) && eldest.hasNext()) {
      var next = eldest.next();
      if (next.getValue() != kept) {
        partsBytes -= next.getValue().bytes();
        eldest.remove();
      }
    }
    return bytes;
  }

  /** A talk changed since the last write-back, with the record that changed it last. */
  private static final class Changed<S> {
    TalkState talk;
    S source;

    /**
     * Its exact encoded size when it was last measured since the last write-back, or -1: what
     * {@link #growth} is counted from then, rather than from its size as last written.
     */
    long measured = -1;

    /** An upper bound on what the talk has grown by since it was last measured, in bytes. */
    long growth;

    /** The talk's encoding, when measured since it last changed (it is then written as is). */
    byte[] encoded;
  }

  /** Talks changed since the last write-back, in order of first change. */
  private final Map<String, Changed<Object>> changed = new LinkedHashMap<>();

  /**
   * How many changed talks a task holds before it asks for a commit, whatever the commit interval:
   * they are held decoded until written back, so this bounds how many talks a long interval (a
   * rebuild's) or a burst of new talks keeps in memory: as many as {@link #decoded} keeps.
   */
  static final int CHANGED_TALKS_PER_COMMIT = DECODED_TALKS;

  /** Whether enough talks have changed since the last write-back that it should happen now. */
  boolean full() {
    return changed.size() >= CHANGED_TALKS_PER_COMMIT;
  }

  /**
   * The record being folded: whatever the processor needs to publish a talk it changed (see {@link
   * #writeBack}).
   */
  private Object source;

  /**
   * Event ids marked seen since the last write-back and not (yet) in their talk's history, as store
   * keys (see {@link #seenKey}): what the write-back may have to write to the seen-events store.
   */
  private final Set<String> seenSinceCommit = new LinkedHashSet<>();

  /**
   * Seen keys of this commit whose events a correction's new history holds (an event appended to
   * its talk's history leaves {@link #seenSinceCommit} instead). The write-back writes the other
   * keys marked seen to the seen-events store: a tick's (marked under the clock's talk), and an
   * event whose id has the ticks' prefix, which is left out of history ids ({@link #addEventId})
   * and so must be found in the store.
   */
  private final Set<String> inHistorySinceCommit = new HashSet<>();

  /**
   * The ids of the events in each talk's history, as fingerprints, for the talks used lately (as
   * many talks as {@link #decoded} keeps, and at most {@link #HISTORY_PRINTS} ids in all). An event
   * in its talk's history has been seen: it need not be written to the seen-events store as well,
   * which would cost a store write and a changelog record per event. Only ids that are not in a
   * history (clock ticks), or that leave one (the oldest entries folded into the talk's base, a
   * retracted event), are written there. A talk dropped from here has its history read again to
   * learn its ids; one whose ids (256 or more) must leave to make room has them written there
   * instead, and is asked of that store from then on ({@link #moveHistoryIdsToTheStore}), so that a
   * task with more busy deep talks than the bound holds does not read a history an event.
   */
  private final KeptIds<IdPrints> historyIds =
      new KeptIds<>(
          HISTORY_PRINTS,
          DECODED_TALKS,
          HISTORY_IN_THE_STORE,
          HISTORY_IDS_MOVED_FROM,
          this::moveHistoryIdsToTheStore);

  /** Fewer history ids than this are dropped, not moved: read back, they are a short range. */
  private static final int HISTORY_IDS_MOVED_FROM = 256;

  /**
   * Stands for a talk whose history's ids had to leave {@link #historyIds} to make room: they were
   * written to the seen-events store then, and its later events' ids are written there as they join
   * its history (see {@link #moveHistoryIdsToTheStore}). Never added to.
   */
  private static final IdPrints HISTORY_IN_THE_STORE = new IdPrints();

  /**
   * Per task: 150 talks {@link PartitionFold#HISTORY_LIMIT} events deep, in at most 9.6 MB (16 to
   * 32 bytes a fingerprint with the table's room). 50,000 ids as strings took about 5 MB.
   */
  private static final int HISTORY_PRINTS = 300_000;

  /**
   * The ids each talk has in the seen-events store, for the talks used lately: read with one range
   * scan when the talk is first asked about, so that a new event, whose id is in no history and in
   * no store, costs no store lookup (a lookup per event was 7% of the stream thread's time). Kept
   * as Bloom filters ({@link IdFilter}), a find confirmed by the store: exact whatever version
   * wrote the store, as they are the store's own keys. A talk with more than {@link
   * #storedIdsPerTalk} there is asked of the store id by id instead, as is a tick, whose ids pile
   * up under the clock's talk: reading that many keys again when it comes back would take longer
   * than its lookups.
   */
  private final KeptIds<IdFilter> storedIds;

  private final int storedIdsPerTalk;

  /**
   * Per task: 4 to 8 MB of filters. Until the twenty-second round of issue 14 the ids were kept as
   * fingerprints, 100,000 a task and 4,096 a talk; talks past that (6,000 events deep, with their
   * history) asked the store about every event, a fifth of the stream thread's time after two
   * minutes at 10,000 events/s. Every event's id comes here in the end (its history keeps 2,000),
   * so at 10,000 events/s over six partitions busy talks pass this bound in about ten minutes; from
   * then on the least recently used of them are asked of the store event by event again (the
   * stand-in), as before.
   */
  static final long STORED_IDS_KEPT = 1_000_000;

  /**
   * Read in a few tens of milliseconds when the talk comes back, in a filter of at most 512 KB. A
   * talk found with more is remembered as such ({@link #tooDeep}), not read again each time.
   */
  static final int STORED_IDS_PER_TALK = 65_536;

  /**
   * A talk whose ids must leave {@link #storedIds} to make room is asked of the store from then on
   * if it had this many or more: a lookup an event, rather than reading them all again when it
   * comes back (with more busy talks than the bound holds, every event did).
   */
  private static final int STORED_IDS_READ_AGAIN = 256;

  /**
   * Stands for a talk with too many ids in the seen-events store to keep: ask the store. Never
   * added to (compared by identity first).
   */
  private static final IdFilter ASK_THE_STORE = new IdFilter(0);

  /** History entries appended since the last write-back, per talk, encoded. */
  private final Map<String, List<byte[]>> appended = new LinkedHashMap<>();

  /**
   * The event being folded and the record value it was read from: its history entry, as is, when it
   * is kept unchanged.
   */
  private DiplomaticEvent readEvent;

  private byte[] readValue;

  StoreLedger(
      KeyValueStore<String, byte[]> talks,
      KeyValueStore<String, Long> seenEvents,
      KeyValueStore<String, String> wakeUps,
      KeyValueStore<String, byte[]> history) {
    this(talks, seenEvents, wakeUps, history, STORED_IDS_KEPT, STORED_IDS_PER_TALK);
  }

  /** With other bounds on the stored ids kept, for tests that go past them. */
  StoreLedger(
      KeyValueStore<String, byte[]> talks,
      KeyValueStore<String, Long> seenEvents,
      KeyValueStore<String, String> wakeUps,
      KeyValueStore<String, byte[]> history,
      long storedIdsKept,
      int storedIdsPerTalk) {
    this.storedIds =
        new KeptIds<>(
            storedIdsKept, DECODED_TALKS, ASK_THE_STORE, STORED_IDS_READ_AGAIN, talkId -> true);
    this.storedIdsPerTalk = storedIdsPerTalk;
    this.talks = talks;
    this.seenEvents = seenEvents;
    this.wakeUps = wakeUps;
    this.history = history;
  }

  /**
   * The record about to be folded: the talks it changes are published with it (its time, its place
   * in the log).
   */
  void folding(Object record) {
    this.source = record;
  }

  @Override
  public TalkState talk(String talkId) {
    Changed<Object> change = changed.get(talkId);
    if (change != null) {
      return change.talk;
    }
    TalkState talk = decoded.get(talkId);
    if (talk == null) {
      byte[] bytes = talks.get(talkId);
      if (bytes == null) {
        return null;
      }
      talk = decode(talkId, bytes, "talks store");
      decoded.put(talkId, talk);
    }
    return talk;
  }

  @Override
  public void putTalk(TalkState talk) {
    Changed<Object> change = changed.computeIfAbsent(talk.getTalkId(), id -> new Changed<>());
    change.talk = talk;
    change.source = source;
    change.encoded = null;
    change.growth += PER_CHANGE_SLACK;
    decoded.put(talk.getTalkId(), talk);
  }

  /**
   * How much a state may grow per change beyond four times the event's bytes: a change copies what
   * its event carries into the state, plus statuses, times and short texts of its own (a broken
   * commitment voids those conditional on it, each noting why). This bound is generous on purpose:
   * a talk whose bound nears the limit is measured exactly, so the limit is decided on exact sizes,
   * the same in every replay whatever the commit boundaries.
   */
  private static final long PER_CHANGE_SLACK = 16 * 1024;

  /** The event about to be folded, read from {@code value}. */
  @Override
  public void read(DiplomaticEvent event, byte[] value) {
    readEvent = event;
    readValue = value;
  }

  /**
   * An event of {@code bytes} was applied to the talk: its state grew by at most four times that
   * (see above).
   */
  @Override
  public void grew(String talkId, long bytes) {
    Changed<Object> change = changed.get(talkId);
    if (change != null) {
      change.growth += 4 * bytes;
    }
  }

  /**
   * How many bytes a talk's state takes, encoded (0 when there is none): what {@link TalkLimit}
   * bounds. For a talk changed since the last write-back this is an upper bound while that is far
   * from the limit, and the exact size once it is near it.
   */
  @Override
  public long stateBytes(String talkId) {
    Integer size = sizes.get(talkId);
    if (size == null) {
      byte[] bytes = talks.get(talkId);
      size = bytes == null ? 0 : bytes.length;
      sizes.put(talkId, size);
    }
    Changed<Object> change = changed.get(talkId);
    if (change == null) {
      return size;
    }
    if (change.encoded != null) {
      return change.encoded.length;
    }
    // Counted from the last exact size: a talk changed hundreds of times between two write-backs
    // (a rebuild's are 10,000 records apart) is measured again only when that size plus what it may
    // have grown by since reaches half the limit, not at every change once its growth since the
    // write-back got there.
    long base = change.measured >= 0 ? change.measured : size;
    if (base + change.growth < TalkLimit.MAX_STATE_BYTES / 2) {
      return base + change.growth;
    }
    change.encoded = encode(change.talk);
    change.measured = change.encoded.length;
    change.growth = 0;
    return change.encoded.length;
  }

  /** Whether anything changed since the last write-back. */
  boolean pending() {
    return !changed.isEmpty()
        || !seenSinceCommit.isEmpty()
        || !appended.isEmpty()
        || !movedWakeUps.isEmpty();
  }

  /**
   * Writes every change since the last write-back to the stores (and so to their changelogs) and
   * hands each changed talk, encoded, to {@code publish} with the record that changed it last.
   */
  void writeBack(Publisher publish) {
    // The talks, and then the histories, go to their stores in batches: one RocksDB write (and one
    // store metric) for all the commit's talks rather than one per talk, whose overhead was about
    // half of what a put cost.
    Batch toWrite = new Batch(talks, (talk, source) -> publish.talk(talk.key, talk.value, source));
    for (Map.Entry<String, Changed<Object>> entry : changed.entrySet()) {
      Changed<Object> change = entry.getValue();
      byte[] bytes;
      try {
        bytes = change.encoded != null ? change.encoded : encode(change.talk);
      } catch (RuntimeException e) {
        // A state Avro cannot write would fail every commit from here on, forever: the talk keeps
        // its last state instead, and the log says which record changed it last.
        decoded.remove(entry.getKey());
        TalkEncoder.Parts dropped = parts.remove(entry.getKey());
        if (dropped != null) {
          partsBytes -= dropped.bytes();
        }
        LOG.error(
            "talk '{}' keeps its last written state: its state after {} cannot be encoded"
                + " (a defect of the fold; please report it with this record)",
            entry.getKey(),
            change.source instanceof RecordMetadata m
                ? m.topic() + "-" + m.partition() + "@" + m.offset()
                : change.source,
            e);
        publish.unwritable(entry.getKey(), change.source, e);
        continue;
      }
      toWrite.add(entry.getKey(), bytes, change.source);
      sizes.put(entry.getKey(), bytes.length);
    }
    changed.clear();
    toWrite.flush();
    for (String key : seenSinceCommit) {
      if (!inHistorySinceCommit.contains(key)) {
        int split = key.indexOf('\n');
        storeSeen(key.substring(0, split), key.substring(split + 1)); // a tick
      }
    }
    seenSinceCommit.clear();
    inHistorySinceCommit.clear();
    Batch chunks = new Batch(history, (chunk, source) -> {});
    for (String talkId : List.copyOf(appended.keySet())) {
      writeHistory(talkId, chunk -> chunks.add(chunk.key, chunk.value));
    }
    chunks.flush();
    writeWakeUps();
  }

  /**
   * Puts for one store, given to it together: a few megabytes at a time, so that a commit of many
   * large talks does not hold all their bytes at once. {@code written} is told of each put once it
   * is in the store, with what came with it.
   */
  private static final class Batch {
    private static final long MAX_BYTES = 4L * 1024 * 1024;

    private final KeyValueStore<String, byte[]> store;
    private final BiConsumer<KeyValue<String, byte[]>, Object> written;
    private final List<KeyValue<String, byte[]>> puts = new ArrayList<>();
    private final List<Object> sources = new ArrayList<>();
    private long bytes;

    Batch(
        KeyValueStore<String, byte[]> store, BiConsumer<KeyValue<String, byte[]>, Object> written) {
      this.store = store;
      this.written = written;
    }

    void add(String key, byte[] value) {
      add(key, value, null);
    }

    void add(String key, byte[] value, Object source) {
      puts.add(KeyValue.pair(key, value));
      sources.add(source);
      bytes += key.length() + (value == null ? 0 : value.length);
      if (bytes >= MAX_BYTES) {
        flush();
      }
    }

    void flush() {
      if (puts.isEmpty()) {
        return;
      }
      store.putAll(puts);
      for (int i = 0; i < puts.size(); i++) {
        written.accept(puts.get(i), sources.get(i));
      }
      puts.clear();
      sources.clear();
      bytes = 0;
    }
  }

  /**
   * Forgets what was not written back, and every copy that might include it: the task gives up its
   * uncommitted work and its stores are restored to the last commit.
   */
  void discard() {
    changed.clear();
    seenSinceCommit.clear();
    inHistorySinceCommit.clear();
    appended.clear();
    historyIds.clear();
    repeatedTalks.clear();
    storedIds.clear();
    tooDeep.clear();
    readEvent = null;
    readValue = null;
    decoded.clear();
    sizes.clear();
    parts.clear();
    partsBytes = 0;
    spans.clear();
    oldMeta.clear();
    movedWakeUps.clear();
    floor = null;
    earliestKnown = false;
  }

  /** Takes each talk written back. */
  interface Publisher {
    void talk(String talkId, byte[] encoded, Object source);

    /**
     * A talk whose state could not be encoded (a defect of the fold, logged here): it keeps its
     * last written state.
     */
    default void unwritable(String talkId, Object source, RuntimeException problem) {}
  }

  @Override
  public boolean seen(String talkId, String eventId) {
    String key = seenKey(talkId, eventId);
    if (seenSinceCommit.contains(key)
        || historyIds(talkId).mayContain(eventId) && inHistory(talkId, eventId)) {
      return true;
    }
    IdFilter stored = eventId.startsWith(Events.TICK_ID_PREFIX) ? ASK_THE_STORE : storedIds(talkId);
    // An id the filter finds is confirmed by the store: no new event is taken for a repeat.
    return (stored == ASK_THE_STORE || stored.mayContain(eventId)) && seenEvents.get(key) != null;
  }

  /**
   * Whether the talk's history holds an event of this id, exactly. Asked only when the id's
   * fingerprint is there: almost always a repeat.
   */
  private boolean inHistory(String talkId, String eventId) {
    Set<String> ids = repeatedTalks.get(talkId);
    if (ids == null) {
      ids = new HashSet<>();
      forEachHistoryId(talkId, ids::add);
      repeatedTalks.put(talkId, ids);
    }
    return ids.contains(eventId);
  }

  /**
   * The history ids, exactly, of the few talks that had a repeat lately: a talk's file published
   * again whole would otherwise read its history once for each of its events. Kept as the history
   * changes, like {@link #historyIds}; a replaced history drops its talk's.
   */
  private final Map<String, Set<String>> repeatedTalks =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
          return size() > REPEATED_TALKS;
        }
      };

  private static final int REPEATED_TALKS = 16; // per task: up to 16 x 2,000 ids

  /** The ids a talk has in the seen-events store, or {@link #ASK_THE_STORE}. */
  private IdFilter storedIds(String talkId) {
    IdFilter ids = storedIds.get(talkId);
    if (ids == null && tooDeep.contains(talkId)) {
      ids = ASK_THE_STORE;
      storedIds.put(talkId, ids);
    } else if (ids == null) {
      long[] prints = new long[64];
      int count = 0;
      String prefix = talkId + '\n';
      // Talk ids hold no control characters: the range holds this talk's keys and no other's.
      try (KeyValueIterator<String, Long> it = seenEvents.range(prefix, talkId + '\u000b')) {
        while (it.hasNext() && count <= storedIdsPerTalk) {
          if (count == prints.length) {
            prints = Arrays.copyOf(prints, count * 2);
          }
          prints[count++] = IdPrints.of(it.next().key.substring(prefix.length()));
        }
      }
      if (count > storedIdsPerTalk) {
        ids = ASK_THE_STORE;
        tooDeep.add(talkId);
      } else {
        ids = new IdFilter(count);
        for (int i = 0; i < count; i++) {
          ids.add(prints[i]);
        }
      }
      storedIds.put(talkId, ids);
    }
    return ids;
  }

  /** Marks an event seen in the seen-events store, and in the ids kept of it. */
  private void storeSeen(String talkId, String eventId) {
    seenEvents.put(seenKey(talkId, eventId), 1L);
    IdFilter ids = storedIds.get(talkId);
    if (ids == null || ids == ASK_THE_STORE) {
      return;
    }
    if (ids.mayContain(eventId)) {
      // Stored again (a moved history's id, stored once more when a trim takes it out of the
      // history; or held already by a store an older version wrote), or a wrong find: either way a
      // find, which the store confirms. Added again it would count twice toward the bounds.
      return;
    }
    ids.add(eventId);
    storedIds.grew(talkId, 1);
    if (ids.size() > storedIdsPerTalk) {
      storedIds.put(talkId, ASK_THE_STORE);
      tooDeep.add(talkId);
    }
  }

  /**
   * Talks found with more than {@link #storedIdsPerTalk} ids in the seen-events store, lately:
   * asked of the store without reading that many keys again each time the talk comes back.
   */
  private final Set<String> tooDeep =
      java.util.Collections.newSetFromMap(
          new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > TOO_DEEP_TALKS;
            }
          });

  private static final int TOO_DEEP_TALKS = 10 * DECODED_TALKS; // per task: their ids, as strings

  /**
   * A talk's history ids must leave memory to make room for another's: they are written to the
   * seen-events store, where its events are asked about from then on (its stored ids, kept as a
   * filter, take them in as they are written).
   *
   * <p>Why: read back from its history instead (a range of up to 2,000 events), with more busy
   * talks that deep in a task than the ids kept hold (150), each read pushed out the next talk to
   * come round, and every event read its talk's history: 161,603 reads for 200 talks where 1,600
   * were allowed (issue 14, the twenty-first round). Ids in the seen-events store are seen, which
   * is what a history's ids are for; an id stays seen whatever becomes of the history after.
   */
  private boolean moveHistoryIdsToTheStore(String talkId) {
    try {
      // Each id is in the talk's stored ids as soon as it is in the store, so a failure part way
      // leaves them true.
      forEachHistoryId(talkId, id -> storeSeen(talkId, id));
      return true;
    } catch (RuntimeException e) {
      // A history that cannot be read (a damaged entry) fails here in another talk's event, where
      // it would have stopped that talk's work half done. Its ids are dropped instead, and read
      // again, failing there, when its own talk is next asked about.
      LOG.warn(
          "talk '{}': its history's ids could not be moved to the seen-events store", talkId, e);
      return false;
    }
  }

  /**
   * The ids of the talk's history entries, written and appended; read from the store once, then
   * kept (or {@link #HISTORY_IN_THE_STORE}, which holds none).
   */
  private IdPrints historyIds(String talkId) {
    IdPrints ids = historyIds.get(talkId);
    if (ids == null) {
      ids = new IdPrints();
      forEachHistoryId(talkId, ids::add);
      historyIds.put(talkId, ids);
    }
    return ids;
  }

  /**
   * Each event id of the talk's history entries, written and appended, but those with the ticks'
   * prefix (see {@link #addEventId}). Read from the talk's first entry: below it lie only the
   * tombstones trims left.
   */
  private void forEachHistoryId(String talkId, Consumer<String> action) {
    Consumer<byte[]> each =
        bytes -> {
          String id = eventIdOf(talkId, bytes);
          if (!id.startsWith(Events.TICK_ID_PREFIX)) {
            action.accept(id);
          }
        };
    TalkHistoryKeys.read(
        history, talkId, span(talkId)[0], Integer.MAX_VALUE, (seq, bytes) -> each.accept(bytes));
    appended.getOrDefault(talkId, List.of()).forEach(each);
  }

  /**
   * A history also holds the clock ticks that moved its talk, under the ticker's ids ({@link
   * Events#TICK_ID_PREFIX}; the pipeline refuses a tick with another id), which are no event of the
   * talk's. Ids of that form are left out, whether read back or appended, so that an event id is in
   * the set only if an event of the talk had it; an event that happens to be named that way is kept
   * in the seen-events store instead.
   */
  private static boolean addEventId(IdPrints ids, String id) {
    if (id.startsWith(Events.TICK_ID_PREFIX)) {
      return false;
    }
    ids.add(id); // an id is in a history once: a repeat is not appended
    return true;
  }

  /**
   * The event id of an encoded history entry, read without decoding the event: every version of
   * DiplomaticEvent starts with it, a string (zig-zag varint length, then UTF-8) after the 10-byte
   * single-object header.
   */
  private static String eventIdOf(String talkId, byte[] bytes) {
    int at = 10;
    long raw = 0;
    int shift = 0;
    while (at < bytes.length) {
      byte b = bytes[at++];
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        long length = (raw >>> 1) ^ -(raw & 1);
        if (length >= 0 && at + length <= bytes.length) {
          return new String(bytes, at, (int) length, java.nio.charset.StandardCharsets.UTF_8);
        }
        break;
      }
      shift += 7;
      if (shift > 63) {
        break;
      }
    }
    return decodeEntry(talkId, bytes)
        .getEventId(); // not what every version writes: let the decoder say why
  }

  @Override
  public void markSeen(String talkId, String eventId) {
    seenSinceCommit.add(seenKey(talkId, eventId));
  }

  @Override
  public void addWakeUp(Instant at, String talkId) {
    if (floor != null && at.isBefore(floor)) {
      floor = at;
    }
    if (earliestKnown && (earliest == null || at.isBefore(earliest))) {
      earliest = at;
    }
    movedWakeUps.computeIfAbsent(talkId, id -> new Instant[2])[1] = at;
  }

  /**
   * Each talk whose wake-up moved since the wake-ups store was last written: {where the store has
   * it, where it is now}, null for nowhere. They are written at the write-back, and before a tick
   * reads the store, so that the store is exactly what it was whenever it is read, and a talk whose
   * wake-up moves several times between two commits (a rebuild's talks, about five times a second)
   * costs two writes, not two for every move. The fold removes a talk's wake-up before it adds
   * another, so a talk added here first had none in the store.
   */
  private final Map<String, Instant[]> movedWakeUps = new LinkedHashMap<>();

  private void writeWakeUps() {
    for (Map.Entry<String, Instant[]> moved : movedWakeUps.entrySet()) {
      Instant stored = moved.getValue()[0];
      Instant now = moved.getValue()[1];
      if (java.util.Objects.equals(stored, now)) {
        continue;
      }
      if (stored != null) {
        removed(wakeUps, WakeUpKey.of(stored, moved.getKey()));
      }
      if (now != null) {
        wakeUps.put(WakeUpKey.of(now, moved.getKey()), moved.getKey());
      }
    }
    movedWakeUps.clear();
  }

  @Override
  public void removeWakeUp(Instant at, String talkId) {
    if (earliestKnown && at.equals(earliest)) {
      earliestKnown = false; // another talk may wait at the same time; the next scan finds out
    }
    Instant[] moved = movedWakeUps.get(talkId);
    if (moved == null) {
      movedWakeUps.put(talkId, new Instant[] {at, null});
    } else {
      moved[1] = null;
    }
  }

  @Override
  public List<String> dueWakeUps(Instant now) {
    if (earliestKnown && (earliest == null || now.isBefore(earliest))) {
      return List.of();
    }
    writeWakeUps();
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
    // The talks found are woken and indexed again after now; should one stay, the next scan still
    // starts at it.
    floor = firstDue != null ? firstDue : now.plusMillis(1);
    earliest = firstDue != null ? firstDue : nextAfter;
    earliestKnown = true;
    return due;
  }

  // ---------------------------------------------------------------- history

  @Override
  public PartitionFold.History history(String talkId) {
    writeHistory(talkId);
    List<DiplomaticEvent> entries = new ArrayList<>();
    TalkHistoryKeys.read(history, talkId, (seq, bytes) -> entries.add(decodeEntry(talkId, bytes)));
    byte[] base = history.get(TalkHistoryKeys.base(talkId));
    TalkState baseTalk = base == null ? null : decode(talkId, base, "history store's base");
    return entries.isEmpty() && baseTalk == null
        ? PartitionFold.History.EMPTY
        : new PartitionFold.History(baseTalk, entries);
  }

  /**
   * Each talk's history span (first and next sequence number), as last read or written: an event
   * appends to its talk's history, and reading the span back from the store each time would cost a
   * lookup per event. Like {@link #decoded}, safe because only this ledger writes the store.
   */
  private final Map<String, long[]> spans =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
          // A span with entries not yet written back stays: the store does not know them yet.
          return size() > DECODED_TALKS && !appended.containsKey(eldest.getKey());
        }
      };

  @Override
  public int appendHistory(String talkId, DiplomaticEvent entry) {
    long[] span = span(talkId);
    // The entry is the event as read when it already says when it was heard (Parley's publisher
    // stamps loggedAt): its record's bytes are its encoding, and encoding it again would cost as
    // much as reading
    // it.
    byte[] bytes = entry == readEvent ? readValue : RecordCodec.events().encode(entry);
    appended.computeIfAbsent(talkId, id -> new ArrayList<>()).add(bytes);
    if (!entry.getEventId().startsWith(Events.TICK_ID_PREFIX)) {
      // Marked seen just before, it is found through its talk's history from now on, so it need
      // not be held until the write-back: held (with a second key saying so), the keys of a
      // rebuild's 10,000 records a partition outlived young collections and were copied at each.
      seenSinceCommit.remove(seenKey(talkId, entry.getEventId()));
      Set<String> exact = repeatedTalks.get(talkId);
      if (exact != null) {
        exact.add(entry.getEventId());
      }
    }
    span[1]++; // before the ids' bookkeeping, which may write another talk's ids to a store
    IdPrints ids = historyIds.get(talkId);
    if (ids == HISTORY_IN_THE_STORE) {
      if (!entry.getEventId().startsWith(Events.TICK_ID_PREFIX)) {
        storeSeen(talkId, entry.getEventId()); // where its talk's history ids are now
      }
    } else if (ids != null && addEventId(ids, entry.getEventId())) {
      historyIds.grew(talkId, 1);
    }
    return (int) (span[1] - span[0]);
  }

  private long[] span(String talkId) {
    return spans.computeIfAbsent(
        talkId,
        id -> {
          byte[] meta = history.get(TalkHistoryKeys.meta(id));
          if (meta == null) {
            return TalkHistoryKeys.span(history, id);
          }
          oldMeta.add(id);
          return TalkHistoryKeys.span(meta);
        });
  }

  /**
   * Talks whose span was read from a meta key an older version wrote: deleted at the talk's next
   * write, as from then on its entry keys alone tell its span.
   */
  private final Set<String> oldMeta = new HashSet<>();

  /**
   * Writes the entries appended to a talk's history since the last write-back, as one value (see
   * {@link TalkHistoryKeys#write}; more only past its size limit) under the sequence number of the
   * first.
   */
  private void writeHistory(String talkId) {
    writeHistory(talkId, chunk -> history.put(chunk.key, chunk.value));
  }

  /**
   * As {@link #writeHistory(String)}, handing each key and value (null: deleted) to {@code put}.
   */
  private void writeHistory(String talkId, Consumer<KeyValue<String, byte[]>> put) {
    List<byte[]> entries = appended.remove(talkId);
    if (entries == null) {
      return;
    }
    long[] span = span(talkId);
    TalkHistoryKeys.write(talkId, span[1] - entries.size(), entries, put);
    if (oldMeta.remove(talkId)) {
      put.accept(KeyValue.pair(TalkHistoryKeys.meta(talkId), null));
    }
  }

  @Override
  public void replaceHistory(String talkId, PartitionFold.History replacement) {
    writeHistory(talkId);
    // Ids that leave the history (a retracted event) stay seen: they go to the seen-events store.
    Set<String> kept = new HashSet<>();
    IdPrints prints = new IdPrints();
    for (DiplomaticEvent entry : replacement.entries()) {
      if (addEventId(prints, entry.getEventId())) {
        kept.add(entry.getEventId());
        // Every kept id, the correction's among them, which is marked seen after this.
        inHistorySinceCommit.add(seenKey(talkId, entry.getEventId()));
      }
    }
    List<String> before = new ArrayList<>();
    forEachHistoryId(talkId, before::add); // written: nothing is pending
    for (String id : before) {
      if (!kept.contains(id)) {
        storeSeen(talkId, id);
      }
    }
    historyIds.put(talkId, prints);
    repeatedTalks.remove(talkId);
    TalkHistoryKeys.keys(history, talkId).forEach(key -> removed(history, key));
    List<byte[]> entries = new ArrayList<>(replacement.entries().size());
    for (DiplomaticEvent entry : replacement.entries()) {
      entries.add(RecordCodec.events().encode(entry));
    }
    long next = TalkHistoryKeys.write(history, talkId, 0, entries);
    // A meta key an older version wrote would tell the old span to the next reader: gone with the
    // entries, whether or not this ledger has read it.
    oldMeta.remove(talkId);
    removed(history, TalkHistoryKeys.meta(talkId));
    spans.put(talkId, new long[] {0, next});
    if (replacement.base() == null) {
      removed(history, TalkHistoryKeys.base(talkId));
    } else {
      history.put(TalkHistoryKeys.base(talkId), RecordCodec.talks().encode(replacement.base()));
    }
  }

  @Override
  public PartitionFold.History oldestHistory(String talkId, int count) {
    writeHistory(talkId);
    List<DiplomaticEvent> entries = new ArrayList<>(count);
    TalkHistoryKeys.read(
        history,
        talkId,
        span(talkId)[0],
        count,
        (seq, bytes) -> entries.add(decodeEntry(talkId, bytes)));
    byte[] base = history.get(TalkHistoryKeys.base(talkId));
    TalkState baseTalk = base == null ? null : decode(talkId, base, "history store's base");
    return new PartitionFold.History(baseTalk, entries);
  }

  /**
   * Deletes the oldest entries and writes the new base; the entries kept stay under their keys, so
   * a trim writes what leaves, not the two thousand entries that stay.
   */
  @Override
  public void trimHistory(String talkId, int count, TalkState base) {
    writeHistory(talkId);
    long[] span = span(talkId);
    long until = Math.min(span[0] + count, span[1]);
    IdPrints ids = historyIds.get(talkId);
    Set<String> exact = repeatedTalks.get(talkId);
    int removed = 0;
    for (byte[] entry : TalkHistoryKeys.drop(history, talkId, span[0], until)) {
      String id = eventIdOf(talkId, entry);
      if (id.startsWith(Events.TICK_ID_PREFIX)) {
        // A tick's id is seen under the clock's talk, and an event with the ticks' prefix in the
        // seen-events store: neither is in the history's ids.
        continue;
      }
      // An id is in a talk's history once (a repeat is not appended, a correction takes the place
      // of its original), so one that leaves is no longer in it: it stays seen in the store.
      storeSeen(talkId, id);
      if (ids != null && ids.remove(id)) {
        removed++;
      }
      if (exact != null) {
        exact.remove(id);
      }
    }
    historyIds.shrank(removed);
    spans.put(talkId, new long[] {until, span[1]});
    if (base == null) {
      removed(history, TalkHistoryKeys.base(talkId));
    } else {
      history.put(TalkHistoryKeys.base(talkId), RecordCodec.talks().encode(base));
    }
  }

  /**
   * Deletes a key. Not with {@code delete}, which returns the old value and so reads the key from
   * RocksDB before deleting it (wake-ups are removed about once every four events, and that read
   * was a third of their cost): a null put writes the same tombstone without the read.
   */
  private static <V> void removed(KeyValueStore<String, V> store, String key) {
    store.put(key, null);
  }

  private static TalkState decode(String talkId, byte[] bytes, String where) {
    try {
      return RecordCodec.talks().decode(bytes);
    } catch (UndecodableRecord e) {
      throw new IllegalStateException(
          "the " + where + " holds an unreadable state for " + talkId + ": " + e.getMessage());
    }
  }

  private static DiplomaticEvent decodeEntry(String talkId, byte[] bytes) {
    try {
      return RecordCodec.events().decode(bytes);
    } catch (UndecodableRecord e) {
      throw new IllegalStateException(
          "the history store holds an unreadable event of " + talkId, e);
    }
  }

  /**
   * The store's key: the same pair as {@code Events.identity}, but spelled out here because it is a
   * layout on disk and in the changelog, which must not change with anything else.
   */
  private static String seenKey(String talkId, String eventId) {
    return talkId + '\n' + eventId;
  }
}
