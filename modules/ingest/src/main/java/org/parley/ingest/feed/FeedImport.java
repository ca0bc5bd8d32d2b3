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
 */
public final class FeedImport {

  /** What a file held. {@code malformed} keeps the first 20 bad rows; {@code malformedCount} counts them all. */
  public record Summary(long rowsRead, long rowsMapped, Map<String, Long> eventsByType,
      Map<String, Long> skippedByReason, long malformedCount, List<Feed.BadRow> malformed) {

    public long events() {
      return eventsByType.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private FeedImport() {}

  public static Summary read(Feed feed, InputStream input, CameoEvents.Window window, Consumer<DiplomaticEvent> events)
      throws IOException {
    return read(feed, input, window, events, rows -> { });
  }

  /** The same, telling {@code rowsRead} the count of rows read so far after each row, for a progress line. */
  public static Summary read(Feed feed, InputStream input, CameoEvents.Window window, Consumer<DiplomaticEvent> events,
      LongConsumer rowsRead) throws IOException {
    CameoEvents mapping = new CameoEvents(window);
    long[] counts = new long[3]; // read, mapped, malformed
    Map<String, Long> byType = new TreeMap<>();
    Map<String, Long> skipped = new TreeMap<>();
    List<Feed.BadRow> malformed = new ArrayList<>();
    Consumer<Feed.BadRow> bad = row -> {
      counts[2]++;
      if (malformed.size() < 20) {
        malformed.add(row);
      }
    };
    feed.read(input, row -> {
      rowsRead.accept(++counts[0]);
      CameoEvents.Result result = mapping.map(row);
      if (result instanceof CameoEvents.Result.Skipped skip) {
        skipped.merge(skip.reason(), 1L, Long::sum);
        return;
      }
      List<DiplomaticEvent> mapped = ((CameoEvents.Result.Mapped) result).events();
      for (DiplomaticEvent event : mapped) {
        try {
          Events.checked(event);
        } catch (InvalidRecord e) {
          bad.accept(new Feed.BadRow(row.line(), "the row makes an invalid event: " + e.getMessage()));
          return;
        }
      }
      counts[1]++;
      for (DiplomaticEvent event : mapped) {
        byType.merge(Events.type(event), 1L, Long::sum);
        events.accept(event);
      }
    }, row -> {
      rowsRead.accept(++counts[0]);
      bad.accept(row);
    });
    return new Summary(counts[0], counts[1], byType, skipped, counts[2], malformed);
  }
}
