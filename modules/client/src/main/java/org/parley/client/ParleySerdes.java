package org.parley.client;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.parley.avro.Alert;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.model.RecordCodec;
import org.parley.model.UndecodableRecord;

/**
 * Kafka serdes for Parley's values: Avro single-object encoding (marker C3 01, the writer schema's
 * fingerprint, the body). A record written with any schema version Parley has published decodes,
 * resolved to the version this library was built with; an unknown version, or bytes that are not a
 * Parley record, fail with a {@link SerializationException} saying which and why.
 *
 * <pre>{@code
 * var consumer = new KafkaConsumer<>(config, ParleySerdes.keys().deserializer(),
 *     ParleySerdes.alerts().deserializer());
 * consumer.subscribe(List.of(ParleyTopics.ALERTS));
 * }</pre>
 */
public final class ParleySerdes {
  private ParleySerdes() {}

  /** Keys: the talk id as a UTF-8 string. */
  public static Serde<String> keys() {
    return Serdes.String();
  }

  public static Serde<DiplomaticEvent> events() {
    return of(RecordCodec.events());
  }

  public static Serde<TalkState> talkStates() {
    return of(RecordCodec.talks());
  }

  public static Serde<Alert> alerts() {
    return of(RecordCodec.alerts());
  }

  private static <T extends SpecificRecord> Serde<T> of(RecordCodec<T> codec) {
    return Serdes.serdeFrom(serializer(codec), deserializer(codec));
  }

  private static <T extends SpecificRecord> Serializer<T> serializer(RecordCodec<T> codec) {
    return (topic, record) -> record == null ? null : codec.encode(record);
  }

  /** A null value (a tombstone on the compacted talk-state topic) stays null. */
  private static <T extends SpecificRecord> Deserializer<T> deserializer(RecordCodec<T> codec) {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return codec.decode(bytes);
      } catch (UndecodableRecord e) {
        throw new SerializationException(
            "cannot read " + codec.schema().getName() + " from " + topic + ": " + e.getMessage());
      }
    };
  }
}
