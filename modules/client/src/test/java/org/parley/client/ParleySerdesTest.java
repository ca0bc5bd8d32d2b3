package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.parley.avro.DiplomaticEvent;
import org.parley.model.SchemaHistory;
import org.parley.model.SeedStory;

class ParleySerdesTest {

  @Test
  void anEventRoundTripsThroughTheSerde() {
    DiplomaticEvent event = SeedStory.events().get(0);
    var serde = ParleySerdes.events();

    byte[] bytes = serde.serializer().serialize(ParleyTopics.EVENTS, event);

    assertThat(bytes[0] & 0xff).as("single-object marker").isEqualTo(0xC3);
    assertThat(serde.deserializer().deserialize(ParleyTopics.EVENTS, bytes)).isEqualTo(event);
  }

  @Test
  void anEventWrittenWithTheFirstSchemaVersionStillDecodes() throws Exception {
    DiplomaticEvent event = SeedStory.events().get(0);
    Schema v1 =
        SchemaHistory.all().stream()
            .filter(v -> v.label().equals("v1") && v.schema().getName().equals("DiplomaticEvent"))
            .findFirst()
            .orElseThrow()
            .schema();
    GenericData data = new GenericData();
    data.addLogicalTypeConversion(
        new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
    new SpecificDatumWriter<>(DiplomaticEvent.class).write(event, encoder);
    encoder.flush();
    GenericRecord old =
        new GenericDatumReader<GenericRecord>(event.getSchema(), v1, data)
            .read(null, DecoderFactory.get().binaryDecoder(body.toByteArray(), null));
    byte[] v1Bytes = new BinaryMessageEncoder<GenericRecord>(data, v1).encode(old).array();

    DiplomaticEvent read =
        ParleySerdes.events().deserializer().deserialize(ParleyTopics.EVENTS, v1Bytes);

    assertThat(read.getEventId()).isEqualTo(event.getEventId());
    assertThat(read.getCameoCode()).isNull();
  }

  @Test
  void bytesThatAreNotAParleyRecordFailNamingTheTopicAndWhy() {
    byte[] json = "{\"alertId\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(
            () -> ParleySerdes.alerts().deserializer().deserialize(ParleyTopics.ALERTS, json))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith(
            "cannot read Alert from parley.alerts.v1: not Avro single-object encoding");
  }

  @Test
  void aTombstoneIsNull() {
    assertThat(ParleySerdes.talkStates().deserializer().deserialize(ParleyTopics.TALK_STATE, null))
        .isNull();
  }
}
