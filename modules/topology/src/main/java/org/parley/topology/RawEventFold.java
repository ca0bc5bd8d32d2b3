package org.parley.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.avro.Alert;
import org.parley.avro.ClockTick;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.core.PartitionFold;
import org.parley.core.PartitionFold.Outcome;
import org.parley.model.ClockSeal;
import org.parley.model.EventValidator;
import org.parley.model.Events;
import org.parley.model.Problem;
import org.parley.model.RecordCodec;
import org.parley.model.StoryTime;
import org.parley.model.UndecodableRecord;
import org.parley.topology.DeadLetter.Kind;

/**
 * One partition of the events topic, record by record, as bytes: decode, check, then fold with the
 * core. The pipeline's processor and every offline fold (time travel, reference folds in tests) go
 * through here, so a record is refused or applied the same way everywhere.
 *
 * <p>The checks here need no talk state: the record is a Parley event, valid, keyed by its talk,
 * dated no further ahead than the future tolerance allows, and, if it is a ClockTick, sealed by
 * Parley's ticker. Everything they read is in the record (its bytes and its timestamp), never the
 * wall clock, so a replay refuses exactly what the live pipeline refused.
 */
public final class RawEventFold {

  /** What one record did. */
  public sealed interface Result {
    /**
     * The event applied: the talks it changed (each once, in order of change) and the alerts it
     * raised, in order.
     */
    record Applied(DiplomaticEvent event, List<TalkState> talks, List<Alert> alerts)
        implements Result {}

    /** An event already applied to its talk: ignored. */
    record Duplicate(DiplomaticEvent event) implements Result {}

    /** Refused, for the dead-letter topic: what kind of problem, and the reason, for a person. */
    record DeadLettered(Kind kind, String reason) implements Result {}
  }

  /** The rules a record is checked against, which a replay must share with the live pipeline. */
  public record Rules(ClockSeal clockSeal, Duration futureTolerance) {}

  /**
   * What the keeper of a fold's state knows in bytes: the size of a talk's state as Avro-encoded (0
   * for a talk not seen yet), which {@link TalkLimit} bounds, and, for a keeper that wants them,
   * each event with the bytes it was read from.
   */
  public interface TalkBytes {
    long stateBytes(String talkId);

    /**
     * An event of {@code eventBytes} was applied to the talk (for sizes kept as bounds between
     * measures).
     */
    default void grew(String talkId, long eventBytes) {}

    /** The event about to be folded, and the record value it was decoded from. */
    default void read(DiplomaticEvent event, byte[] value) {}
  }

  private final PartitionFold partition;
  private final Rules rules;
  private final TalkBytes sizes;

  /**
   * A fold that does not check {@link TalkLimit}: only for folds of logs that the pipeline did not
   * see.
   */
  public RawEventFold(PartitionFold partition, Rules rules) {
    this(partition, rules, talkId -> 0);
  }

  public RawEventFold(PartitionFold partition, Rules rules, TalkBytes sizes) {
    this.partition = partition;
    this.rules = rules;
    this.sizes = sizes;
  }

  /**
   * The fold of a partition in memory, checking {@link TalkLimit} as the pipeline does: for time
   * travel and reference folds. A talk's size is measured again only when its state changed.
   */
  public static RawEventFold inMemory(
      org.parley.core.TalkFold fold, org.parley.core.InMemoryLedger ledger, Rules rules) {
    java.util.Map<String, org.parley.avro.TalkState> measured = new java.util.HashMap<>();
    java.util.Map<String, Long> size = new java.util.HashMap<>();
    return new RawEventFold(
        new PartitionFold(fold, ledger),
        rules,
        talkId -> {
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

  /**
   * Folds one record.
   *
   * @param timestamp the record's timestamp (ms): when it reached the log, for events that do not
   *     say
   */
  public Result accept(byte[] key, byte[] value, long timestamp) {
    Admission admission = admit(key, value, timestamp);
    if (admission.refusal() != null) {
      return admission.refusal();
    }
    DiplomaticEvent event = admission.event();
    sizes.read(event, value);
    Optional<String> full = fullTalk(event, value);
    if (full.isPresent()) {
      return refused(event, full.get());
    }
    Outcome outcome = partition.accept(event, heardAt(event, timestamp));
    if (outcome instanceof Outcome.Applied applied) {
      if (!Events.isClockTick(event)) {
        sizes.grew(event.getTalkId(), value.length);
      }
      return new Result.Applied(event, applied.talks(), applied.alerts());
    }
    if (outcome instanceof Outcome.Refused refused) {
      return refused(event, refused.reason());
    }
    return new Result.Duplicate(event);
  }

  private static Result.DeadLettered refused(DiplomaticEvent event, String reason) {
    return new Result.DeadLettered(
        Kind.REFUSED, Events.type(event) + " '" + event.getEventId() + "' refused: " + reason);
  }

  /**
   * The event in a record if it passes the checks that need no state: for readers that pick records
   * before folding.
   */
  public Optional<DiplomaticEvent> admitted(byte[] key, byte[] value, long timestamp) {
    return Optional.ofNullable(admit(key, value, timestamp).event());
  }

  /**
   * When the event reached the log: its {@code loggedAt}, stamped by Parley's publisher, or else
   * the record's timestamp.
   */
  public static Instant heardAt(DiplomaticEvent event, long timestamp) {
    return event.getLoggedAt() != null ? event.getLoggedAt() : Instant.ofEpochMilli(timestamp);
  }

  /**
   * Whether the event would take its talk's state past {@link TalkLimit}; a clock tick never does.
   */
  private Optional<String> fullTalk(DiplomaticEvent event, byte[] value) {
    if (Events.isClockTick(event)) {
      return Optional.empty();
    }
    long talk = sizes.stateBytes(event.getTalkId());
    if (talk == 0) {
      return Optional.empty(); // a new talk: one event cannot fill it
    }
    return TalkLimit.refusal(event.getTalkId(), talk, value.length);
  }

  /**
   * A record decoded and checked without state: its event, or why it is refused (one of the two is
   * null).
   */
  private record Admission(DiplomaticEvent event, Result.DeadLettered refusal) {
    static Admission refused(Kind kind, String reason) {
      return new Admission(null, new Result.DeadLettered(kind, reason));
    }
  }

  /** Decoding and the checks that need no state. */
  private Admission admit(byte[] key, byte[] value, long timestamp) {
    DiplomaticEvent event;
    try {
      event = RecordCodec.events().decode(value);
    } catch (UndecodableRecord e) {
      return Admission.refused(Kind.UNDECODABLE, e.getMessage());
    }
    List<Problem> problems = new ArrayList<>(EventValidator.problems(event));
    Instant recordTime = Instant.ofEpochMilli(timestamp);
    if (event.getLoggedAt() != null
        && event.getLoggedAt().isAfter(recordTime.plus(rules.futureTolerance()))) {
      problems.add(
          new Problem(
              "loggedAt",
              event.getLoggedAt()
                  + " is after the record's own timestamp ("
                  + recordTime
                  + ") by more than the future tolerance"));
    }
    problems.addAll(StoryTime.problems(event, heardAt(event, timestamp), rules.futureTolerance()));
    if (!problems.isEmpty()) {
      return Admission.refused(
          Kind.INVALID,
          "event '"
              + event.getEventId()
              + "' is invalid: "
              + String.join("; ", problems.stream().map(Problem::toString).toList()));
    }
    if (event.getPayload() instanceof ClockTick) {
      if (!rules.clockSeal().verifies(event)) {
        return Admission.refused(
            Kind.FORGED_TICK,
            "ClockTick '"
                + event.getEventId()
                + "' does not carry the seal"
                + " of Parley's ticker: only the ticker may move the clock (producers publish what happened, and"
                + " deadlines pass by themselves)");
      }
      if (!event.getEventId().startsWith(Events.TICK_ID_PREFIX)) {
        return Admission.refused(
            Kind.INVALID,
            "ClockTick '"
                + DeadLetter.excerpt(event.getEventId())
                + "' is invalid: eventId: a tick's id starts with '"
                + Events.TICK_ID_PREFIX
                + "' (a talk's history keeps ticks beside events and tells them apart by it)");
      }
      return new Admission(event, null);
    }
    String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
    if (!event.getTalkId().equals(keyText)) {
      return Admission.refused(
          Kind.MISROUTED,
          String.format(
              "event '%s' of talk '%s' was keyed %s; events must"
                  + " be keyed by their talk id, or a talk's events can land on different partitions and lose their order",
              DeadLetter.excerpt(event.getEventId()),
              DeadLetter.excerpt(event.getTalkId()),
              keyText == null ? "with no key" : "'" + DeadLetter.excerpt(keyText) + "'"));
    }
    return new Admission(event, null);
  }
}
