package org.parley.topology;

import java.util.Arrays;

/**
 * Event ids as a Bloom filter, four to eight bytes an id where {@link IdPrints} takes 16 to 32, for
 * ids that are only ever added: those in the seen-events store, where an id stays seen. A find says
 * the id may be here (wrongly for about one id in two thousand a filter, each a store lookup that
 * finds nothing); no find says it is not. So a talk with tens of thousands of ids in that store
 * answers a new event from memory, where past 4,096 ids every event was a store lookup: a fifth of
 * the stream thread after two minutes at 10,000 events/s (issue 14, the twenty-second round).
 *
 * <p>A Bloom filter cannot grow without its ids, so it is a chain of filters: when the last is
 * full, another as large as all before it is added, and a lookup asks each (a word of each: ten
 * filters for a talk grown to 30,000 ids). In each filter an id sets up to five bits of one 64-bit
 * word, one cache line read rather than five.
 */
final class IdFilter implements KeptIds.IdSet {
  /**
   * Ids a word holds when its filter is full: 32 bits an id, 0.05 % found wrongly then (with 16
   * bits an id and four set, 0.5 %, so 5 % for a talk's chain of ten filters).
   */
  private static final int IDS_A_WORD = 2;

  private long[][] filters;
  private int lastFull; // ids the last filter holds when full
  private int inLast;
  private int size;

  /** Room for {@code expected} ids in the first filter, at least 64. */
  IdFilter(int expected) {
    int words = Integer.highestOneBit(Math.max(64, expected) / IDS_A_WORD * 2 - 1);
    filters = new long[][] {new long[words]};
    lastFull = words * IDS_A_WORD;
  }

  @Override
  public int size() {
    return size;
  }

  boolean mayContain(String id) {
    long print = IdPrints.of(id);
    long bits = bits(print);
    for (long[] filter : filters) {
      if ((filter[index(print, filter)] & bits) == bits) {
        return true;
      }
    }
    return false;
  }

  void add(String id) {
    add(IdPrints.of(id));
  }

  /** Adds the id of this fingerprint ({@link IdPrints#of}). */
  void add(long print) {
    if (inLast == lastFull) {
      int words = 0;
      for (long[] filter : filters) {
        words += filter.length; // w, w, 2w, 4w...: a power of two again
      }
      filters = Arrays.copyOf(filters, filters.length + 1);
      filters[filters.length - 1] = new long[words];
      lastFull = words * IDS_A_WORD;
      inLast = 0;
    }
    long[] last = filters[filters.length - 1];
    last[index(print, last)] |= bits(print);
    inLast++;
    size++;
  }

  /** The word, from the print's high bits: the bits within it come from its low ones. */
  private static int index(long print, long[] filter) {
    return (int) (print >>> 32) & (filter.length - 1);
  }

  private static long bits(long print) {
    return 1L << (print & 63)
        | 1L << ((print >>> 6) & 63)
        | 1L << ((print >>> 12) & 63)
        | 1L << ((print >>> 18) & 63)
        | 1L << ((print >>> 24) & 63);
  }
}
