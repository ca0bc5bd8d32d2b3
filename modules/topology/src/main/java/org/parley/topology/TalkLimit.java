package org.parley.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.avro.DiplomaticEvent;
import org.parley.model.Events;
import org.parley.model.RecordCodec;

/**
 * The bound on one talk's state. A changed talk is published whole to the state topic, and a record
 * the pipeline's transactional producer cannot write (over its 8 MiB request size) aborts the
 * transaction: Kafka Streams would process the same event again and fail again, forever. So a
 * talk's state stays well under that: an event is refused when the talk's state (Avro-encoded) plus
 * the event would pass {@link #MAX_STATE_BYTES}. An event is at most {@link
 * RecordCodec#MAX_EVENT_BYTES}, and a state grows by about what its event carries, so a state never
 * comes near the 8 MiB a record may have.
 *
 * <p>The pipeline checks it for every event (and refuses with a dead letter); {@code publish} and
 * the HTTP door check it before publishing, as far as they can see the talk.
 */
public final class TalkLimit {

  /** A talk's state, Avro-encoded, is at most this many bytes (4 MiB). */
  public static final int MAX_STATE_BYTES = 4 * 1024 * 1024;

  private TalkLimit() {}

  /**
   * Why an event of {@code eventBytes} may not join a talk whose state is {@code stateBytes}; empty
   * when it may.
   */
  public static Optional<String> refusal(String talkId, long stateBytes, long eventBytes) {
    if (stateBytes + eventBytes <= MAX_STATE_BYTES) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            "talk '%s' is full: its state is %,d bytes and this event (%,d bytes) would take it"
                + " past the limit of %,d bytes for one talk's state; record further events under a new talk",
            DeadLetter.excerpt(talkId), stateBytes, eventBytes, MAX_STATE_BYTES));
  }

  /**
   * What a batch of events would add to each of its talks, over the limit: one message per talk
   * that the batch alone would fill, naming the first event (by index in the batch) that passes the
   * limit. {@code stateBytes} gives what the talk holds already (0 when unknown or new).
   */
  public record Overflow(int index, String eventId, String message) {}

  public static List<Overflow> batchProblems(
      List<DiplomaticEvent> events, java.util.function.ToLongFunction<String> stateBytes) {
    Map<String, Long> total = new LinkedHashMap<>();
    Map<String, Boolean> reported = new LinkedHashMap<>();
    List<Overflow> problems = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      DiplomaticEvent event = events.get(i);
      if (Events.isClockTick(event)) {
        continue;
      }
      String talk = event.getTalkId();
      long before = total.computeIfAbsent(talk, stateBytes::applyAsLong);
      long size = RecordCodec.events().encode(event).length;
      Optional<String> refusal = refusal(talk, before, size);
      if (refusal.isPresent() && reported.putIfAbsent(talk, true) == null) {
        problems.add(new Overflow(i, event.getEventId(), refusal.get()));
      }
      total.put(talk, before + size);
    }
    return problems;
  }
}
