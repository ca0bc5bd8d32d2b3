package org.parley.app;

import java.time.Instant;
import java.util.Optional;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.core.InMemoryLedger;
import org.parley.core.PartitionFold;
import org.parley.core.TalkFold;
import org.parley.topology.RawEventFold;

/**
 * A talk as it stood at a past moment, folded from the events topic by the same code as the
 * pipeline. The whole of the talk's partition is folded, not just its events, because the
 * partition's clock (and so when deadlines pass) depends on every record there.
 *
 * <p>"As of T" is the talk as the pipeline held it just before the log's clock first passed T:
 * the fold stops at the first record that would move the clock beyond T. At the time of an
 * event, that is the state the live pipeline published for that event.
 */
final class TimeTravel {

  /** The talk, and how far into the log the fold went. */
  record Found(Optional<TalkState> talk, int partition, long records, Instant clock) {}

  private TimeTravel() {}

  static Found talk(EventLog log, String talkId, Instant asOf, TalkFold fold) {
    int partition = EventLog.partitionOf(talkId, log.partitions());
    long end = log.endOffsets().get(partition);
    InMemoryLedger ledger = new InMemoryLedger();
    RawEventFold raw = new RawEventFold(new PartitionFold(fold, ledger));
    long[] records = {0};
    log.read(partition, end, record -> {
      if (asOf != null) {
        Optional<DiplomaticEvent> next = raw.wouldApply(record.key(), record.value());
        if (next.isPresent() && next.get().getOccurredAt().isAfter(asOf)) {
          return false; // it would move the clock past T
        }
      }
      raw.accept(record.key(), record.value());
      records[0]++;
      return true;
    });
    return new Found(Optional.ofNullable(ledger.talk(talkId)), partition, records[0], ledger.clock());
  }
}
