package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.parley.client.EventJsonSchema;
import org.parley.ingest.EventLines;
import org.parley.model.InvalidRecord;
import org.parley.model.JsonForm;
import org.parley.model.SeedStory;

/**
 * The generated JSON Schema against Parley's own validator, on the seed story and the bad-input
 * corpus: it accepts every line Parley accepts, and refuses every line Parley refuses for its shape
 * (as opposed to its content: an empty id, a title too long, a time out of range).
 */
class EventJsonSchemaCorpusTest {
  /** Refusals about the shape of a line, which a JSON Schema can express. */
  private static final List<String> SHAPE =
      List.of(
          "not valid JSON",
          "expected",
          "missing",
          "unknown field",
          "is not one of",
          "is not a known type",
          "must not be null",
          "is not an ISO-8601 time");

  /** Shape problems the schema lets through, said here so the list cannot grow unnoticed. */
  private static final Set<String> KNOWN_GAPS =
      Set.of("the 30th of February"); // a pattern checks the form of a time, not the calendar

  private final EventLines lines = new EventLines(java.time.Clock.systemUTC());

  private static Schema schema() throws Exception {
    try (var in =
        EventJsonSchema.class.getClassLoader().getResourceAsStream(EventJsonSchema.RESOURCE)) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
    }
  }

  private static boolean schemaRefuses(Schema schema, String line) {
    try {
      return !schema.validate(JsonForm.MAPPER.readTree(line)).isEmpty();
    } catch (JsonProcessingException e) {
      return true; // not JSON: no schema is needed to refuse it
    }
  }

  @Test
  void theSchemaAcceptsEveryLineParleyAccepts() throws Exception {
    Schema schema = schema();
    List<String> accepted = new java.util.ArrayList<>(SeedStory.lines());
    BadInputs.refused()
        .forEach(r -> accepted.add(r.line())); // valid at the door, refused later by the fold

    for (String line : accepted) {
      lines.parse(line); // Parley accepts it
      assertThat(schemaRefuses(schema, line)).as(line).isFalse();
    }
  }

  @Test
  void theSchemaRefusesEveryBadLineRefusedForItsShape() throws Exception {
    Schema schema = schema();
    int shape = 0;
    int caught = 0;
    for (BadInputs.Json bad : BadInputs.json()) {
      assertThatThrownBy(() -> lines.parse(bad.line()))
          .as(bad.name())
          .isInstanceOf(InvalidRecord.class);
      boolean refused = schemaRefuses(schema, bad.line());
      caught += refused ? 1 : 0;
      if (SHAPE.stream().anyMatch(bad.reason()::contains) && !KNOWN_GAPS.contains(bad.name())) {
        shape++;
        assertThat(refused).as("the schema refuses %s (%s)", bad.name(), bad.reason()).isTrue();
      }
    }
    System.out.printf(
        "JSON Schema: refuses %d of %d bad lines (all %d refused for their shape)%n",
        caught, BadInputs.json().size(), shape);
    assertThat(shape).isGreaterThan(20);
  }
}
