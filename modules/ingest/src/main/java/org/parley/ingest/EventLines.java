package org.parley.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.parley.avro.DiplomaticEvent;
import org.parley.model.Events;
import org.parley.model.InvalidRecord;
import org.parley.model.JsonForm;
import org.parley.model.Problem;
import org.parley.model.StoryTime;

/**
 * Reads events in their JSON form, one per line (NDJSON), and checks every line before anything is
 * published: a producer learns of every bad line, with its number, in one go.
 *
 * <p>A line without {@code recordedAt} is stamped with the time of reading: that is when Parley
 * recorded it. Blank lines are skipped. A line repeating an earlier event exactly is skipped and
 * counted (an export of a log holding an event twice has it twice); the same event id for one talk
 * with other content is reported, since the second would be silently ignored downstream.
 */
public final class EventLines {

  /** One line that cannot be published: its number (from 1) and every problem with it. */
  public record BadLine(long line, String problem) {
    @Override
    public String toString() {
      return "line " + line + ": " + problem;
    }
  }

  /**
   * The events of a file, and what is wrong with it; publish only when {@link #problems} is empty.
   * {@code repeated} counts the lines skipped as exact repeats of an earlier line's event.
   */
  public record Read(List<DiplomaticEvent> events, List<BadLine> problems, long repeated) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private final Clock clock;

  /**
   * How far past its recording an event may be dated; null when reading a copy of a log, which is
   * taken as it is.
   */
  private final Duration futureTolerance;

  /** The door for producers, with the default future tolerance. */
  public EventLines(Clock clock) {
    this(clock, StoryTime.DEFAULT_FUTURE_TOLERANCE);
  }

  /**
   * The door for producers: besides every event being valid, no ClockTick (only Parley's ticker
   * publishes those), no {@code loggedAt}, and no time more than {@code futureTolerance} ahead.
   */
  public EventLines(Clock clock, Duration futureTolerance) {
    this.clock = clock;
    this.futureTolerance = java.util.Objects.requireNonNull(futureTolerance);
  }

  private EventLines(Clock clock, Void copy) {
    this.clock = clock;
    this.futureTolerance = null;
  }

  /**
   * Reads a copy of Parley's own log (an export): its clock ticks and record times are kept as they
   * are.
   */
  public static EventLines ofLogCopy(Clock clock) {
    return new EventLines(clock, (Void) null);
  }

  /**
   * Reads every line into memory. Lines are split on the byte '\n' and each is decoded as strict
   * UTF-8 on its own, so a line in another encoding is reported on its own line and the others
   * still count.
   */
  public Read read(InputStream input) throws IOException {
    List<DiplomaticEvent> events = new ArrayList<>();
    List<BadLine> problems = new ArrayList<>();
    long[] repeated = {0};
    forEach(input, events::add, problems::add, line -> repeated[0]++);
    return new Read(events, problems, repeated[0]);
  }

  /** Reads line by line without keeping the events: for files too large to hold. */
  public void forEach(
      InputStream input, Consumer<DiplomaticEvent> events, Consumer<BadLine> problems)
      throws IOException {
    forEach(input, events, problems, line -> {});
  }

  /** As above, telling {@code repeats} the number of each line skipped as an exact repeat. */
  public void forEach(
      InputStream input,
      Consumer<DiplomaticEvent> events,
      Consumer<BadLine> problems,
      LongConsumer repeats)
      throws IOException {
    Repeats seen = new Repeats();
    Utf8Lines.read(
        input,
        new Utf8Lines.Visitor() {
          @Override
          public void line(long number, String line) {
            try {
              JsonNode node = tree(line);
              boolean stamped = node instanceof ObjectNode object && !object.has("recordedAt");
              DiplomaticEvent event = parse(node);
              DiplomaticEvent asWritten =
                  stamped
                      ? DiplomaticEvent.newBuilder(event).setRecordedAt(Instant.EPOCH).build()
                      : event;
              Repeats.Verdict verdict = seen.check(event, asWritten, number);
              switch (verdict.kind()) {
                case FIRST -> events.accept(event);
                case REPEAT -> repeats.accept(number);
                case CLASH ->
                    problems.accept(
                        new BadLine(
                            number,
                            "eventId '"
                                + event.getEventId()
                                + "' of talk '"
                                + event.getTalkId()
                                + "' is already used on line "
                                + verdict.where()
                                + " for another event (an exact repeat of a line is skipped)"));
              }
            } catch (InvalidRecord e) {
              problems.accept(new BadLine(number, e.getMessage()));
            }
          }

          @Override
          public void notUtf8(long number) {
            problems.accept(new BadLine(number, "not valid UTF-8 text (save the file as UTF-8)"));
          }
        });
  }

  /** One event in its JSON form, stamped with the recording time when it has none. */
  public DiplomaticEvent parse(String json) throws InvalidRecord {
    return parse(tree(json));
  }

  private static JsonNode tree(String json) throws InvalidRecord {
    try {
      return JsonForm.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      Events.fromJson(json); // reports the JSON error the same way everywhere
      throw new InvalidRecord(
          List.of(new Problem("", "not valid JSON: " + e.getOriginalMessage())));
    }
  }

  public DiplomaticEvent parse(JsonNode node) throws InvalidRecord {
    if (node instanceof ObjectNode object && !object.has("recordedAt")) {
      object.put(
          "recordedAt",
          DateTimeFormatter.ISO_INSTANT.format(
              clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
    }
    DiplomaticEvent event = JsonForm.read(node, DiplomaticEvent.class);
    return futureTolerance == null
        ? Events.checked(event)
        : Events.fromProducer(event, clock.instant(), futureTolerance);
  }
}
