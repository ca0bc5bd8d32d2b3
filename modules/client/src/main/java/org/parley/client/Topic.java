package org.parley.client;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A topic with the serdes of its keys and values: nothing else spells a topic name or picks a
 * serde.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

  public Serializer<K> keySerializer() {
    return keySerde.serializer();
  }

  public Serializer<V> valueSerializer() {
    return valueSerde.serializer();
  }

  public Deserializer<K> keyDeserializer() {
    return keySerde.deserializer();
  }

  public Deserializer<V> valueDeserializer() {
    return valueSerde.deserializer();
  }
}
