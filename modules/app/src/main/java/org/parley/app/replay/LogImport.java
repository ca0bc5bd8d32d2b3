package org.parley.app.replay;

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
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.Interruption;
import org.parley.avro.ClockTick;
import org.parley.avro.DiplomaticEvent;
import org.parley.ingest.EventLines;
import org.parley.ingest.EventPublisher;
import org.parley.ingest.Repeats;
import org.parley.model.ClockSeal;
import org.parley.model.Events;
import org.parley.model.InvalidRecord;

/**
 * Publishes an exported log (NDJSON or Avro container) to an events topic, skipping every event
 * already there (by talk and event id), so importing the same file twice adds nothing and an
 * interrupted import is finished by running it again. The whole file is checked before anything is
 * published. Events keep their ids, times and order; clock ticks go back to their partition.
 */
public final class LogImport {

  /**
   * {@code repeated}: events skipped because the file holds them again, identical, further down.
   */
  public record Result(long published, long alreadyPresent, long repeated) {}

  private LogImport() {}

  /**
   * @param clockSeal the target cluster's clock key: each clock tick of the copy is sealed again
   *     with it, since the source's key does not verify here (and a log from before v4 has none)
   */
  public static Result run(
      Path file,
      EventLog target,
      EventPublisher publisher,
      ClockSeal clockSeal,
      PrintWriter progressOut,
      BooleanSupplier stop)
      throws IOException {
    LogFile format = LogFile.detect(file);
    int partitions = target.partitions();
    List<String> problems = new ArrayList<>();
    long[] count = {0};
    long[] repeated = {0};
    forEach(
        file,
        format,
        repeated,
        event -> {
          count[0]++;
          if (event.getPayload() instanceof ClockTick tick
              && tick.getPartition() != null
              && tick.getPartition() >= partitions
              && problems.size() < 20) {
            problems.add(
                "event "
                    + count[0]
                    + ": a clock tick of partition "
                    + tick.getPartition()
                    + ", but "
                    + "the events topic here has "
                    + partitions
                    + " partitions: create it with as many as the source had");
          }
        },
        problem -> {
          if (problems.size() < 20) {
            problems.add(problem);
          }
        });
    if (!problems.isEmpty()) {
      throw new CommandFailure(
          "nothing was imported; " + file + " has problems:\n  " + String.join("\n  ", problems));
    }
    ImportPublisher importer = new ImportPublisher(target, publisher);
    Progress progress = new Progress("import", "events", count[0], progressOut);
    long[] seen = {0};
    forEach(
        file,
        format,
        new long[1],
        event -> {
          if (stop.getAsBoolean()) {
            return;
          }
          importer.offer(Events.isClockTick(event) ? clockSeal.seal(event) : event);
          progress.update(++seen[0]);
        },
        problem -> {});
    if (stop.getAsBoolean()) {
      throw new Interruption.Stopped(
          String.format(
              "import stopped after publishing %,d events; run it again to"
                  + " finish (the %,d already published will be skipped)",
              importer.published(), importer.published() + importer.alreadyPresent()));
    }
    importer.flush();
    progress.finish();
    return new Result(importer.published(), importer.alreadyPresent(), repeated[0]);
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /**
   * Every valid event of the file, in order, but exact repeats (counted in {@code repeated[0]});
   * problems (with their line or record number) to the other consumer. A truncated or corrupt Avro
   * file is refused naming the byte offset of the block that is.
   */
  private static void forEach(
      Path file,
      LogFile format,
      long[] repeated,
      Consumer<DiplomaticEvent> events,
      Consumer<String> problems)
      throws IOException {
    if (format == LogFile.NDJSON) {
      try (InputStream in = Files.newInputStream(file)) {
        EventLines.ofLogCopy(Clock.systemUTC())
            .forEach(in, events, bad -> problems.accept(bad.toString()), line -> repeated[0]++);
      }
      return;
    }
    Repeats seen = new Repeats();
    DataFileReader<DiplomaticEvent> reader;
    try {
      reader =
          new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(DiplomaticEvent.class));
    } catch (IOException | RuntimeException e) {
      throw new CommandFailure(
          file
              + " is not a readable Avro container file: its header (byte offset 0 on) is"
              + " truncated or corrupt ("
              + describe(e)
              + ")");
    }
    try (reader) {
      long number = 0;
      while (true) {
        // Where the block being read starts: the byte offset a corrupt or truncated file is
        // reported at.
        long block = reader.previousSync();
        DiplomaticEvent event;
        try {
          if (!reader.hasNext()) {
            // Avro takes a block cut short for the end of the file; the file's size tells them
            // apart.
            if (reader.previousSync() < Files.size(file)) {
              throw new CommandFailure(
                  String.format(
                      "%s is truncated: the block at byte offset %,d is incomplete (the"
                          + " file ends at byte %,d, after record %,d); nothing was imported",
                      file, reader.previousSync(), Files.size(file), number));
            }
            break;
          }
          event = reader.next();
        } catch (CommandFailure e) {
          throw e;
        } catch (RuntimeException e) {
          throw new CommandFailure(
              String.format(
                  "%s is truncated or corrupt in the block at byte offset %,d (after"
                      + " record %,d; the file has %,d bytes): %s; nothing was imported",
                  file, block, number, Files.size(file), describe(e)));
        }
        number++;
        try {
          Repeats.Verdict verdict = seen.check(Events.checked(event), number);
          switch (verdict.kind()) {
            case FIRST -> events.accept(event);
            case REPEAT -> repeated[0]++;
            case CLASH ->
                problems.accept(
                    "record "
                        + number
                        + ": eventId '"
                        + event.getEventId()
                        + "' of talk '"
                        + event.getTalkId()
                        + "' is already used by record "
                        + verdict.where()
                        + " for another event");
          }
        } catch (InvalidRecord e) {
          problems.accept("record " + number + ": " + e.getMessage());
        }
      }
    }
  }
}
