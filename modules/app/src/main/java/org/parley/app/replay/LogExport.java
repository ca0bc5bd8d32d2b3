package org.parley.app.replay;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.parley.app.runtime.Interruption;
import org.parley.avro.DiplomaticEvent;
import org.parley.model.JsonForm;
import org.parley.model.RecordCodec;
import org.parley.model.UndecodableRecord;

/**
 * Writes the events topic to a file, partition by partition in log order (so each talk's events
 * keep their order and each partition's clock ticks stay where they were), as NDJSON or as an Avro
 * object container file. It writes to a temporary file and renames it at the end: an interrupted
 * export leaves nothing behind.
 */
public final class LogExport {

  /**
   * Which events to write: all by default; a time window on occurredAt [from, to) and one talk
   * narrow it.
   */
  public record Filter(Instant from, Instant to, String talkId) {
    boolean accepts(DiplomaticEvent event) {
      return (from == null || !event.getOccurredAt().isBefore(from))
          && (to == null || event.getOccurredAt().isBefore(to))
          && (talkId == null || talkId.equals(event.getTalkId()));
    }
  }

  public record Result(long written, long skippedUnreadable, LogFile format) {}

  private LogExport() {}

  public static Result run(
      EventLog log, Path file, Filter filter, PrintWriter progressOut, BooleanSupplier stop)
      throws IOException {
    LogFile format = LogFile.forName(file);
    Map<Integer, Long> end = log.endOffsets();
    long total = end.values().stream().mapToLong(Long::longValue).sum();
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Progress progress = new Progress("export", "records", total, progressOut);
    long[] counts = new long[3]; // written, unreadable, offsets of earlier partitions
    boolean done = false;
    try (Sink sink =
        format == LogFile.AVRO ? new AvroSink(partial, end.size()) : new NdjsonSink(partial)) {
      for (int partition = 0; partition < end.size(); partition++) {
        log.read(
            partition,
            end.get(partition),
            record -> {
              if (stop.getAsBoolean()) {
                return false;
              }
              // By offset, not by records seen: transaction markers take offsets too, and are never
              // seen.
              progress.update(counts[2] + record.offset() + 1);
              try {
                DiplomaticEvent event = RecordCodec.events().decode(record.value());
                if (filter.accepts(event)) {
                  sink.write(event);
                  counts[0]++;
                }
              } catch (UndecodableRecord e) {
                counts[
                    1]++; // it is in the dead-letter topic already; it was never part of the fold
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              return true;
            });
        if (stop.getAsBoolean()) {
          break;
        }
        counts[2] += end.get(partition);
      }
      done = !stop.getAsBoolean();
    } finally {
      if (!done) {
        Files.deleteIfExists(partial);
      }
    }
    if (!done) {
      throw new Interruption.Stopped("export stopped; no file was written");
    }
    progress.finish();
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Result(counts[0], counts[1], format);
  }

  private interface Sink extends AutoCloseable {
    void write(DiplomaticEvent event) throws IOException;

    @Override
    void close() throws IOException;
  }

  private static final class NdjsonSink implements Sink {
    private final BufferedWriter out;

    NdjsonSink(Path file) throws IOException {
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    @Override
    public void write(DiplomaticEvent event) throws IOException {
      out.write(JsonForm.toJson(event));
      out.write('\n');
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  private static final class AvroSink implements Sink {
    private final DataFileWriter<DiplomaticEvent> writer;

    AvroSink(Path file, int partitions) throws IOException {
      writer = new DataFileWriter<>(new SpecificDatumWriter<>(DiplomaticEvent.class));
      writer.setCodec(CodecFactory.deflateCodec(6));
      writer.setMeta("parley.source.partitions", partitions);
      OutputStream out = Files.newOutputStream(file);
      writer.create(DiplomaticEvent.getClassSchema(), out);
    }

    @Override
    public void write(DiplomaticEvent event) throws IOException {
      writer.append(event);
    }

    @Override
    public void close() throws IOException {
      writer.close();
    }
  }
}
