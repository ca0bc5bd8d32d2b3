package org.parley.app.replay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.parley.app.runtime.ClockTicker;
import org.parley.avro.Alert;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.core.InMemoryLedger;
import org.parley.core.TalkFold;
import org.parley.model.Events;
import org.parley.topology.RawEventFold;

/**
 * A talk as it stood at a moment of its own story, folded from the events topic by the same code as
 * the pipeline. A talk's time is its own, so only its own events and the clock ticks matter: the
 * rest of its partition is read past without being decoded.
 *
 * <p>"As of T" is the talk after its events up to the first one dated after T, with the ticks of T
 * or earlier, and time then passed up to T: a deadline due before T shows as missed even when the
 * live pipeline noticed only later (a backfill, a quiet talk). Ticks dated after T are read past,
 * not stopped at, so a talk whose history was published after a tick of today still answers in its
 * own story time. At the time of an event, that is the state the live pipeline published for it.
 */
public final class TimeTravel {

  /**
   * The talk, how far into the log the fold went, and its history with the alerts it raised (for
   * its timeline).
   */
  public record Found(
      Optional<TalkState> talk,
      int partition,
      long records,
      List<DiplomaticEvent> history,
      List<Alert> alerts) {}

  private TimeTravel() {}

  public static Found talk(
      EventLog log, String talkId, Instant asOf, TalkFold fold, RawEventFold.Rules rules) {
    int partition = log.partitionOf(talkId);
    long end = log.endOffsets().get(partition);
    InMemoryLedger ledger = new InMemoryLedger();
    RawEventFold raw =
        RawEventFold.inMemory(fold, ledger, rules); // the talk-size limit too, as the pipeline

    byte[] ours = talkId.getBytes(StandardCharsets.UTF_8);
    byte[] ticker = ClockTicker.KEY.getBytes(StandardCharsets.UTF_8);
    long[] records = {0};
    List<Alert> alerts = new ArrayList<>();
    log.read(
        partition,
        end,
        record -> {
          if (!Arrays.equals(record.key(), ours) && !Arrays.equals(record.key(), ticker)) {
            return true; // another talk's event: it cannot change this talk
          }
          if (asOf != null) {
            Optional<DiplomaticEvent> next =
                raw.admitted(record.key(), record.value(), record.timestamp());
            if (next.isPresent() && next.get().getOccurredAt().isAfter(asOf)) {
              return Events.isClockTick(
                  next.get()); // a later tick is read past; the talk's own later event ends it
            }
          }
          if (raw.accept(record.key(), record.value(), record.timestamp())
              instanceof RawEventFold.Result.Applied applied) {
            applied.alerts().stream()
                .filter(a -> a.getTalkId().equals(talkId))
                .forEach(alerts::add);
          }
          records[0]++;
          return true;
        });
    TalkState talk = ledger.talk(talkId);
    if (talk != null && asOf != null) {
      talk = fold.clock().passTime(talk, asOf);
    }
    return new Found(
        Optional.ofNullable(talk), partition, records[0], ledger.history(talkId).entries(), alerts);
  }
}
