package org.parley.topology;

import java.util.LinkedHashMap;
import java.util.function.Predicate;

/**
 * Sets of event ids ({@link IdPrints}, {@link IdFilter}) kept per talk for the talks used lately,
 * within a bound on the ids and the talks kept: the least recently used talk's set goes first. The
 * sets are the caller's; it says when it adds to one or takes from it, so that the count stays
 * true.
 *
 * <p>A caller that can answer without a set (by asking a store) may give a stand-in: a large set
 * that must go to keep the ids within their bound is then replaced by it rather than dropped. A
 * dropped set is read again, whole, the next time its talk is asked about, and with more busy talks
 * in a task than the bound holds, each read dropped another busy talk's set: every event then read
 * thousands of keys (issue 14's twenty-first round: the pipeline fell behind for good after 90 s at
 * 10,000 events/s).
 */
final class KeptIds<S extends KeptIds.IdSet> {
  /** A set of ids, as far as keeping it goes: how many it holds. */
  interface IdSet {
    int size();
  }

  private final LinkedHashMap<String, S> byTalk = new LinkedHashMap<>(256, 0.75f, true);
  private final long maxIds;
  private final int maxTalks;
  private final S standIn;
  private final int standInFrom;
  private final Predicate<String> onStandIn;
  private long ids;

  KeptIds(long maxIds, int maxTalks) {
    this(maxIds, maxTalks, null, Integer.MAX_VALUE, talkId -> true);
  }

  /**
   * Sets of {@code standInFrom} ids or more are replaced by {@code standIn}, which holds none and
   * is never added to, when the ids are over their bound. {@code onStandIn} is asked first, with
   * the talk's id, to make the answers the set gave available elsewhere; when it cannot (false),
   * the set is dropped instead, as any set may be: it is read again when its talk is next asked
   * about. It must not use this object.
   */
  KeptIds(long maxIds, int maxTalks, S standIn, int standInFrom, Predicate<String> onStandIn) {
    this.maxIds = maxIds;
    this.maxTalks = maxTalks;
    this.standIn = standIn;
    this.standInFrom = standInFrom;
    this.onStandIn = onStandIn;
  }

  /** The talk's set, or null when none is kept. */
  S get(String talkId) {
    return byTalk.get(talkId);
  }

  /** Keeps a talk's set in place of any other, and makes room by dropping the eldest. */
  void put(String talkId, S set) {
    S old = byTalk.put(talkId, set);
    ids += set.size() - (old == null ? 0 : old.size());
    trim(talkId);
  }

  /** The caller added {@code count} ids to the set it keeps for the talk. */
  void grew(String talkId, int count) {
    ids += count;
    trim(talkId);
  }

  /** The caller took {@code count} ids out of the set it keeps for the talk. */
  void shrank(int count) {
    ids -= count;
  }

  void clear() {
    byTalk.clear();
    ids = 0;
  }

  private void trim(String keep) {
    var eldest = byTalk.entrySet().iterator();
    while ((ids > maxIds || byTalk.size() > maxTalks) && eldest.hasNext()) {
      var next = eldest.next();
      if (next.getKey().equals(keep)) {
        continue;
      }
      boolean tooManyTalks = byTalk.size() > maxTalks;
      if (next.getValue() == standIn && !tooManyTalks) {
        continue; // holds no ids: it goes only to make room among the talks
      }
      ids -= next.getValue().size();
      if (!tooManyTalks && next.getValue().size() >= standInFrom && onStandIn.test(next.getKey())) {
        next.setValue(standIn); // holds no ids; the talk's place among the talks stays
      } else {
        eldest.remove();
      }
    }
  }
}
