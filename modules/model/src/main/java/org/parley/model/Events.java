package org.parley.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.parley.avro.ClockTick;
import org.parley.avro.DiplomaticEvent;

/**
 * The event as producers and consumers see it: its type name, and its JSON form with validation.
 */
public final class Events {
  private Events() {}

  /** The payload's record name: TalkAnnounced, DeadlineMoved, ClockTick... */
  public static String type(DiplomaticEvent event) {
    return ((SpecificRecord) event.getPayload()).getSchema().getName();
  }

  /**
   * What makes two events the same: event ids are unique within a talk, so the pair names one
   * event. Ids hold no whitespace, so the newline between them cannot make two pairs collide.
   */
  public static String identity(DiplomaticEvent event) {
    return identity(event.getTalkId(), event.getEventId());
  }

  public static String identity(String talkId, String eventId) {
    return talkId + '\n' + eventId;
  }

  /**
   * How the ids of Parley's clock ticks begin. A talk's history keeps the ticks that moved it
   * beside its events, and the pipeline tells them apart by this prefix, so a tick with another id
   * is refused.
   */
  public static final String TICK_ID_PREFIX = "tick-";

  public static boolean isClockTick(DiplomaticEvent event) {
    return event.getPayload() instanceof ClockTick;
  }

  /** Reads and validates one event in its JSON form; every problem is reported at once. */
  public static DiplomaticEvent fromJson(String json) throws InvalidRecord {
    DiplomaticEvent event = JsonForm.read(json, DiplomaticEvent.class);
    return checked(event);
  }

  /** Validates an event however it arrived; returns it unchanged when it is valid. */
  public static DiplomaticEvent checked(DiplomaticEvent event) throws InvalidRecord {
    return checked(event, List.of());
  }

  /**
   * What every door a producer uses (publish, HTTP, feeds) checks before anything reaches Kafka: a
   * valid event, not a ClockTick (only Parley's ticker moves the clock), no {@code loggedAt}
   * (Parley stamps it when it publishes), and times no further ahead than the tolerance.
   */
  public static DiplomaticEvent fromProducer(
      DiplomaticEvent event, Instant now, Duration futureTolerance) throws InvalidRecord {
    List<Problem> door = new ArrayList<>();
    if (isClockTick(event)) {
      door.add(
          new Problem(
              "type",
              "ClockTick is Parley's own: only its ticker moves the clock, and deadlines"
                  + " pass by themselves while Parley runs; publish the event that happened instead"));
    }
    if (event.getLoggedAt() != null) {
      door.add(
          new Problem(
              "loggedAt", "is stamped by Parley when it publishes the event: leave it out"));
    }
    door.addAll(StoryTime.problems(event, now, futureTolerance));
    return checked(event, door);
  }

  private static DiplomaticEvent checked(DiplomaticEvent event, List<Problem> more)
      throws InvalidRecord {
    List<Problem> problems = new ArrayList<>(EventValidator.problems(event));
    problems.addAll(more);
    int size = RecordCodec.events().encode(event).length;
    if (size > RecordCodec.MAX_EVENT_BYTES) {
      problems.add(
          new Problem(
              "",
              String.format(
                  "the event is %,d bytes encoded, over the limit of %,d bytes",
                  size, RecordCodec.MAX_EVENT_BYTES)));
    }
    if (!problems.isEmpty()) {
      throw new InvalidRecord(problems);
    }
    return event;
  }

  public static String toJson(DiplomaticEvent event) {
    return JsonForm.toJson(event);
  }
}
