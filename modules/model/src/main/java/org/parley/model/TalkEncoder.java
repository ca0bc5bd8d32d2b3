package org.parley.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.parley.avro.TalkState;

/**
 * Encodes talk states exactly as {@link RecordCodec#talks()} does (the same bytes), but reuses the
 * encoding of each part of a talk that did not change since the talk was last encoded.
 *
 * <p>The fold is copy-on-write: an event that changes one commitment of a talk replaces that
 * commitment (and the list holding it) and shares every other commitment, deadline, agreement,
 * session and statement with the talk before, as the same objects. So the encoding of each record
 * directly under the talk is kept by identity ({@link Parts}), and encoding the talk again writes
 * the kept bytes of the parts it shares and encodes only the new ones. For a talk a hundred events
 * deep that is most of the talk, and most of the cost of publishing it.
 *
 * <p>One level further down too: a commitment that changed keeps its history but for the change
 * just added (a deadline its moves), the same objects, and re-encoding those twenty entries read
 * objects written long before, each a miss of the processor's cache: two thirds of the encoding's
 * time in a write-back, in the twenty-first round's profile. So the records in a part's lists
 * (history entries, deadline moves) are kept by identity as well, and a changed part is written
 * field by field, its entries from their kept bytes. They are kept per talk, not per part, since a
 * part that changed is a new object that shares its entries with a version of itself the encoder
 * cannot name; a part that did not change is written whole and its entries are not read.
 *
 * <p>Not thread-safe: one per fold (each task runs on one thread).
 */
public final class TalkEncoder {

  /** The encodings of one talk's parts and of their lists' entries, by identity. */
  public static final class Parts {
    /** The parts of the talk as last encoded. */
    private IdentityHashMap<Object, Part> encoded = new IdentityHashMap<>(4);

    /**
     * Entries of the parts' lists, as encoded lately: those of parts the talk no longer has too,
     * until they are more than those it has (then all are dropped, and encoded again as their parts
     * change).
     */
    private final IdentityHashMap<Object, byte[]> entries = new IdentityHashMap<>();

    private long partBytes;
    private long entryBytes;

    /**
     * How many bytes the kept encodings take, with what keeping each costs beside its bytes (for
     * bounding how many talks keep theirs).
     */
    public long bytes() {
      return partBytes + entryBytes;
    }
  }

  /** A part's encoding, and how many entries of its lists it holds. */
  private record Part(byte[] bytes, int entries) {}

  /**
   * What keeping one encoding costs beside its bytes: the array's header and its slot in the
   * identity map. Counted since entries are kept too: they are small (about 40 bytes), and their
   * bytes alone would understate the heap they take by half.
   */
  private static final int KEPT_OVERHEAD = 48;

  private final Schema schema = TalkState.getClassSchema();
  private final byte[] header = RecordCodec.header(schema);
  private final Writer writer = new Writer(schema);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
  private BinaryEncoder encoder;

  /**
   * The talk's single-object encoding; {@code parts} is read and replaced by the parts of this
   * talk.
   */
  public byte[] encode(TalkState talk, Parts parts) {
    // Reset onto the stream before the stream is emptied: a talk that failed part way (a defect
    // of the fold, which the pipeline logs and goes on from) left bytes in the encoder, which
    // resetting it writes out, and they must not precede the next talk's.
    encoder = EncoderFactory.get().binaryEncoder(out, encoder);
    out.reset();
    out.write(header, 0, header.length);
    writer.parts = parts;
    writer.next =
        new IdentityHashMap<>(Math.max(4, parts.encoded.size())); // most talks have few parts
    writer.nextBytes = 0;
    writer.liveEntries = 0;
    try {
      writer.write(talk, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      // Entries encoded before a failure are right whatever failed after them: they stay.
      parts.entryBytes = writer.entryBytes(parts);
    }
    parts.encoded = writer.next; // parts no longer in the talk are dropped
    parts.partBytes = writer.nextBytes;
    if (parts.entries.size() > 2 * writer.liveEntries + 32) {
      parts.entries.clear(); // mostly entries of parts gone: encoded again as parts change
      parts.entryBytes = 0;
    }
    writer.parts = null;
    writer.next = null;
    return out.toByteArray();
  }

  /** Avro's writer, with the records directly under the talk written from their kept encodings. */
  private static final class Writer extends SpecificDatumWriter<TalkState> {
    private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(1024);
    private BinaryEncoder scratchEncoder;

    /** For an entry of a part's list, encoded while the part is being written into scratch. */
    private final ByteArrayOutputStream entryScratch = new ByteArrayOutputStream(128);

    private BinaryEncoder entryScratchEncoder;

    /** Part schemas by whether they hold a list of records (written field by field, see above). */
    private final java.util.Map<Schema, Boolean> holdsRecords = new IdentityHashMap<>();

    private int depth;
    private Parts parts;
    private IdentityHashMap<Object, Part> next;
    private long nextBytes;

    /** How many entries the talk's parts hold, counted as they are written. */
    private int liveEntries;

    /** How many entries the part being encoded holds, so far. */
    private int partEntries;

    private long addedEntryBytes;

    /** The kept entries' bytes, with those this encoding added. */
    long entryBytes(Parts parts) {
      long bytes = parts.entryBytes + addedEntryBytes;
      addedEntryBytes = 0;
      return bytes;
    }

    Writer(Schema schema) {
      super(schema, RecordCodec.MODEL);
    }

    @Override
    protected void writeRecord(Schema schema, Object datum, Encoder out) throws IOException {
      if (depth == 0) {
        // The talk itself field by field, as Avro's generic writer does, so that its parts come
        // back here; its custom coder would write them all anew.
        depth++;
        try {
          for (Schema.Field field : schema.getFields()) {
            writeField(datum, field, out, null);
          }
        } finally {
          depth--;
        }
        return;
      }
      if (depth > 2) {
        depth++;
        try {
          super.writeRecord(schema, datum, out);
        } finally {
          depth--;
        }
        return;
      }
      if (depth == 2) {
        // An entry of a part's list: from its kept bytes if an earlier encoding had the object.
        byte[] bytes = parts.entries.get(datum);
        if (bytes == null) {
          bytes = encodeEntry(schema, datum);
          parts.entries.put(datum, bytes);
          addedEntryBytes += bytes.length + KEPT_OVERHEAD;
        }
        partEntries++;
        out.writeFixed(bytes);
        return;
      }
      // A part: from its kept bytes if the last encoding had the same object.
      Part part = parts.encoded.get(datum);
      if (part == null) {
        part = encodePart(schema, datum);
      }
      if (next.put(datum, part) == null) {
        nextBytes += part.bytes().length + KEPT_OVERHEAD;
        liveEntries += part.entries();
      }
      out.writeFixed(part.bytes());
    }

    private Part encodePart(Schema schema, Object datum) throws IOException {
      scratchEncoder = EncoderFactory.get().binaryEncoder(scratch, scratchEncoder); // as above
      scratch.reset();
      partEntries = 0;
      depth++;
      try {
        if (holdsRecords.computeIfAbsent(schema, Writer::holdsListOfRecords)) {
          // Field by field, as the talk, so that the list's entries come back to writeRecord; its
          // custom coder would write them all anew.
          for (Schema.Field field : schema.getFields()) {
            writeField(datum, field, scratchEncoder, null);
          }
        } else {
          super.writeRecord(schema, datum, scratchEncoder);
        }
      } finally {
        depth--;
      }
      scratchEncoder.flush();
      return new Part(scratch.toByteArray(), partEntries);
    }

    private byte[] encodeEntry(Schema schema, Object datum) throws IOException {
      entryScratchEncoder = EncoderFactory.get().binaryEncoder(entryScratch, entryScratchEncoder);
      entryScratch.reset();
      depth++;
      try {
        super.writeRecord(schema, datum, entryScratchEncoder);
      } finally {
        depth--;
      }
      entryScratchEncoder.flush();
      return entryScratch.toByteArray();
    }

    private static boolean holdsListOfRecords(Schema schema) {
      for (Schema.Field field : schema.getFields()) {
        Schema type = field.schema();
        if (type.getType() == Schema.Type.ARRAY
            && type.getElementType().getType() == Schema.Type.RECORD) {
          return true;
        }
      }
      return false;
    }
  }
}
