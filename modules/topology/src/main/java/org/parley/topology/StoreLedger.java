package org.parley.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.parley.avro.TalkState;
import org.parley.core.PartitionFold;
import org.parley.core.WakeUpKey;

/** The ledger of one partition's fold, kept in the task's state stores (RocksDB, changelogged, exactly-once). */
final class StoreLedger implements PartitionFold.Ledger {
  private static final String CLOCK = "clock";

  private final KeyValueStore<String, TalkState> talks;
  private final KeyValueStore<String, Long> seenEvents;
  private final KeyValueStore<String, String> wakeUps;
  private final KeyValueStore<String, Long> logClock;

  StoreLedger(KeyValueStore<String, TalkState> talks, KeyValueStore<String, Long> seenEvents,
      KeyValueStore<String, String> wakeUps, KeyValueStore<String, Long> logClock) {
    this.talks = talks;
    this.seenEvents = seenEvents;
    this.wakeUps = wakeUps;
    this.logClock = logClock;
  }

  @Override
  public TalkState talk(String talkId) {
    return talks.get(talkId);
  }

  @Override
  public void putTalk(TalkState talk) {
    talks.put(talk.getTalkId(), talk);
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
  public Instant clock() {
    Long millis = logClock.get(CLOCK);
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  @Override
  public void setClock(Instant now) {
    logClock.put(CLOCK, now.toEpochMilli());
  }

  @Override
  public void addWakeUp(Instant at, String talkId) {
    wakeUps.put(WakeUpKey.of(at, talkId), talkId);
  }

  @Override
  public void removeWakeUp(Instant at, String talkId) {
    wakeUps.delete(WakeUpKey.of(at, talkId));
  }

  @Override
  public List<String> dueWakeUps(Instant now) {
    List<String> due = new ArrayList<>();
    // range() includes its upper bound; no key equals the bound, which is a time without a talk id.
    try (KeyValueIterator<String, String> it = wakeUps.range(WakeUpKey.lowest(), WakeUpKey.upperBound(now))) {
      it.forEachRemaining(entry -> due.add(entry.value));
    }
    return due;
  }

  /** Ids hold no whitespace, so a newline cannot make two (talk, event) pairs collide. */
  private static String seenKey(String talkId, String eventId) {
    return talkId + '\n' + eventId;
  }
}
