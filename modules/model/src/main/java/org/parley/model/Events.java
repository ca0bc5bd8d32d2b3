package org.parley.model;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.parley.avro.ClockTick;
import org.parley.avro.DiplomaticEvent;

/** The event as producers and consumers see it: its type name, and its JSON form with validation. */
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
    List<Problem> problems = new ArrayList<>(EventValidator.problems(event));
    int size = RecordCodec.events().encode(event).length;
    if (size > RecordCodec.MAX_EVENT_BYTES) {
      problems.add(new Problem("", String.format("the event is %,d bytes encoded, over the limit of %,d bytes",
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
