package org.parley.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.Schema.Type;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The JSON form of every Parley record, used by the CLI, HTTP and SSE. It is driven by the Avro
 * schema, so it can never drift from the contract:
 *
 * <ul>
 *   <li>times are ISO-8601 strings ({@code 2016-09-09T09:00:00Z}); enums are their symbols;
 *   <li>an optional ({@code ["null", X]}) field is {@code null} or X, and may be left out;
 *   <li>a union of records (an event's {@code payload}) is the record itself, with the record's
 *       name in the field {@code type}, written first.
 * </ul>
 *
 * <p>Reading collects every problem, each with the path of the field it concerns, so a producer
 * learns everything wrong with a line at once. Unknown fields are problems too: a misspelt optional
 * field would otherwise be lost without a word.
 */
public final class JsonForm {

  /**
   * Strict about what reaches the fold: a key given twice ({@code
   * "status":"BREACHED","status":"FULFILLED"}) is refused, not read as its last value, since the
   * two readers of one line could disagree on it.
   */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(
              com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION
                  .mappedFeature());

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String TYPE_FIELD = "type";

  private JsonForm() {}

  // ---------------------------------------------------------------- writing

  public static ObjectNode toNode(SpecificRecord record) {
    return (ObjectNode) write(record.getSchema(), record);
  }

  public static String toJson(SpecificRecord record) {
    return toNode(record).toString();
  }

  private static JsonNode write(Schema schema, Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    switch (schema.getType()) {
      case RECORD -> {
        SpecificRecord record = (SpecificRecord) value;
        ObjectNode node = NODES.objectNode();
        recordUnion(schema)
            .ifPresent(
                f ->
                    node.put(
                        TYPE_FIELD, ((SpecificRecord) record.get(f.pos())).getSchema().getName()));
        for (Field field : schema.getFields()) {
          node.set(field.name(), write(field.schema(), record.get(field.pos())));
        }
        return node;
      }
      case UNION -> {
        int branch = SpecificData.get().resolveUnion(schema, value);
        return write(schema.getTypes().get(branch), value);
      }
      case ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        for (Object item : (Collection<?>) value) {
          array.add(write(schema.getElementType(), item));
        }
        return array;
      }
      case MAP -> {
        ObjectNode node = NODES.objectNode();
        ((Map<?, ?>) value)
            .forEach((k, v) -> node.set(k.toString(), write(schema.getValueType(), v)));
        return node;
      }
      case ENUM -> {
        return NODES.textNode(value.toString());
      }
      case STRING -> {
        return NODES.textNode(value.toString());
      }
      case LONG -> {
        if (value instanceof Instant instant) {
          return NODES.textNode(DateTimeFormatter.ISO_INSTANT.format(instant));
        }
        return NODES.numberNode((Long) value);
      }
      case INT -> {
        return NODES.numberNode((Integer) value);
      }
      case DOUBLE -> {
        return NODES.numberNode((Double) value);
      }
      case FLOAT -> {
        return NODES.numberNode((Float) value);
      }
      case BOOLEAN -> {
        return NODES.booleanNode((Boolean) value);
      }
      default -> throw new IllegalStateException("no JSON form for Avro type " + schema.getType());
    }
  }

  // ---------------------------------------------------------------- reading

  /** Reads one JSON text into a record of the given type, or says everything wrong with it. */
  public static <T extends SpecificRecord> T read(String json, Class<T> type) throws InvalidRecord {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidRecord(List.of(new Problem("", jsonError(e))));
    }
    return read(node, type);
  }

  /**
   * A JSON parse error for a person. Jackson's limits (nesting deeper than 1,000, a string of more
   * than 20 million characters) carry no location, so the column is given only when known.
   */
  public static String jsonError(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message != null && message.length() > 300) {
      message = message.substring(0, 300) + "...";
    }
    var location = e.getLocation();
    return "not valid JSON: "
        + message
        + (location == null || location.getColumnNr() < 1
            ? ""
            : " (at column " + location.getColumnNr() + ")");
  }

  public static <T extends SpecificRecord> T read(JsonNode node, Class<T> type)
      throws InvalidRecord {
    if (node == null || node.isMissingNode()) {
      throw new InvalidRecord(List.of(new Problem("", "empty input")));
    }
    Schema schema = SpecificData.get().getSchema(type);
    List<Problem> problems = new ArrayList<>();
    Object value = readValue(schema, node, "", problems);
    if (!problems.isEmpty()) {
      throw new InvalidRecord(problems);
    }
    return type.cast(value);
  }

  private static Object readValue(
      Schema schema, JsonNode node, String path, List<Problem> problems) {
    switch (schema.getType()) {
      case RECORD -> {
        return readRecord(schema, node, path, problems);
      }
      case UNION -> {
        Schema nonNull = optionalType(schema);
        if (nonNull == null) {
          throw new IllegalStateException(
              "union of records at " + path + " needs a 'type' sibling");
        }
        return node.isNull() ? null : readValue(nonNull, node, path, problems);
      }
      case ARRAY -> {
        if (!node.isArray()) {
          return problem(problems, path, "expected a list, got " + describe(node));
        }
        List<Object> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
          items.add(
              readValue(schema.getElementType(), node.get(i), path + "[" + i + "]", problems));
        }
        return items;
      }
      case MAP -> {
        if (!node.isObject()) {
          return problem(problems, path, "expected an object, got " + describe(node));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.properties()
            .forEach(
                e ->
                    map.put(
                        e.getKey(),
                        readValue(
                            schema.getValueType(),
                            e.getValue(),
                            join(path, e.getKey()),
                            problems)));
        return map;
      }
      case ENUM -> {
        if (!node.isTextual()) {
          return problem(
              problems,
              path,
              "expected one of "
                  + String.join(", ", schema.getEnumSymbols())
                  + ", got "
                  + describe(node));
        }
        if (!schema.getEnumSymbols().contains(node.textValue())) {
          return problem(
              problems,
              path,
              quote(node.textValue())
                  + " is not one of "
                  + String.join(", ", schema.getEnumSymbols()));
        }
        return SpecificData.getForSchema(schema).createEnum(node.textValue(), schema);
      }
      case STRING -> {
        if (!node.isTextual()) {
          return problem(problems, path, "expected text, got " + describe(node));
        }
        return node.textValue();
      }
      case LONG -> {
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          return readInstant(node, path, problems);
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
          return problem(problems, path, "expected a whole number, got " + describe(node));
        }
        return node.longValue();
      }
      case INT -> {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
          return problem(problems, path, "expected a whole number, got " + describe(node));
        }
        return node.intValue();
      }
      case DOUBLE -> {
        if (!node.isNumber()) {
          return problem(problems, path, "expected a number, got " + describe(node));
        }
        return node.doubleValue();
      }
      case BOOLEAN -> {
        if (!node.isBoolean()) {
          return problem(problems, path, "expected true or false, got " + describe(node));
        }
        return node.booleanValue();
      }
      default -> throw new IllegalStateException("no JSON form for Avro type " + schema.getType());
    }
  }

  private static Object readRecord(
      Schema schema, JsonNode node, String path, List<Problem> problems) {
    if (!node.isObject()) {
      return problem(problems, path, "expected an object, got " + describe(node));
    }
    SpecificData model = SpecificData.getForSchema(schema);
    SpecificRecord record = (SpecificRecord) model.newRecord(null, schema);
    var union = recordUnion(schema);
    Schema chosen = null;
    if (union.isPresent()) {
      chosen =
          chooseBranch(
              union.get().schema(), node.get(TYPE_FIELD), join(path, TYPE_FIELD), problems);
    }
    for (Field field : schema.getFields()) {
      String fieldPath = join(path, field.name());
      JsonNode value = node.get(field.name());
      Schema fieldSchema = union.isPresent() && field == union.get() ? chosen : field.schema();
      if (fieldSchema == null) {
        continue; // the type was wrong; reported already
      }
      if (value == null) {
        if (field.hasDefaultValue()) {
          record.put(field.pos(), model.getDefaultValue(field));
        } else if (union.isPresent()
            && field == union.get()
            && fieldSchema.getFields().stream().allMatch(Field::hasDefaultValue)) {
          // A payload whose every field has a default may be left out whole (a ClockTick's).
          record.put(
              field.pos(),
              readRecord(fieldSchema, JsonForm.MAPPER.createObjectNode(), fieldPath, problems));
        } else {
          problems.add(new Problem(fieldPath, "missing (required)"));
        }
        continue;
      }
      if (value.isNull() && !isOptional(fieldSchema)) {
        problems.add(new Problem(fieldPath, "must not be null"));
        continue;
      }
      record.put(field.pos(), readValue(fieldSchema, value, fieldPath, problems));
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      boolean known =
          schema.getField(name) != null || (union.isPresent() && name.equals(TYPE_FIELD));
      if (!known) {
        problems.add(
            new Problem(
                join(path, name),
                "unknown field for "
                    + schema.getName()
                    + " (its fields: "
                    + schema.getFields().stream().map(Field::name).collect(Collectors.joining(", "))
                    + ")"));
      }
    }
    return record;
  }

  private static Schema chooseBranch(
      Schema union, JsonNode type, String path, List<Problem> problems) {
    List<String> names = union.getTypes().stream().map(Schema::getName).toList();
    if (type == null || !type.isTextual()) {
      problems.add(
          new Problem(path, "missing: say which of " + String.join(", ", names) + " this is"));
      return null;
    }
    for (Schema branch : union.getTypes()) {
      if (branch.getName().equals(type.textValue())) {
        return branch;
      }
    }
    String suggestion =
        Spelling.closest(type.textValue(), names).map(s -> "; did you mean " + s + "?").orElse("");
    problems.add(
        new Problem(
            path,
            quote(type.textValue())
                + " is not a known type"
                + suggestion
                + " (known: "
                + String.join(", ", names)
                + ")"));
    return null;
  }

  private static Instant readInstant(JsonNode node, String path, List<Problem> problems) {
    String example = "an ISO-8601 time such as 2016-09-09T09:00:00Z";
    if (!node.isTextual()) {
      problem(problems, path, "expected " + example + ", got " + describe(node));
      return null;
    }
    try {
      // To the millisecond, as the schemas' timestamp-millis keep it: an event read from JSON is
      // then the event the log will hold, whether it is folded before it is written or after.
      return OffsetDateTime.parse(node.textValue())
          .toInstant()
          .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    } catch (DateTimeException e) {
      problem(problems, path, quote(node.textValue()) + " is not " + example);
      return null;
    }
  }

  // ---------------------------------------------------------------- schema helpers

  /** The field holding a union of records, if the record has one (an event's payload). */
  static java.util.Optional<Field> recordUnion(Schema record) {
    return record.getFields().stream()
        .filter(f -> f.schema().getType() == Type.UNION && optionalType(f.schema()) == null)
        .findFirst();
  }

  /** X for a union ["null", X]; null for any other union. */
  static Schema optionalType(Schema union) {
    List<Schema> types = union.getTypes();
    if (types.size() == 2 && types.get(0).getType() == Type.NULL) {
      return types.get(1);
    }
    return null;
  }

  private static boolean isOptional(Schema schema) {
    return schema.getType() == Type.UNION && schema.getTypes().get(0).getType() == Type.NULL;
  }

  private static Object problem(List<Problem> problems, String path, String message) {
    problems.add(new Problem(path, message));
    return null;
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String quote(String text) {
    String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
    return "'" + shown + "'";
  }

  private static String describe(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "text " + quote(node.textValue());
    }
    if (node.isContainerNode()) {
      return node.isArray() ? "a list" : "an object";
    }
    return node.getNodeType().name().toLowerCase() + " " + node;
  }
}
