package org.parley.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The layout of the talk-history store, one place for the fold that writes it and {@link
 * TalkStore}, which reads it.
 *
 * <p>A talk's entries sit under {@code <talkId> NUL <16 hex digits of seq>}, so one range scan
 * reads them in order. Since the eighth round a value holds every entry a talk gained in one commit
 * (a chunk, see {@link #chunk}), keyed by the sequence number of its first: one store write and one
 * changelog record per talk and commit instead of one per event, which was the pipeline's most
 * frequent record. A value written by an older version holds a single entry (an Avro single-object
 * encoding, which starts with {@code C3 01}); both are read alike.
 *
 * <p>{@code <talkId> NUL base} holds the state its oldest entries were folded into. {@code <talkId>
 * NUL meta} held the first and next sequence numbers until the seventh round; the span is now read
 * from the entry keys themselves, and a meta key left by an older version is read once and then
 * deleted. Talk ids hold no control characters, so NUL cannot occur in one, and every entry key of
 * a talk starts with '0' after the NUL (sequence numbers stay below 2^60), apart from its base and
 * meta keys.
 */
public final class TalkHistoryKeys {
  private TalkHistoryKeys() {}

  /** A chunk starts with these two bytes, which no Avro single-object encoding starts with. */
  private static final byte CHUNK_0 = 0x00;

  private static final byte CHUNK_1 = 0x01;

  /**
   * At most this many bytes of entries go into one chunk, so that a talk that gained thousands of
   * events in one commit (a rebuild's long interval) still writes records well under the 8 MB the
   * internal topics allow; a single larger entry gets a chunk of its own.
   */
  static final int CHUNK_BYTES = 512 * 1024;

  static String entry(String talkId, long seq) {
    // 16 lower-case hex digits, as String.format("%016x") writes them, without its parser: a
    // key is made for every talk at every commit.
    char[] key = new char[talkId.length() + 17];
    talkId.getChars(0, talkId.length(), key, 0);
    key[talkId.length()] = '\0';
    for (int i = key.length - 1; i > talkId.length(); i--, seq >>>= 4) {
      key[i] = Character.forDigit((int) (seq & 0xf), 16);
    }
    return new String(key);
  }

  static String base(String talkId) {
    return talkId + "\0base";
  }

  static String meta(String talkId) {
    return talkId + "\0meta";
  }

  /** First and next sequence numbers, from a meta value an older version wrote. */
  static long[] span(byte[] meta) {
    ByteBuffer buffer = ByteBuffer.wrap(meta);
    return new long[] {buffer.getLong(), buffer.getLong()};
  }

  /**
   * A talk's first and next sequence numbers, read from its first and last entry keys ({0, 0} for a
   * talk with no history yet).
   */
  static long[] span(ReadOnlyKeyValueStore<String, byte[]> store, String talkId) {
    long first;
    try (KeyValueIterator<String, byte[]> it = store.range(from(talkId), to(talkId))) {
      if (!it.hasNext()) {
        return new long[] {0, 0};
      }
      first = seq(talkId, it.next().key);
    }
    try (KeyValueIterator<String, byte[]> it = store.reverseRange(from(talkId), to(talkId))) {
      var last = it.next();
      return new long[] {first, seq(talkId, last.key) + checkedCount(last.key, last.value)};
    }
  }

  /**
   * Writes a talk's entries from sequence number {@code seq} on, as few values as {@link
   * #CHUNK_BYTES} allows, and returns the next sequence number.
   */
  static long write(
      KeyValueStore<String, byte[]> store, String talkId, long seq, List<byte[]> entries) {
    return write(talkId, seq, entries, chunk -> store.put(chunk.key, chunk.value));
  }

  /**
   * As {@link #write(KeyValueStore, String, long, List)}, handing each key and value to {@code
   * put}.
   */
  static long write(
      String talkId, long seq, List<byte[]> entries, Consumer<KeyValue<String, byte[]>> put) {
    for (byte[] value : chunks(entries)) {
      put.accept(KeyValue.pair(entry(talkId, seq), value));
      seq += count(value);
    }
    return seq;
  }

  /**
   * The values to write for entries, in order: as few chunks as {@link #CHUNK_BYTES} allows, a
   * chunk that would hold one entry being that entry as it is ({@link #count} says how many entries
   * each holds).
   */
  static List<byte[]> chunks(List<byte[]> entries) {
    List<byte[]> chunks = new ArrayList<>(1);
    int from = 0;
    while (from < entries.size()) {
      int to = from;
      long bytes = 0;
      do {
        bytes += entries.get(to++).length;
      } while (to < entries.size() && bytes + entries.get(to).length <= CHUNK_BYTES);
      chunks.add(to - from == 1 ? entries.get(from) : chunk(entries.subList(from, to)));
      from = to;
    }
    return chunks;
  }

  /** Entries as one value: the two marker bytes, a count, then each entry's length and bytes. */
  static byte[] chunk(List<byte[]> entries) {
    int size = 2 + 4;
    for (byte[] entry : entries) {
      size += 4 + entry.length;
    }
    ByteBuffer chunk = ByteBuffer.allocate(size).put(CHUNK_0).put(CHUNK_1).putInt(entries.size());
    for (byte[] entry : entries) {
      chunk.putInt(entry.length).put(entry);
    }
    return chunk.array();
  }

  /** How many entries a value this class wrote holds. */
  static int count(byte[] value) {
    return isChunk(value) ? ByteBuffer.wrap(value, 2, 4).getInt() : 1;
  }

  /** The entries a stored value holds, checked ({@link #bounds}). */
  private static List<byte[]> entries(String key, byte[] value) {
    if (!isChunk(value)) {
      return List.of(value);
    }
    int[] bounds = bounds(key, value);
    List<byte[]> entries = new ArrayList<>(bounds.length / 2);
    for (int i = 0; i < bounds.length; i += 2) {
      entries.add(Arrays.copyOfRange(value, bounds[i], bounds[i] + bounds[i + 1]));
    }
    return entries;
  }

  /**
   * How many entries a stored value holds, checked as {@link #entries} checks it, without copying
   * them out (a talk's span reads its last value, up to {@link #CHUNK_BYTES}, only for this).
   */
  private static int checkedCount(String key, byte[] value) {
    return isChunk(value) ? bounds(key, value).length / 2 : 1;
  }

  /**
   * Where a chunk's entries are, the offset and length of each in turn, checked: its count and
   * lengths must account for its bytes exactly. A damaged value is an error naming its key, not
   * made-up entries or a span that would have the next write overwrite others.
   */
  private static int[] bounds(String key, byte[] value) {
    ByteBuffer chunk = ByteBuffer.wrap(value, 2, value.length - 2);
    int count = chunk.getInt();
    if (count < 1 || count > chunk.remaining() / 4) {
      throw damaged(key, "a count of " + count);
    }
    int[] bounds = new int[2 * count];
    for (int i = 0; i < count; i++) {
      int length = chunk.remaining() >= 4 ? chunk.getInt() : -1;
      if (length < 0 || length > chunk.remaining()) {
        throw damaged(key, "entry " + i + " of " + count + " runs past the end");
      }
      bounds[2 * i] = chunk.position();
      bounds[2 * i + 1] = length;
      chunk.position(chunk.position() + length);
    }
    if (chunk.hasRemaining()) {
      throw damaged(key, chunk.remaining() + " bytes after the last entry");
    }
    return bounds;
  }

  private static IllegalStateException damaged(String key, String what) {
    return new IllegalStateException(
        "the history store holds a damaged value under " + key.replace('\0', '/') + ": " + what);
  }

  private static boolean isChunk(byte[] value) {
    return value.length >= 6 && value[0] == CHUNK_0 && value[1] == CHUNK_1;
  }

  /** Every entry of a talk, in order: its sequence number and its encoded event. */
  static void read(
      ReadOnlyKeyValueStore<String, byte[]> store, String talkId, BiConsumer<Long, byte[]> entry) {
    read(store, talkId, 0, Integer.MAX_VALUE, entry); // every entry key sorts after seq 0's
  }

  /**
   * A talk's first {@code limit} entries from sequence number {@code first} (its first: keys before
   * it were deleted, and a scan from there skips the tombstones they left), in order.
   */
  static void read(
      ReadOnlyKeyValueStore<String, byte[]> store,
      String talkId,
      long first,
      int limit,
      BiConsumer<Long, byte[]> entry) {
    int read = 0;
    try (KeyValueIterator<String, byte[]> it = store.range(entry(talkId, first), to(talkId))) {
      while (it.hasNext() && read < limit) {
        var next = it.next();
        long seq = seq(talkId, next.key);
        for (byte[] bytes : entries(next.key, next.value)) {
          if (read++ == limit) {
            return;
          }
          entry.accept(seq++, bytes);
        }
      }
    }
  }

  /**
   * Drops a talk's entries from sequence number {@code first} (its first) up to {@code until}: the
   * keys wholly before {@code until} are deleted, and a chunk that straddles it is written again
   * under {@code until} with the entries it keeps. The entries after it keep their keys. Returns
   * the entries dropped, in order.
   */
  static List<byte[]> drop(
      KeyValueStore<String, byte[]> store, String talkId, long first, long until) {
    List<byte[]> dropped = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    List<byte[]> kept = List.of();
    try (KeyValueIterator<String, byte[]> it = store.range(entry(talkId, first), to(talkId))) {
      while (it.hasNext()) {
        var next = it.next();
        long seq = seq(talkId, next.key);
        if (seq >= until) {
          break;
        }
        List<byte[]> entries = entries(next.key, next.value);
        int leaving = (int) Math.min(entries.size(), until - seq);
        dropped.addAll(entries.subList(0, leaving));
        gone.add(next.key);
        if (leaving < entries.size()) {
          kept = entries.subList(leaving, entries.size());
          break;
        }
      }
    }
    // Deleted once the scan is closed: an open iterator is not to be used across writes.
    for (String key : gone) {
      store.put(key, null); // a tombstone, without the read that delete() makes
    }
    write(store, talkId, until, kept);
    return dropped;
  }

  /** The keys of a talk's entries, each the key of a chunk or of a single entry. */
  static List<String> keys(ReadOnlyKeyValueStore<String, byte[]> store, String talkId) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.range(from(talkId), to(talkId))) {
      it.forEachRemaining(next -> keys.add(next.key));
    }
    return keys;
  }

  private static String from(String talkId) {
    return talkId + "\0" + "0";
  }

  private static String to(String talkId) {
    return talkId + "\0" + "1";
  }

  private static long seq(String talkId, String key) {
    return Long.parseLong(key.substring(talkId.length() + 1), 16);
  }
}
