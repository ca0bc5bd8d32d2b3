package org.parley.topology;

import java.util.LinkedHashMap;

/**
 * Sets of event ids ({@link IdPrints}) kept per talk for the talks used lately, within a bound on
 * the ids and the talks kept: the least recently used talk's set goes first. The sets are the
 * caller's; it says when it adds to one or takes from it, so that the count stays true.
 */
final class KeptIds {
  private final LinkedHashMap<String, IdPrints> byTalk = new LinkedHashMap<>(256, 0.75f, true);
  private final long maxIds;
  private final int maxTalks;
  private long ids;

  KeptIds(long maxIds, int maxTalks) {
    this.maxIds = maxIds;
    this.maxTalks = maxTalks;
  }

  /** The talk's set, or null when none is kept. */
  IdPrints get(String talkId) {
    return byTalk.get(talkId);
  }

  /** Keeps a talk's set in place of any other, and makes room by dropping the eldest. */
  void put(String talkId, IdPrints set) {
    IdPrints old = byTalk.put(talkId, set);
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
      if (!next.getKey().equals(keep)) {
        ids -= next.getValue().size();
        eldest.remove();
      }
    }
  }
}
