package org.parley.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
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
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  private final Map<Long, String> knownVersions;

  private RecordCodec(Class<T> type, int maxBytes) {
    this.schema = SpecificData.get().getSchema(type);
    this.maxBytes = maxBytes;
    this.encoder = new BinaryMessageEncoder<>(MODEL, schema);
    this.decoder = new BinaryMessageDecoder<>(MODEL, schema);
    Map<Long, String> versions = new java.util.LinkedHashMap<>();
    versions.put(fingerprint(schema), schema.getName() + " (current)");
    for (SchemaHistory.Version old : SchemaHistory.versionsOf(schema.getFullName())) {
      decoder.addSchema(old.schema());
      versions.put(fingerprint(old.schema()), schema.getName() + " " + old.label());
    }
    this.knownVersions = Map.copyOf(versions);
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

  public byte[] encode(T record) {
    try {
      return encoder.encode(record).array();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

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
      T record = decoder.decode(bytes);
      if (record == null) {
        throw new UndecodableRecord("the body is empty");
      }
      return record;
    } catch (BadHeaderException e) {
      throw new UndecodableRecord(
          "not Avro single-object encoding: the bytes start with "
              + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, 2).toUpperCase()
              + " instead of the marker C3 01"
              + looksLike(bytes));
    } catch (MissingSchemaException e) {
      throw new UndecodableRecord(
          String.format(
              "written with an unknown %s schema (fingerprint %s); this Parley reads %s",
              what, fingerprintHex(bytes), describeKnown()));
    } catch (UndecodableRecord e) {
      throw e;
    } catch (IndexOutOfBoundsException e) {
      // Not the JVM's message: once the JIT has compiled a method that keeps throwing it, HotSpot
      // throws a shared exception without one, and a replay must give the live pipeline's reason.
      throw new UndecodableRecord(
          "corrupt "
              + what
              + " body: it refers to a union branch or enum symbol that does not exist");
    } catch (ClassCastException | NegativeArraySizeException e) {
      // Thrown by the JVM itself, so without a message once hot (above): named by their kind.
      throw new UndecodableRecord(
          "truncated or corrupt "
              + what
              + " body after the header: "
              + (e instanceof ClassCastException
                  ? "a value of the wrong type"
                  : "a negative length"));
    } catch (IOException | AvroRuntimeException | IllegalArgumentException e) {
      // Thrown by Avro with a message of its own, the same every time.
      throw new UndecodableRecord(
          "truncated or corrupt "
              + what
              + " body after the header: "
              + Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()));
    }
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

  private static String fingerprintHex(byte[] bytes) {
    // Single-object encoding stores the fingerprint little-endian after the marker.
    long fp = 0;
    for (int i = 9; i >= 2; i--) {
      fp = (fp << 8) | (bytes[i] & 0xff);
    }
    return hex(fp);
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
