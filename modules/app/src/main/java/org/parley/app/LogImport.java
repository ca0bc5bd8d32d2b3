package org.parley.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.parley.avro.ClockTick;
import org.parley.avro.DiplomaticEvent;
import org.parley.ingest.EventLines;
import org.parley.ingest.EventPublisher;
import org.parley.model.ClockSeal;
import org.parley.ingest.Repeats;
import org.parley.model.Events;
import org.parley.model.InvalidRecord;

/**
 * Publishes an exported log (NDJSON or Avro container) to an events topic, skipping every event
 * already there (by talk and event id), so importing the same file twice adds nothing and an
 * interrupted import is finished by running it again. The whole file is checked before anything
 * is published. Events keep their ids, times and order; clock ticks go back to their partition.
 */
final class LogImport {

  /** {@code repeated}: events skipped because the file holds them again, identical, further down. */
  record Result(long published, long alreadyPresent, long repeated) {}

  private LogImport() {}

  /**
   * @param clockSeal the target cluster's clock key: each clock tick of the copy is sealed again
   *     with it, since the source's key does not verify here (and a log from before v4 has none)
   */
  static Result run(Path file, EventLog target, EventPublisher publisher, ClockSeal clockSeal, PrintWriter progressOut,
      BooleanSupplier stop) throws IOException {
    LogFile format = LogFile.detect(file);
    int partitions = target.partitions();
    List<String> problems = new ArrayList<>();
    long[] count = {0};
    long[] repeated = {0};
    forEach(file, format, repeated, event -> {
      count[0]++;
      if (event.getPayload() instanceof ClockTick tick && tick.getPartition() != null
          && tick.getPartition() >= partitions && problems.size() < 20) {
        problems.add("event " + count[0] + ": a clock tick of partition " + tick.getPartition() + ", but "
            + "the events topic here has " + partitions + " partitions: create it with as many as the source had");
      }
    }, problem -> {
      if (problems.size() < 20) {
        problems.add(problem);
      }
    });
    if (!problems.isEmpty()) {
      throw new CommandFailure("nothing was imported; " + file + " has problems:\n  " + String.join("\n  ", problems));
    }
    ImportPublisher importer = new ImportPublisher(target, publisher);
    Progress progress = new Progress("import", "events", count[0], progressOut);
    long[] seen = {0};
    forEach(file, format, new long[1], event -> {
      if (stop.getAsBoolean()) {
        return;
      }
      importer.offer(Events.isClockTick(event) ? clockSeal.seal(event) : event);
      progress.update(++seen[0]);
    }, problem -> { });
    if (stop.getAsBoolean()) {
      throw new Interruption.Stopped(String.format("import stopped after publishing %,d events; run it again to"
          + " finish (the %,d already published will be skipped)", importer.published(),
          importer.published() + importer.alreadyPresent()));
    }
    importer.flush();
    progress.finish();
    return new Result(importer.published(), importer.alreadyPresent(), repeated[0]);
  }

  /**
   * Every valid event of the file, in order, but exact repeats (counted in {@code repeated[0]});
   * problems (with their line or record number) to the other consumer.
   */
  private static void forEach(Path file, LogFile format, long[] repeated, Consumer<DiplomaticEvent> events,
      Consumer<String> problems) throws IOException {
    if (format == LogFile.NDJSON) {
      try (InputStream in = Files.newInputStream(file)) {
        EventLines.ofLogCopy(Clock.systemUTC()).forEach(in, events, bad -> problems.accept(bad.toString()),
            line -> repeated[0]++);
      }
      return;
    }
    Repeats seen = new Repeats();
    try (DataFileReader<DiplomaticEvent> reader = new DataFileReader<>(file.toFile(),
        new SpecificDatumReader<>(DiplomaticEvent.class))) {
      long number = 0;
      while (reader.hasNext()) {
        number++;
        DiplomaticEvent event = reader.next();
        try {
          Repeats.Verdict verdict = seen.check(Events.checked(event), number);
          switch (verdict.kind()) {
            case FIRST -> events.accept(event);
            case REPEAT -> repeated[0]++;
            case CLASH -> problems.accept("record " + number + ": eventId '" + event.getEventId() + "' of talk '"
                + event.getTalkId() + "' is already used by record " + verdict.where() + " for another event");
          }
        } catch (InvalidRecord e) {
          problems.accept("record " + number + ": " + e.getMessage());
        }
      }
    }
  }
}
