package org.parley.topology;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.parley.model.RecordCodec;
import org.parley.model.UndecodableRecord;

/** A Kafka serde over {@link RecordCodec}: Avro single-object encoding, older schema versions included. */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
  private final RecordCodec<T> codec;

  public AvroSerde(RecordCodec<T> codec) {
    this.codec = codec;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, record) -> record == null ? null : codec.encode(record);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return codec.decode(bytes);
      } catch (UndecodableRecord e) {
        throw new SerializationException("cannot read a record of " + topic + ": " + e.getMessage());
      }
    };
  }
}
