package org.parley.topology;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The layout of the talk-history store, one place for the fold that writes it and {@link
 * TalkStore}, which reads it. A talk's entries sit under {@code <talkId> NUL <16 hex digits of
 * seq>}, so one range scan reads them in order; {@code <talkId> NUL base} holds the state its
 * oldest entries were folded into, and {@code <talkId> NUL meta} the first and next sequence
 * numbers. Talk ids hold no control characters, so NUL cannot occur in one, and every entry key of
 * a talk starts with '0' after the NUL (sequence numbers stay below 2^60), apart from its base and
 * meta keys.
 */
public final class TalkHistoryKeys {
  private TalkHistoryKeys() {}

  static String entry(String talkId, long seq) {
    return talkId + '\0' + String.format("%016x", seq);
  }

  static String base(String talkId) {
    return talkId + "\0base";
  }

  static String meta(String talkId) {
    return talkId + "\0meta";
  }

  /** First and next sequence numbers, from a meta value (null: a talk with no history yet). */
  static long[] span(byte[] meta) {
    if (meta == null) {
      return new long[] {0, 0};
    }
    ByteBuffer buffer = ByteBuffer.wrap(meta);
    return new long[] {buffer.getLong(), buffer.getLong()};
  }

  static byte[] span(long first, long next) {
    return ByteBuffer.allocate(16).putLong(first).putLong(next).array();
  }

  /** Every entry of a talk, in order: its sequence number and its encoded event. */
  static void read(
      ReadOnlyKeyValueStore<String, byte[]> store, String talkId, BiConsumer<Long, byte[]> entry) {
    try (KeyValueIterator<String, byte[]> it =
        store.range(talkId + "\0" + "0", talkId + "\0" + "1")) {
      while (it.hasNext()) {
        var next = it.next();
        entry.accept(Long.parseLong(next.key.substring(talkId.length() + 1), 16), next.value);
      }
    }
  }
}
