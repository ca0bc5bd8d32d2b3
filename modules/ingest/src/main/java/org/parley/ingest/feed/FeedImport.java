package org.parley.ingest.feed;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.parley.avro.DiplomaticEvent;
import org.parley.model.Events;
import org.parley.model.InvalidRecord;

/**
 * Reads a coded feed file and maps it to Parley events, counting everything: rows read, rows
 * mapped, events by type, rows skipped by reason, and malformed rows with their line numbers. A
 * malformed row is reported and the import goes on.
 *
 * <p>The file is read twice: once for the evidence of fighting that tells a cease-fire from a truce
 * (it may come after the truce in the file), then to map it.
 */
public final class FeedImport {

  /** A feed file that can be opened more than once. */
  public interface Input {
    InputStream open() throws IOException;
  }

  /**
   * What a file held. {@code malformed} keeps the first 20 bad rows; {@code malformedCount} counts
   * them all.
   */
  public record Summary(
      long rowsRead,
      long rowsMapped,
      Map<String, Long> eventsByType,
      Map<String, Long> skippedByReason,
      long malformedCount,
      List<Feed.BadRow> malformed) {

    public long events() {
      return eventsByType.values().stream().mapToLong(Long::longValue).sum();
    }

    public long skipped() {
      return skippedByReason.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private FeedImport() {}

  public static Summary read(
      Feed feed, Input input, CameoEvents.Options options, Consumer<DiplomaticEvent> events)
      throws IOException {
    return read(feed, input, new CameoEvents(options), events, rows -> {});
  }

  /**
   * The same with a mapping that may have read other files before (a follower keeps one, so a talk
   * opened in one file is known in the next), telling {@code rowsRead} the count of rows read so
   * far after each row, for a progress line.
   */
  public static Summary read(
      Feed feed,
      Input input,
      CameoEvents mapping,
      Consumer<DiplomaticEvent> events,
      LongConsumer rowsRead)
      throws IOException {
    try (InputStream in = input.open()) {
      feed.read(in, mapping::noteFighting, bad -> {});
    }
    long[] counts = new long[3]; // read, mapped, malformed
    Map<String, Long> byType = new TreeMap<>();
    Map<String, Long> skipped = new TreeMap<>();
    List<Feed.BadRow> malformed = new ArrayList<>();
    Consumer<Feed.BadRow> bad =
        row -> {
          counts[2]++;
          if (malformed.size() < 20) {
            malformed.add(row);
          }
        };
    try (InputStream in = input.open()) {
      feed.read(
          in,
          row -> {
            rowsRead.accept(++counts[0]);
            CameoEvents.Result result = mapping.map(row);
            if (result instanceof CameoEvents.Result.Skipped skip) {
              skipped.merge(skip.reason(), 1L, Long::sum);
              return;
            }
            List<DiplomaticEvent> mapped = ((CameoEvents.Result.Mapped) result).events();
            for (DiplomaticEvent event : mapped) {
              try {
                // The same door as publish and HTTP: no clock ticks, nothing dated far ahead of its
                // recording.
                Events.fromProducer(
                    event,
                    java.time.Instant.now(),
                    org.parley.model.StoryTime.DEFAULT_FUTURE_TOLERANCE);
              } catch (InvalidRecord e) {
                bad.accept(
                    new Feed.BadRow(
                        row.line(), "the row makes an invalid event: " + e.getMessage()));
                return;
              }
            }
            counts[1]++;
            for (DiplomaticEvent event : mapped) {
              byType.merge(Events.type(event), 1L, Long::sum);
              events.accept(event);
            }
          },
          row -> {
            rowsRead.accept(++counts[0]);
            bad.accept(row);
          });
    }
    return new Summary(counts[0], counts[1], byType, skipped, counts[2], malformed);
  }
}
