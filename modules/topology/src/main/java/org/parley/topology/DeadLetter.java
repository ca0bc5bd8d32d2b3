package org.parley.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A record the pipeline refused, on its way to the dead-letter topic: the original key and bytes,
 * the original headers, and why and where in headers. The header names are Kafka Streams' own
 * dead-letter names, so records Parley refuses and records Kafka Streams' exception handlers
 * dead-letter read the same way; {@code parley.error.kind} tells Parley's refusals apart.
 */
public final class DeadLetter {

  public static final String REASON = "__streams.errors.message";
  public static final String SOURCE_TOPIC = "__streams.errors.topic";
  public static final String SOURCE_PARTITION = "__streams.errors.partition";
  public static final String SOURCE_OFFSET = "__streams.errors.offset";
  public static final String EXCEPTION = "__streams.errors.exception";
  public static final String KIND = "parley.error.kind";

  /** Why a record was refused, coarsely, for grouping and metrics. */
  public enum Kind {
    /** Not a Parley event: not Avro single-object encoding, an unknown schema, truncated, too large. */
    UNDECODABLE,
    /** A Parley event that breaks a rule of its own: an empty id, a time out of range, blank text. */
    INVALID,
    /** Keyed by something other than its talk id, so it may sit on the wrong partition. */
    MISROUTED,
    /** Valid, but cannot apply to its talk: an unknown talk, commitment or deadline. */
    REFUSED,
    /** A ClockTick that Parley's ticker did not seal: only the ticker may move the clock. */
    FORGED_TICK
  }

  private DeadLetter() {}

  static Record<byte[], byte[]> of(Record<byte[], byte[]> original, RecordMetadata source, Kind kind, String reason) {
    Headers headers = new RecordHeaders(original.headers().toArray());
    headers.add(KIND, utf8(kind.name()));
    headers.add(REASON, utf8(reason));
    headers.add(SOURCE_TOPIC, utf8(source.topic()));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
    return new Record<>(original.key(), original.value(), original.timestamp(), headers);
  }

  /** The value of a header as text, or null. */
  public static String header(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
