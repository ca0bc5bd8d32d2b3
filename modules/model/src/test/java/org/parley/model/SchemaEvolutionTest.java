package org.parley.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaParser;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.parley.avro.Alert;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;

class SchemaEvolutionTest {

  private static final Path SCHEMAS = Path.of("../../schemas");

  @Test
  void eventsWrittenByEveryEarlierSchemaVersionStillDecode() throws Exception {
    List<SchemaHistory.Version> versions =
        SchemaHistory.versionsOf(DiplomaticEvent.getClassSchema().getFullName());
    assertThat(versions).extracting(SchemaHistory.Version::label).containsExactly("v1", "v2", "v3");
    assertThat(versions.get(0).schema().getField("cameoCode")).as("v1 predates cameoCode").isNull();
    for (SchemaHistory.Version version : versions) {
      for (DiplomaticEvent event : SeedStory.events()) {
        // Write the event as that Parley would have: as a record of its schema, field by field.
        GenericRecord old = asVersion(event, version.schema());
        byte[] oldBytes =
            new BinaryMessageEncoder<GenericRecord>(genericWithTimes(), version.schema())
                .encode(old)
                .array();

        DiplomaticEvent read = RecordCodec.events().decode(oldBytes);

        assertThat(JsonForm.toJson(read))
            .as("%s read from %s", event.getEventId(), version.label())
            .isEqualTo(JsonForm.toJson(event));
      }
      assertThat(RecordCodec.fingerprint(version.schema()))
          .isNotEqualTo(RecordCodec.events().fingerprint());
    }
  }

  @Test
  void aClockTickWrittenBeforeV3ReadsWithoutAPartition() throws Exception {
    Schema v2 =
        SchemaHistory.versionsOf(DiplomaticEvent.getClassSchema().getFullName()).get(1).schema();
    DiplomaticEvent tick =
        new EventScript("t", "2016-09-07T12:00:00Z").tick("2016-09-07T12:00:00Z");
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(genericWithTimes(), v2)
            .encode(asVersion(tick, v2))
            .array();

    DiplomaticEvent read = RecordCodec.events().decode(bytes);

    assertThat(((org.parley.avro.ClockTick) read.getPayload()).getPartition()).isNull();
  }

  @Test
  void everyHistoricSchemaIsFullyCompatibleWithItsCurrentVersion() {
    assertThat(SchemaHistory.all()).isNotEmpty();
    for (SchemaHistory.Version old : SchemaHistory.all()) {
      Schema current = SpecificData.get().getSchema(SpecificData.get().getClass(old.schema()));
      assertThat(compatibility(current, old.schema()))
          .as("current %s reads %s", current.getName(), old.file())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
      // Forward: an older reader reads everything current but the event types added since (a new
      // branch of the payload union), which it cannot know what to do with anyway.
      assertThat(
              SchemaCompatibility.checkReaderWriterCompatibility(old.schema(), current)
                  .getResult()
                  .getIncompatibilities())
          .as("%s reads the current %s, but for new event types", old.file(), current.getName())
          .allSatisfy(
              i -> {
                assertThat(i.getType())
                    .isEqualTo(
                        org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType
                            .MISSING_UNION_BRANCH);
                int field = Integer.parseInt(i.getLocation().split("/")[2]);
                assertThat(old.schema().getFields().get(field).name()).isEqualTo("payload");
              });
    }
  }

  @Test
  // SchemaParser.resolve is deprecated in Avro 1.12.1 with no replacement that resolves references
  // between files parsed in any order, which is what this test needs.
  @SuppressWarnings("deprecation")
  void everySchemaFileInTheBuildParsesAndIsCompatibleWithTheGeneratedClasses() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SCHEMAS)) {
      files =
          walk.filter(
                  p -> p.toString().endsWith(".avsc") && !p.startsWith(SCHEMAS.resolve("history")))
              .sorted()
              .toList();
    }
    assertThat(files).hasSizeGreaterThan(30);
    // SchemaParser resolves names across files only when asked, so the order of files does not
    // matter.
    SchemaParser parser = new SchemaParser();
    java.util.Map<String, SchemaParser.ParseResult> parsed = new java.util.HashMap<>();
    for (Path file : files) {
      parsed.put(file.getFileName().toString(), parser.parse(file));
    }
    for (Class<?> top : List.of(DiplomaticEvent.class, TalkState.class, Alert.class)) {
      Schema fromFile = parser.resolve(parsed.get(top.getSimpleName() + ".avsc"));
      Schema generated = SpecificData.get().getSchema(top);
      assertThat(compatibility(generated, fromFile)).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
      assertThat(RecordCodec.fingerprint(fromFile))
          .as(top.getSimpleName())
          .isEqualTo(RecordCodec.fingerprint(generated));
    }
  }

  @Test
  void everyFileInTheHistoryDirectoryIsListedInVersionsTxt() throws IOException {
    List<String> onDisk;
    try (Stream<Path> list = Files.list(SCHEMAS.resolve("history"))) {
      onDisk =
          list.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".avsc"))
              .sorted()
              .toList();
    }
    assertThat(SchemaHistory.all().stream().map(SchemaHistory.Version::file).sorted().toList())
        .isEqualTo(onDisk);
  }

  private static SchemaCompatibilityType compatibility(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType();
  }

  private static GenericData genericWithTimes() {
    GenericData data = new GenericData();
    data.addLogicalTypeConversion(
        new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
    return data;
  }

  /** The event as a generic record of another schema version, resolved by Avro field by field. */
  private static GenericRecord asVersion(DiplomaticEvent event, Schema version) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
    new SpecificDatumWriter<DiplomaticEvent>(DiplomaticEvent.class).write(event, encoder);
    encoder.flush();
    GenericDatumReader<GenericRecord> reader =
        new GenericDatumReader<>(event.getSchema(), version, genericWithTimes());
    return reader.read(null, DecoderFactory.get().binaryDecoder(body.toByteArray(), null));
  }
}
