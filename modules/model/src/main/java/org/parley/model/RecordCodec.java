package org.parley.model;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SystemLimitException;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.parley.avro.Alert;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;

/**
 * Avro single-object encoding (marker C3 01, the writer schema's 64-bit fingerprint, then the body)
 * for one record type. The decoder knows the current schema and every historic version kept in
 * {@code schemas/history}, so bytes written by an older Parley still decode, resolved to the
 * current schema.
 *
 * <p>Decoding never trusts the bytes: errors become {@link UndecodableRecord} with a reason a
 * person can act on, and Avro's length limits are set so a forged length cannot exhaust memory.
 */
public final class RecordCodec<T extends SpecificRecord> {

  /** The largest event Parley accepts, encoded. Statements are long; treaties go elsewhere. */
  public static final int MAX_EVENT_BYTES = 64 * 1024;

  static {
    // Avro allocates what a length prefix claims before reading it; bound the claims.
    setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, 1 << 20);
    setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, 1 << 20);
    setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, 1 << 20);
  }

  private static final Map<Class<?>, RecordCodec<?>> CODECS = new ConcurrentHashMap<>();

  /**
   * The data model of Parley's records: times as {@link java.time.Instant}, and each record that
   * has them written and read by its generated custom coders (straight-line code per field) rather
   * than by Avro's generic walk of the schema. Avro leaves custom coders off unless asked, and its
   * own code generator gives none to a record with a logical type; Parley's templates ({@code
   * modules/model/src/main/avro-templates}) do, for its times. The bytes are the same either way.
   */
  static final SpecificData MODEL = model();

  private static SpecificData model() {
    SpecificData model = new SpecificData(RecordCodec.class.getClassLoader());
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    model.setCustomCoders(true);
    return model;
  }

  private final Schema schema;
  private final int maxBytes;

  /** The marker and the schema's fingerprint, little-endian: what every record starts with. */
  private final byte[] header;

  private final DatumWriter<T> writer;

  /** A reader of each schema version this codec knows, by its fingerprint. */
  private final Map<Long, DatumReader<T>> readers;

  /** The current schema's fingerprint and reader: what almost every record is written with. */
  private final long current;

  private final DatumReader<T> currentReader;

  private final Map<Long, String> knownVersions;

  /**
   * A body decoder per thread, reset onto each record's bytes. Avro's own single-object decoder
   * reads the body through an unbuffered stream decoder, a call per byte; this one reads the array.
   */
  private static final ThreadLocal<BinaryDecoder> BODIES = new ThreadLocal<>();

  private RecordCodec(Class<T> type, int maxBytes) {
    this.schema = SpecificData.get().getSchema(type);
    this.maxBytes = maxBytes;
    this.current = fingerprint(schema);
    this.header = header(schema);
    this.writer = writer(schema);
    this.currentReader = reader(schema, schema);
    Map<Long, DatumReader<T>> readers = new HashMap<>();
    Map<Long, String> versions = new java.util.LinkedHashMap<>();
    readers.put(current, currentReader);
    versions.put(current, schema.getName() + " (current)");
    for (SchemaHistory.Version old : SchemaHistory.versionsOf(schema.getFullName())) {
      long fingerprint = fingerprint(old.schema());
      readers.put(fingerprint, reader(old.schema(), schema));
      versions.put(fingerprint, schema.getName() + " " + old.label());
    }
    this.readers = Map.copyOf(readers);
    this.knownVersions = Map.copyOf(versions);
  }

  /**
   * The marker C3 01 and the schema's CRC-64-AVRO fingerprint, little-endian: Avro's single-object
   * header.
   */
  static byte[] header(Schema schema) {
    return ByteBuffer.allocate(10)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0xC3)
        .put((byte) 0x01)
        .putLong(fingerprint(schema))
        .array();
  }

  @SuppressWarnings("unchecked")
  private static <T> DatumWriter<T> writer(Schema schema) {
    return (DatumWriter<T>) MODEL.createDatumWriter(schema);
  }

  @SuppressWarnings("unchecked")
  private static <T> DatumReader<T> reader(Schema writer, Schema reader) {
    return (DatumReader<T>) MODEL.createDatumReader(writer, reader);
  }

  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> RecordCodec<T> of(Class<T> type) {
    int limit = type == DiplomaticEvent.class ? MAX_EVENT_BYTES : Integer.MAX_VALUE;
    return (RecordCodec<T>) CODECS.computeIfAbsent(type, t -> new RecordCodec<>(type, limit));
  }

  public static RecordCodec<DiplomaticEvent> events() {
    return of(DiplomaticEvent.class);
  }

  public static RecordCodec<TalkState> talks() {
    return of(TalkState.class);
  }

  public static RecordCodec<Alert> alerts() {
    return of(Alert.class);
  }

  public Schema schema() {
    return schema;
  }

  /** The CRC-64-AVRO fingerprint that prefixes every record this codec writes. */
  public long fingerprint() {
    return fingerprint(schema);
  }

  /**
   * The record's single-object encoding: the bytes Avro's {@code BinaryMessageEncoder} writes,
   * written through a buffered encoder into this thread's array rather than through Avro's direct
   * encoder, a synchronized stream write per value.
   */
  public byte[] encode(T record) {
    Output out = OUTPUTS.get();
    // Reset onto the array before the array is emptied: a record that failed part way left bytes
    // in the encoder, which resetting it writes out, and they must not precede the next record.
    BinaryEncoder body = EncoderFactory.get().binaryEncoder(out, out.encoder);
    out.encoder = body;
    out.count = 0;
    out.write(header, 0, header.length);
    try {
      writer.write(record, body);
      body.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an array does not fail to take bytes
    }
    return Arrays.copyOf(out.bytes, out.count);
  }

  /** A growing array as a stream, unsynchronized: one per thread, emptied for each record. */
  private static final class Output extends OutputStream {
    byte[] bytes = new byte[4096];
    int count;
    BinaryEncoder encoder;

    @Override
    public void write(int b) {
      room(1);
      bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      room(len);
      System.arraycopy(b, off, bytes, count, len);
      count += len;
    }

    private void room(int more) {
      if (count + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(count + more, bytes.length * 2));
      }
    }
  }

  private static final ThreadLocal<Output> OUTPUTS = ThreadLocal.withInitial(Output::new);

  public T decode(byte[] bytes) throws UndecodableRecord {
    String what = schema.getName();
    if (bytes == null) {
      throw new UndecodableRecord(
          "the value is empty (a tombstone); a " + what + " cannot be deleted");
    }
    if (bytes.length > maxBytes) {
      throw new UndecodableRecord(
          String.format(
              "the %s is %,d bytes, over the limit of %,d bytes", what, bytes.length, maxBytes));
    }
    if (bytes.length < 10) {
      throw new UndecodableRecord(
          String.format(
              "%d bytes is too short for Avro single-object encoding (2-byte marker C3 01 and an 8-byte"
                  + " schema fingerprint come first)",
              bytes.length));
    }
    try {
      T record = read(bytes);
      if (record == null) {
        throw new UndecodableRecord("the body is empty");
      }
      return record;
    } catch (IOException | RuntimeException e) {
      throw refused(bytes, e);
    }
  }

  /**
   * The single-object encoding read as Avro's {@code BinaryMessageDecoder} reads it (marker, schema
   * by fingerprint, body, and the same kinds of exception), except that the body is read from the
   * array rather than through Avro's unbuffered stream decoder, a call per byte: about a fifth less
   * time an event.
   */
  private T read(byte[] bytes) throws IOException {
    if (bytes[0] != (byte) 0xC3 || bytes[1] != 0x01) {
      throw new BadHeaderException("not single-object encoding");
    }
    long fingerprint = fingerprintOf(bytes);
    DatumReader<T> reader = fingerprint == current ? currentReader : readers.get(fingerprint);
    if (reader == null) {
      throw new MissingSchemaException("no schema for the fingerprint");
    }
    BinaryDecoder body =
        DecoderFactory.get().binaryDecoder(bytes, 10, bytes.length - 10, BODIES.get());
    BODIES.set(body);
    try {
      return reader.read(null, body);
    } catch (IOException e) {
      throw new AvroRuntimeException("Decoding datum failed", e); // as Avro's decoder has it
    }
  }

  /**
   * Why these bytes (ten or more) could not be read, from what reading them threw, said as a person
   * can act on it, and the same reason however often the same bytes are read.
   */
  UndecodableRecord refused(byte[] bytes, Exception e) {
    String what = schema.getName();
    if (e instanceof BadHeaderException) {
      return new UndecodableRecord(
          "not Avro single-object encoding: the bytes start with "
              + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, 2).toUpperCase()
              + " instead of the marker C3 01"
              + looksLike(bytes));
    }
    if (e instanceof MissingSchemaException) {
      return new UndecodableRecord(
          String.format(
              "written with an unknown %s schema (fingerprint %s); this Parley reads %s",
              what, hex(fingerprintOf(bytes)), describeKnown()));
    }
    if (e instanceof IndexOutOfBoundsException) {
      // Not the JVM's message: once the JIT has compiled a method that keeps throwing it, HotSpot
      // throws a shared exception without one, and a replay must give the live pipeline's reason.
      return new UndecodableRecord(
          "corrupt "
              + what
              + " body: it refers to a union branch or enum symbol that does not exist");
    }
    if (e instanceof ClassCastException || e instanceof NegativeArraySizeException) {
      // Thrown by the JVM itself, so without a message once hot (above): named by their kind.
      return new UndecodableRecord(
          "truncated or corrupt "
              + what
              + " body after the header: "
              + (e instanceof ClassCastException
                  ? "a value of the wrong type"
                  : "a negative length"));
    }
    if (e instanceof IOException
        || e instanceof AvroRuntimeException
        || e instanceof IllegalArgumentException
        || e instanceof UnsupportedOperationException && lengthPastAnArray(e)) {
      // Thrown by Avro with a message of its own, the same every time. (The last, for a length
      // past what a Java array can hold, went out as a defect of the fold until the sixteenth
      // round; any other is still one.)
      return new UndecodableRecord(
          "truncated or corrupt "
              + what
              + " body after the header: "
              + Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()));
    }
    if (e instanceof RuntimeException defect) {
      throw defect; // not about the bytes: a defect, as before
    }
    throw new IllegalStateException(e);
  }

  /** Avro's refusal of a length no Java array can hold ("Cannot read strings longer than …"). */
  private static boolean lengthPastAnArray(Exception e) {
    return e.getMessage() != null && e.getMessage().startsWith("Cannot read ");
  }

  private String describeKnown() {
    List<String> known = new ArrayList<>();
    knownVersions.forEach((fp, label) -> known.add(label + " " + hex(fp)));
    return String.join(", ", known);
  }

  private static String looksLike(byte[] bytes) {
    byte first = bytes[0];
    if (first == '{' || first == '[') {
      return " (it looks like JSON: publish JSON events with `parley publish` or POST /api/events)";
    }
    return "";
  }

  private static long fingerprintOf(byte[] bytes) {
    // Single-object encoding stores the fingerprint little-endian after the marker.
    long fp = 0;
    for (int i = 9; i >= 2; i--) {
      fp = (fp << 8) | (bytes[i] & 0xff);
    }
    return fp;
  }

  private static String hex(long fp) {
    return String.format("0x%016X", fp);
  }

  static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  private static void setIfAbsent(String property, int value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(value));
    }
  }
}
