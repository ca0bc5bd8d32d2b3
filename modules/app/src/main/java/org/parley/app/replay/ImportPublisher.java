package org.parley.app.replay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.parley.avro.DiplomaticEvent;
import org.parley.ingest.EventPublisher;
import org.parley.model.Events;
import org.parley.model.RecordCodec;
import org.parley.model.UndecodableRecord;

/**
 * How an import reaches the events topic (`import`, `import-feed`): an event already on the topic,
 * or offered earlier in the same import, is skipped, and the rest go out in transactions of 1,000.
 * So importing a file twice adds nothing, and an interrupted import is finished by running it
 * again.
 */
public final class ImportPublisher {
  private static final int BATCH = 1_000;

  private final EventPublisher publisher;
  private final Set<String> present;
  private final List<DiplomaticEvent> batch = new ArrayList<>(BATCH);
  private long published;
  private long alreadyPresent;

  /** Reads every event identity on the topic first: what is there decides what is new. */
  public ImportPublisher(EventLog target, EventPublisher publisher) {
    this(target, publisher, null);
  }

  /**
   * Reads only the given partitions (null: all): enough when every event offered is keyed to one of
   * them.
   */
  public ImportPublisher(EventLog target, EventPublisher publisher, Set<Integer> partitions) {
    this.publisher = publisher;
    this.present = identities(target, partitions);
  }

  public void offer(DiplomaticEvent event) {
    if (!present.add(Events.identity(event))) {
      alreadyPresent++;
      return;
    }
    batch.add(event);
    if (batch.size() == BATCH) {
      flush();
    }
  }

  /**
   * Publishes what is waiting; call it at the end (an import stopped early leaves the rest for its
   * rerun).
   */
  public void flush() {
    if (!batch.isEmpty()) {
      published += publisher.publish(batch);
      batch.clear();
    }
  }

  public long published() {
    return published;
  }

  public long alreadyPresent() {
    return alreadyPresent;
  }

  private static Set<String> identities(EventLog target, Set<Integer> partitions) {
    Set<String> ids = new HashSet<>();
    Map<Integer, Long> end = target.endOffsets();
    for (var partition : end.entrySet()) {
      if (partitions != null && !partitions.contains(partition.getKey())) {
        continue;
      }
      target.read(
          partition.getKey(),
          partition.getValue(),
          record -> {
            try {
              ids.add(Events.identity(RecordCodec.events().decode(record.value())));
            } catch (UndecodableRecord e) {
              // not an event; it cannot collide with one
            }
            return true;
          });
    }
    return ids;
  }
}
