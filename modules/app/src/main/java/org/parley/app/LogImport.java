package org.parley.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.parley.avro.ClockTick;
import org.parley.avro.DiplomaticEvent;
import org.parley.ingest.EventLines;
import org.parley.ingest.EventPublisher;
import org.parley.model.Events;
import org.parley.model.InvalidRecord;
import org.parley.model.RecordCodec;
import org.parley.model.UndecodableRecord;

/**
 * Publishes an exported log (NDJSON or Avro container) to an events topic, skipping every event
 * already there (by talk and event id), so importing the same file twice adds nothing and an
 * interrupted import is finished by running it again. The whole file is checked before anything
 * is published. Events keep their ids, times and order; clock ticks go back to their partition.
 */
final class LogImport {

  record Result(long published, long alreadyPresent) {}

  private static final int BATCH = 1_000;

  private LogImport() {}

  static Result run(Path file, EventLog target, EventPublisher publisher, PrintWriter progressOut,
      BooleanSupplier stop) throws IOException {
    LogFile format = LogFile.detect(file);
    int partitions = target.partitions();
    List<String> problems = new ArrayList<>();
    long[] count = {0};
    forEach(file, format, event -> {
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
    Set<String> present = presentIds(target);
    Progress progress = new Progress("import", "events", count[0], progressOut);
    List<DiplomaticEvent> batch = new ArrayList<>(BATCH);
    long[] done = {0, 0, 0}; // seen, published, already present
    forEach(file, format, event -> {
      if (stop.getAsBoolean()) {
        return;
      }
      done[0]++;
      if (present.contains(id(event))) {
        done[2]++;
      } else {
        batch.add(event);
        if (batch.size() == BATCH) {
          done[1] += publisher.publish(batch);
          batch.clear();
        }
      }
      progress.update(done[0]);
    }, problem -> { });
    if (stop.getAsBoolean()) {
      throw new Interruption.Stopped(String.format("import stopped after publishing %,d events; run it again to"
          + " finish (the %,d already published will be skipped)", done[1], done[1] + done[2]));
    }
    if (!batch.isEmpty()) {
      done[1] += publisher.publish(batch);
    }
    progress.finish(done[0]);
    return new Result(done[1], done[2]);
  }

  static String id(DiplomaticEvent event) {
    return event.getTalkId() + '\n' + event.getEventId();
  }

  /** Every (talk, event id) already on the target events topic. */
  static Set<String> presentIds(EventLog target) {
    Set<String> ids = new HashSet<>();
    Map<Integer, Long> end = target.endOffsets();
    for (var partition : end.entrySet()) {
      target.read(partition.getKey(), partition.getValue(), record -> {
        try {
          ids.add(id(RecordCodec.events().decode(record.value())));
        } catch (UndecodableRecord e) {
          // not an event; it cannot collide with one
        }
        return true;
      });
    }
    return ids;
  }

  /** Every valid event of the file, in order; problems (with their line or record number) to the other consumer. */
  private static void forEach(Path file, LogFile format, Consumer<DiplomaticEvent> events, Consumer<String> problems)
      throws IOException {
    if (format == LogFile.NDJSON) {
      try (InputStream in = Files.newInputStream(file)) {
        new EventLines(Clock.systemUTC()).forEach(in, events, bad -> problems.accept(bad.toString()));
      }
      return;
    }
    try (DataFileReader<DiplomaticEvent> reader = new DataFileReader<>(file.toFile(),
        new SpecificDatumReader<>(DiplomaticEvent.class))) {
      long number = 0;
      while (reader.hasNext()) {
        number++;
        DiplomaticEvent event = reader.next();
        try {
          events.accept(Events.checked(event));
        } catch (InvalidRecord e) {
          problems.accept("record " + number + ": " + e.getMessage());
        }
      }
    }
  }
}
