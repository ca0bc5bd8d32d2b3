package org.parley.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.parley.avro.DiplomaticEvent;
import org.parley.model.JsonForm;

/**
 * A JSON Schema (draft 2020-12) of an event's JSON form, derived from the Avro schema the same way
 * {@link JsonForm} reads and writes it, so producers in any language can check a line before
 * sending it. Generated at build time into the client jar ({@value #RESOURCE}) and kept in {@code
 * docs/} for readers without Java.
 *
 * <p>The JSON form: times are ISO-8601 strings; enums are their symbols; an optional field is null
 * or its value and may be left out; the payload is the record itself, its name in {@code type}.
 * {@code recordedAt} may be left out: Parley stamps it on arrival. Structure only: Parley's own
 * checks (an id not empty, a deadline after its start...) are stricter and say more.
 */
public final class EventJsonSchema {
  public static final String RESOURCE = "parley/schemas/diplomatic-event.schema.json";
  static final String ID = "https://parley.example/schemas/diplomatic-event.schema.json";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, ObjectNode> definitions = new LinkedHashMap<>();

  private EventJsonSchema() {}

  /** The schema, as a JSON object. */
  public static ObjectNode generate() {
    return new EventJsonSchema().event(DiplomaticEvent.getClassSchema());
  }

  private ObjectNode event(Schema event) {
    ObjectNode root = NODES.objectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("$id", ID);
    root.put("title", "DiplomaticEvent (JSON form)");
    root.put(
        "description",
        event.getDoc()
            + " Generated from the Avro schema "
            + event.getFullName()
            + "; a line of NDJSON for `parley publish`, or the body of POST /api/events.");
    root.put("type", "object");
    Field payload = event.getField("payload");
    List<Schema> branches = payload.schema().getTypes();
    ObjectNode properties = root.putObject("properties");
    ArrayNode types = NODES.arrayNode();
    branches.forEach(b -> types.add(b.getName()));
    properties
        .putObject("type")
        .put("description", "Which event this is: the payload's record name.")
        .set("enum", types);
    ArrayNode required = NODES.arrayNode().add("type");
    for (Field field : event.getFields()) {
      if (field == payload) {
        properties
            .putObject("payload")
            .put("description", "The event's own fields, as the record named by type.");
        continue;
      }
      properties.set(field.name(), value(field.schema(), field.doc()));
      if (!field.hasDefaultValue() && !field.name().equals("recordedAt")) {
        required.add(field.name());
      }
    }
    ((ObjectNode) properties.get("recordedAt"))
        .put(
            "description",
            "When it was recorded. Leave it out and Parley stamps the time it arrived.");
    ArrayNode allOf = NODES.arrayNode();
    for (Schema branch : branches) {
      ObjectNode rule = allOf.addObject();
      ObjectNode when = rule.putObject("if");
      when.putObject("properties").putObject("type").put("const", branch.getName());
      when.putArray("required").add("type");
      ObjectNode then = rule.putObject("then");
      then.putObject("properties").putObject("payload").put("$ref", ref(branch));
      if (!branch.getFields().stream().allMatch(Field::hasDefaultValue)) {
        then.putArray("required")
            .add("payload"); // a payload of defaults only (ClockTick's) may be left out
      }
    }
    root.set("required", required);
    root.put("additionalProperties", false);
    root.set("allOf", allOf);
    ObjectNode defs = root.putObject("$defs");
    definitions.forEach(defs::set);
    return root;
  }

  private ObjectNode value(Schema schema, String doc) {
    ObjectNode node = value(schema);
    if (doc != null && !node.has("$ref")) {
      node.put("description", doc);
    } else if (doc != null) {
      ObjectNode wrapped = NODES.objectNode();
      wrapped.put("description", doc);
      wrapped.setAll(node);
      return wrapped;
    }
    return node;
  }

  private ObjectNode value(Schema schema) {
    ObjectNode node = NODES.objectNode();
    switch (schema.getType()) {
      case RECORD, ENUM -> node.put("$ref", ref(schema));
      case UNION -> {
        ArrayNode anyOf = node.putArray("anyOf");
        for (Schema type : schema.getTypes()) {
          anyOf.add(
              type.getType() == Schema.Type.NULL
                  ? NODES.objectNode().put("type", "null")
                  : value(type));
        }
      }
      case ARRAY -> {
        node.put("type", "array");
        node.set("items", value(schema.getElementType()));
      }
      case MAP -> {
        node.put("type", "object");
        node.set("additionalProperties", value(schema.getValueType()));
      }
      case STRING -> node.put("type", "string");
      case LONG -> {
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          node.put("type", "string")
              .put("format", "date-time")
              .put(
                  "pattern",
                  "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?(Z|[+-]\\d\\d:\\d\\d)$");
        } else {
          node.put("type", "integer");
        }
      }
      case INT ->
          node.put("type", "integer")
              .put("minimum", Integer.MIN_VALUE)
              .put("maximum", Integer.MAX_VALUE);
      case DOUBLE, FLOAT -> node.put("type", "number");
      case BOOLEAN -> node.put("type", "boolean");
      case NULL -> node.put("type", "null");
      default -> throw new IllegalStateException("no JSON form for Avro type " + schema.getType());
    }
    return node;
  }

  /** A named type once in $defs, referred to everywhere else. */
  private String ref(Schema named) {
    String name = named.getName();
    if (!definitions.containsKey(name)) {
      ObjectNode definition = NODES.objectNode();
      definitions.put(name, definition); // before the fields: a record may refer to itself
      if (named.getDoc() != null) {
        definition.put("description", named.getDoc());
      }
      if (named.getType() == Schema.Type.ENUM) {
        ArrayNode symbols = definition.putArray("enum");
        named.getEnumSymbols().forEach(symbols::add);
      } else {
        definition.put("type", "object");
        ObjectNode properties = definition.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (Field field : named.getFields()) {
          properties.set(field.name(), value(field.schema(), field.doc()));
          // As JsonForm reads: only a field with a default may be left out.
          if (!field.hasDefaultValue()) {
            required.add(field.name());
          }
        }
        if (!required.isEmpty()) {
          definition.set("required", required);
        }
        definition.put("additionalProperties", false);
      }
    }
    return "#/$defs/" + name;
  }

  /** Writes the schema to each path given (the build passes the jar's copy). */
  public static void main(String[] args) throws IOException {
    String text =
        JsonForm.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(generate()) + "\n";
    for (String arg : args) {
      Path file = Path.of(arg);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text);
    }
  }
}
