package org.parley.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.parley.avro.DiplomaticEvent;
import org.parley.core.PartitionFold;
import org.parley.core.PartitionFold.Outcome;
import org.parley.model.EventValidator;
import org.parley.model.Events;
import org.parley.model.Problem;
import org.parley.model.RecordCodec;
import org.parley.model.UndecodableRecord;
import org.parley.topology.DeadLetter.Kind;

/**
 * One partition of the events topic, record by record, as bytes: decode, check, then fold with
 * the core. The pipeline's processor and every offline fold (time travel, reference folds in
 * tests) go through here, so a record is refused or applied the same way everywhere.
 */
public final class RawEventFold {

  /** What one record did: an outcome of the core's fold, or why it was refused before reaching it. */
  public sealed interface Result {
    record Folded(DiplomaticEvent event, Outcome outcome) implements Result {}

    record Refused(Kind kind, String reason) implements Result {}
  }

  /** The size of a talk's state as Avro-encoded, in bytes (0 for a talk not seen yet): what {@link TalkLimit} bounds. */
  @FunctionalInterface
  public interface TalkSizes {
    long bytes(String talkId);
  }

  private final PartitionFold partition;
  private final TalkSizes sizes;

  /** A fold that does not check {@link TalkLimit}: only for folds of logs that the pipeline did not see. */
  public RawEventFold(PartitionFold partition) {
    this(partition, talkId -> 0);
  }

  public RawEventFold(PartitionFold partition, TalkSizes sizes) {
    this.partition = partition;
    this.sizes = sizes;
  }

  /**
   * The fold of a partition in memory, checking {@link TalkLimit} as the pipeline does: for time
   * travel and reference folds. A talk's size is measured again only when its state changed.
   */
  public static RawEventFold inMemory(org.parley.core.TalkFold fold, org.parley.core.InMemoryLedger ledger) {
    java.util.Map<String, org.parley.avro.TalkState> measured = new java.util.HashMap<>();
    java.util.Map<String, Long> size = new java.util.HashMap<>();
    return new RawEventFold(new PartitionFold(fold, ledger), talkId -> {
      org.parley.avro.TalkState talk = ledger.talk(talkId);
      if (talk == null) {
        return 0;
      }
      if (measured.get(talkId) != talk) {
        measured.put(talkId, talk);
        size.put(talkId, (long) RecordCodec.talks().encode(talk).length);
      }
      return size.get(talkId);
    });
  }

  public Result accept(byte[] key, byte[] value) {
    Result checked = admit(key, value);
    if (checked instanceof Result.Refused) {
      return checked;
    }
    DiplomaticEvent event = ((Result.Folded) checked).event();
    java.util.Optional<String> full = fullTalk(event, value);
    if (full.isPresent()) {
      return new Result.Refused(Kind.REFUSED, Events.type(event) + " '" + event.getEventId() + "' refused: "
          + full.get());
    }
    Outcome outcome = partition.accept(event);
    if (outcome instanceof Outcome.Refused refused) {
      return new Result.Refused(Kind.REFUSED, Events.type(event) + " '" + event.getEventId() + "' refused: "
          + refused.reason());
    }
    return new Result.Folded(event, outcome);
  }

  /**
   * The event in a record, if the record would change this partition's fold; empty when it would
   * be refused or ignored. Changes nothing: time travel uses it to stop just before the clock passes a time.
   */
  public java.util.Optional<DiplomaticEvent> wouldApply(byte[] key, byte[] value) {
    Result checked = admit(key, value);
    if (checked instanceof Result.Folded folded && partition.wouldApply(folded.event())
        && fullTalk(folded.event(), value).isEmpty()) {
      return java.util.Optional.of(folded.event());
    }
    return java.util.Optional.empty();
  }

  /** Whether the event would take its talk's state past {@link TalkLimit}; a clock tick never does. */
  private java.util.Optional<String> fullTalk(DiplomaticEvent event, byte[] value) {
    if (Events.isClockTick(event)) {
      return java.util.Optional.empty();
    }
    long talk = sizes.bytes(event.getTalkId());
    if (talk == 0) {
      return java.util.Optional.empty(); // a new talk: one event cannot fill it
    }
    return TalkLimit.refusal(event.getTalkId(), talk, value.length);
  }

  /** Decoding and the checks that need no state: a Folded with no outcome yet, or why not. */
  private Result admit(byte[] key, byte[] value) {
    DiplomaticEvent event;
    try {
      event = RecordCodec.events().decode(value);
    } catch (UndecodableRecord e) {
      return new Result.Refused(Kind.UNDECODABLE, e.getMessage());
    }
    List<Problem> problems = EventValidator.problems(event);
    if (!problems.isEmpty()) {
      return new Result.Refused(Kind.INVALID, "event '" + event.getEventId() + "' is invalid: "
          + String.join("; ", problems.stream().map(Problem::toString).toList()));
    }
    if (!Events.isClockTick(event)) {
      String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
      if (!event.getTalkId().equals(keyText)) {
        return new Result.Refused(Kind.MISROUTED, String.format("event '%s' of talk '%s' was keyed %s; events must"
            + " be keyed by their talk id, or a talk's events can land on different partitions and lose their order",
            DeadLetter.excerpt(event.getEventId()), DeadLetter.excerpt(event.getTalkId()),
            keyText == null ? "with no key" : "'" + DeadLetter.excerpt(keyText) + "'"));
      }
    }
    return new Result.Folded(event, null);
  }
}
