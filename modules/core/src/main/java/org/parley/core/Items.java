package org.parley.core;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import org.parley.avro.Agreement;
import org.parley.avro.Commitment;
import org.parley.avro.Deadline;
import org.parley.avro.StickingPoint;

/**
 * A talk's commitments, deadlines, agreements or sticking points as the fold makes them: the items,
 * and beside them, in one array, the hash of each item's id. A list that cannot be changed: the
 * fold replaces a talk's lists, never changes them ({@link Copies}).
 *
 * <p>Why: an event names an item by id, and most events name one the talk has not got yet (a new
 * commitment, deadline or sticking point), which the fold must look for before it adds it. In a
 * plain list that reads every item and every item's id, two objects apart in memory each; here it
 * reads one array of hashes, and an item only when its hash is the one. (Until the eighteenth round
 * of issue 14, those reads were 6 % of a profile of the fold of a partition of 200 talks; 3 %
 * since.)
 *
 * <p>A talk read from a store or a topic has Avro's lists; the fold's first change to one makes it
 * an {@code Items}, and lookups in any other list scan it as before.
 */
final class Items<T> extends AbstractList<T> implements RandomAccess {
  private static final Items<Object> EMPTY = new Items<>(new Object[0], new int[0]);

  private final Object[] items;

  /** The hash of each item's id, at its index: shared by lists whose ids are the same. */
  private final int[] idHashes;

  private Items(Object[] items, int[] idHashes) {
    this.items = items;
    this.idHashes = idHashes;
  }

  @SuppressWarnings("unchecked")
  static <T> List<T> empty() {
    return (List<T>) EMPTY;
  }

  /** A new list: {@code list} with {@code item} added at the end. */
  static <T> List<T> plus(List<T> list, T item) {
    int size = list.size();
    Object[] items = arrayOf(list, size + 1);
    items[size] = item;
    int[] hashes = Arrays.copyOf(hashesOf(list), size + 1);
    hashes[size] = idOf(item).hashCode();
    return new Items<>(items, hashes);
  }

  /**
   * A new list: {@code list} with {@code item} at {@code index} in place of the item there, whose
   * id it has (an edit never changes an item's id).
   */
  static <T> List<T> with(List<T> list, int index, T item) {
    int[] hashes = hashesOf(list);
    // Checked in production too, by the hash the list keeps (the copy's id is the very string of
    // the item it replaces, its hash already worked out): alerts match items of lists that share
    // these hashes by place alone ({@link #sameIdsKnown}).
    if (idOf(item).hashCode() != hashes[index]) {
      throw new IllegalArgumentException("an edit changed the id of item " + index);
    }
    assert idOf(item).equals(idOf(list.get(index))) : "an edit changed an item's id";
    Object[] items = arrayOf(list, list.size());
    items[index] = item;
    return new Items<>(items, hashes);
  }

  /**
   * A new list of {@code items}, each with the id of the item at its index in {@code list}: the
   * same ids, some items replaced.
   */
  static <T> List<T> sameIds(List<T> list, Object[] items) {
    assert items.length == list.size() : "not the same items";
    return new Items<>(items, hashesOf(list));
  }

  /**
   * The index of the item with this id in a talk's list, or -1. In an {@code Items}, by the ids'
   * hashes; in a list as Avro read it, before the fold's first change to it, by a scan (an id kept
   * in a talk has its hash cached, and comparing it first passes over most items without reading
   * their characters). Not {@code indexOf}, which a list has already: the index of an equal item.
   */
  static int indexOfId(List<?> list, String id) {
    int hash = id.hashCode();
    if (list instanceof Items<?> known) {
      int[] hashes = known.idHashes;
      for (int i = 0; i < hashes.length; i++) {
        if (hashes[i] == hash && idOf(known.items[i]).equals(id)) {
          return i;
        }
      }
      return -1;
    }
    for (int i = 0; i < list.size(); i++) {
      String itemId = idOf(list.get(i));
      if (itemId.hashCode() == hash && itemId.equals(id)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Whether the items at each index of the two lists have the same id, known without reading
   * either: true when both lists share their ids' hashes. An array of hashes is made with the list
   * that first has those ids ({@link #plus}, or a list Avro read), and only {@link #with} and
   * {@link #sameIds} share it, each keeping every item's id: so every list that shares an array has
   * the ids of the list it was made with (lists made apart from one list, as a correction's refold
   * and the talk it replaces, too). False means not known: the ids are to be compared.
   */
  static boolean sameIdsKnown(List<?> a, List<?> b) {
    return a instanceof Items<?> x && b instanceof Items<?> y && x.idHashes == y.idHashes;
  }

  /** Whether the fold made this list, rather than Avro when it read a talk from a store. */
  static boolean madeByTheFold(List<?> list) {
    return list instanceof Items;
  }

  /**
   * How many items at the start of {@code after} are the very objects at the same places in {@code
   * before}: what an event left untouched at the head of a list (copy-on-write). An event changes
   * an item or two of a talk's list, or adds one at the end; what looks at its changes starts past
   * these, instead of comparing every item the talk has (in an {@code Items}, the two arrays are
   * compared without a call per item).
   */
  static int sharedPrefix(List<?> before, List<?> after) {
    int n = Math.min(before.size(), after.size());
    int i = 0;
    if (before instanceof Items<?> was && after instanceof Items<?> now) {
      Object[] a = was.items;
      Object[] b = now.items;
      while (i < n && a[i] == b[i]) {
        i++;
      }
      return i;
    }
    while (i < n && before.get(i) == after.get(i)) {
      i++;
    }
    return i;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T get(int index) {
    return (T) items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  @Override
  public Object[] toArray() {
    return items.clone();
  }

  /** The list's items in a new array of {@code length} (at least its size). */
  private static Object[] arrayOf(List<?> list, int length) {
    return Arrays.copyOf(list instanceof Items<?> known ? known.items : list.toArray(), length);
  }

  /** The list's hashes: its own when it is an {@code Items} (never changed, so shared). */
  private static int[] hashesOf(List<?> list) {
    if (list instanceof Items<?> known) {
      return known.idHashes;
    }
    int[] hashes = new int[list.size()];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = idOf(list.get(i)).hashCode();
    }
    return hashes;
  }

  private static String idOf(Object item) {
    if (item instanceof Commitment commitment) {
      return commitment.getCommitmentId();
    }
    if (item instanceof Deadline deadline) {
      return deadline.getDeadlineId();
    }
    if (item instanceof Agreement agreement) {
      return agreement.getAgreementId();
    }
    if (item instanceof StickingPoint point) {
      return point.getStickingPointId();
    }
    throw new IllegalArgumentException("not an item of a talk: " + item.getClass().getName());
  }
}
