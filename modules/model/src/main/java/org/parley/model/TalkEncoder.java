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
 * <p>Not thread-safe: one per fold (each task runs on one thread).
 */
public final class TalkEncoder {

  /** The encodings of one talk's parts, by identity, as last encoded. */
  public static final class Parts {
    private IdentityHashMap<Object, byte[]> encoded = new IdentityHashMap<>(4);
    private long bytes;

    /** How many bytes the kept encodings take (for bounding how many talks keep theirs). */
    public long bytes() {
      return bytes;
    }
  }

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
    try {
      writer.write(talk, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    parts.encoded = writer.next; // parts no longer in the talk are dropped
    parts.bytes = writer.nextBytes;
    writer.parts = null;
    writer.next = null;
    return out.toByteArray();
  }

  /** Avro's writer, with the records directly under the talk written from their kept encodings. */
  private static final class Writer extends SpecificDatumWriter<TalkState> {
    private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(1024);
    private BinaryEncoder scratchEncoder;
    private int depth;
    private Parts parts;
    private IdentityHashMap<Object, byte[]> next;
    private long nextBytes;

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
      if (depth != 1) {
        depth++;
        try {
          super.writeRecord(schema, datum, out);
        } finally {
          depth--;
        }
        return;
      }
      byte[] bytes = parts.encoded.get(datum);
      if (bytes == null) {
        bytes = encodePart(schema, datum);
      }
      if (next.put(datum, bytes) == null) {
        nextBytes += bytes.length;
      }
      out.writeFixed(bytes);
    }

    private byte[] encodePart(Schema schema, Object datum) throws IOException {
      scratchEncoder = EncoderFactory.get().binaryEncoder(scratch, scratchEncoder); // as above
      scratch.reset();
      depth++;
      try {
        super.writeRecord(schema, datum, scratchEncoder);
      } finally {
        depth--;
      }
      scratchEncoder.flush();
      return scratch.toByteArray();
    }
  }
}
