package org.parley.topology;

/**
 * Event ids kept as 64-bit fingerprints: eight bytes an id (16 to 32 with the table's free room),
 * where a {@code HashSet} of strings takes about a hundred. So the ids of every busy talk of a task
 * stay in memory: with strings, a task of 33 talks two thousand events deep went past its budget,
 * and each event then read its talk's whole history again to learn its ids (the eleventh round of
 * issue 14 measured a pipeline stalling at 10,000 events/s once its talks were that deep).
 *
 * <p>A fingerprint found says the id may be here: two ids share one with a chance of about one in
 * 2^64, so a caller that must be exact (a duplicate is dropped, a new event never) confirms a find
 * where the ids themselves are. A fingerprint not found says the id is not here. It is a multiset:
 * each id added is one entry, and removing an id takes one entry of its fingerprint, so an id that
 * shares its fingerprint with another stays found when the other leaves.
 */
final class IdPrints implements KeptIds.IdSet {
  private long[] slots = new long[8]; // 0: a free slot (no fingerprint is 0)
  private int size;

  /** How many ids are kept. */
  @Override
  public int size() {
    return size;
  }

  boolean mayContain(String id) {
    long print = of(id);
    int mask = slots.length - 1;
    for (int i = (int) print & mask; slots[i] != 0; i = (i + 1) & mask) {
      if (slots[i] == print) {
        return true;
      }
    }
    return false;
  }

  /** Adds one entry for the id, whether or not it has one already. */
  void add(String id) {
    if ((size + 1) * 2 > slots.length) {
      long[] old = slots;
      slots = new long[old.length * 2];
      for (long print : old) {
        if (print != 0) {
          put(print);
        }
      }
    }
    put(of(id));
    size++;
  }

  /** Takes one entry of the id's fingerprint away; false when there is none. */
  boolean remove(String id) {
    long print = of(id);
    int mask = slots.length - 1;
    int i = (int) print & mask;
    while (slots[i] != print) {
      if (slots[i] == 0) {
        return false;
      }
      i = (i + 1) & mask;
    }
    // Linear probing: move back each later fingerprint of the run that the free slot would cut off
    // from its home.
    int free = i;
    for (int j = (i + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
      int home = (int) slots[j] & mask;
      if (((j - home) & mask) >= ((j - free) & mask)) {
        slots[free] = slots[j];
        free = j;
      }
    }
    slots[free] = 0;
    size--;
    return true;
  }

  private void put(long print) {
    int mask = slots.length - 1;
    int i = (int) print & mask;
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = print;
  }

  /** FNV-1a over the id's characters, then MurmurHash3's finalizer to spread every bit. */
  static long of(String id) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      hash = (hash ^ id.charAt(i)) * 0x100000001b3L;
    }
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return hash == 0 ? 1 : hash;
  }
}
