package org.parley.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the pipeline refused, on its way to the dead-letter topic: the original key and bytes,
 * and why and where in headers. The header names are Kafka Streams' own dead-letter names, so
 * records Parley refuses and records Kafka Streams' exception handlers dead-letter read the same
 * way; {@code parley.error.kind} tells Parley's refusals apart.
 *
 * <p>A dead letter is bounded, because a record the pipeline cannot write stops it (the transaction
 * aborts and the same record comes back): the reason is cut at {@link #MAX_REASON_CHARS}, and a key
 * and value of more than {@link #MAX_COPIED_BYTES} together are not copied (the header {@code
 * parley.error.not-copied} says so; the original stays on the events topic at the offset named).
 * The original record's headers are not copied either: anyone can write any header, and a dead
 * letter's headers must all be Parley's own.
 */
public final class DeadLetter {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetter.class);

  public static final String REASON = "__streams.errors.message";
  public static final String SOURCE_TOPIC = "__streams.errors.topic";
  public static final String SOURCE_PARTITION = "__streams.errors.partition";
  public static final String SOURCE_OFFSET = "__streams.errors.offset";
  public static final String EXCEPTION = "__streams.errors.exception";
  public static final String KIND = "parley.error.kind";
  public static final String NOT_COPIED = "parley.error.not-copied";

  /** A reason longer than this is cut (it may quote the record, which may be anything). */
  public static final int MAX_REASON_CHARS = 2_000;

  /** The most of the original key and value a dead letter copies (256 KiB, together). */
  public static final int MAX_COPIED_BYTES = 256 * 1024;

  /** Why a record was refused, coarsely, for grouping and metrics. */
  public enum Kind {
    /**
     * Not a Parley event: not Avro single-object encoding, an unknown schema, truncated, too large.
     */
    UNDECODABLE,
    /**
     * A Parley event that breaks a rule of its own: an empty id, a time out of range, blank text.
     */
    INVALID,
    /** Keyed by something other than its talk id, so it may sit on the wrong partition. */
    MISROUTED,
    /**
     * Valid, but cannot apply to its talk: an unknown talk, commitment or deadline, a talk that is
     * full.
     */
    REFUSED,
    /** A ClockTick that Parley's ticker did not seal: only the ticker may move the clock. */
    FORGED_TICK
  }

  private DeadLetter() {}

  /**
   * The dead letter of a record Parley refused, logged: the live pipeline and a rebuild both make
   * theirs here, so each is logged once and alike.
   */
  static Record<byte[], byte[]> of(
      Record<byte[], byte[]> original, RecordMetadata source, Kind kind, String reason) {
    LOG.warn(
        "dead-lettered {}-{}@{} ({}): {}",
        source.topic(),
        source.partition(),
        source.offset(),
        kind,
        reason);
    Headers headers = new RecordHeaders();
    headers.add(KIND, utf8(kind.name()));
    headers.add(REASON, utf8(cut(reason, MAX_REASON_CHARS)));
    headers.add(SOURCE_TOPIC, utf8(source.topic()));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
    byte[] key = original.key();
    byte[] value = original.value();
    long size = (key == null ? 0 : key.length) + (value == null ? 0L : value.length);
    if (size > MAX_COPIED_BYTES) {
      headers.add(
          NOT_COPIED,
          utf8(
              String.format(
                  "the original key (%,d bytes) and value (%,d bytes) are over the"
                      + " %,d bytes a dead letter copies; read them at %s-%d@%d",
                  key == null ? 0 : key.length,
                  value == null ? 0 : value.length,
                  MAX_COPIED_BYTES,
                  source.topic(),
                  source.partition(),
                  source.offset())));
      key = null;
      value = null;
    }
    return new Record<>(key, value, original.timestamp(), headers);
  }

  /** The value of a header as text, or null. */
  public static String header(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * Text from a record, quoted in a message: at most 100 characters, and how many more there were.
   */
  public static String excerpt(String text) {
    return cut(text, 100);
  }

  static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + String.format("... (%,d more characters)", text.length() - max);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
