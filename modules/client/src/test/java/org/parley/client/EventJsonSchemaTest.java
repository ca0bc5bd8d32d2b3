package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.model.JsonForm;
import org.parley.model.SeedStory;

class EventJsonSchemaTest {
  static final Path DOCS_COPY = Path.of("../../docs/diplomatic-event.schema.json");

  /** The schema as the build wrote it into the jar, read by a JSON Schema validator. */
  static Schema schema() throws Exception {
    byte[] text =
        EventJsonSchemaTest.class
            .getClassLoader()
            .getResourceAsStream(EventJsonSchema.RESOURCE)
            .readAllBytes();
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(new ByteArrayInputStream(text));
  }

  static List<Error> errors(Schema schema, String line) throws Exception {
    return schema.validate(JsonForm.MAPPER.readTree(line));
  }

  @Test
  void theBuildWroteTheSchemaIntoTheJarAndTheDocsCopyIsTheSame() throws Exception {
    String built =
        new String(
            EventJsonSchemaTest.class
                .getClassLoader()
                .getResourceAsStream(EventJsonSchema.RESOURCE)
                .readAllBytes(),
            StandardCharsets.UTF_8);

    assertThat(JsonForm.MAPPER.readTree(built)).isEqualTo(EventJsonSchema.generate());
    assertThat(Files.readString(DOCS_COPY).strip())
        .as(
            "docs/ holds the schema of this build: copy target/classes/%s there",
            EventJsonSchema.RESOURCE)
        .isEqualTo(built.strip());
  }

  @Test
  void everyLineOfTheSeedStoryIsValid() throws Exception {
    Schema schema = schema();

    for (String line : SeedStory.lines()) {
      assertThat(errors(schema, line)).as(line).isEmpty();
    }
  }

  @Test
  void aLineWithoutRecordedAtIsValidAndOtherLeftOutFieldsAreNot() throws Exception {
    Schema schema = schema();
    String line = SeedStory.lines().get(0);
    JsonNode event = JsonForm.MAPPER.readTree(line);

    assertThat(errors(schema, line.replace("\"recordedAt\": \"2016-09-08T20:00:00Z\", ", "")))
        .isEmpty();
    assertThat(errors(schema, line.replace("\"eventId\": \"geneva-2016-01\", ", ""))).isNotEmpty();
    assertThat(
            errors(
                schema, line.replace("\"type\": \"TalkAnnounced\"", "\"type\": \"TalkAnnouncd\"")))
        .isNotEmpty();
    assertThat(errors(schema, line.replace("\"venue\"", "\"place\"")))
        .as("unknown payload field")
        .isNotEmpty();
    assertThat(errors(schema, line.replace("2016-09-07T12:00:00Z", "yesterday")))
        .as("not a time")
        .isNotEmpty();
    assertThat(event.get("type").asText()).isEqualTo("TalkAnnounced");
  }
}
