package org.parley.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkAnnounced;

/**
 * What an event must satisfy on its own, whatever door it came through (a JSON line, an HTTP body
 * or raw Avro bytes on the topic): ids that are ids, texts that are text and not too long, times in
 * a sane range. What depends on the talk's state (an unknown commitment, say) is the core's
 * business, not this class's.
 *
 * <p>The checks are driven by the schema, and worked out from it once: fields named {@code *Id} and
 * the id lists {@code conditionalOn} and {@code inEffect} are ids; other strings are text.
 */
public final class EventValidator {

  public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
  public static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");
  public static final int MAX_ID_LENGTH = 200;
  public static final int MAX_TEXT_LENGTH = 2_000;
  public static final int MAX_STATEMENT_LENGTH = 20_000;
  public static final int MAX_LIST_ITEMS = 100;

  /**
   * The characters an id may have, the same at every door: ASCII letters and digits and {@code . _
   * - : / @ + # ~ = ( )}. No spaces of any kind, nothing invisible (zero-width, bidi controls, line
   * separators) and no look-alikes from other scripts: two ids that look the same are the same.
   */
  public static final String ID_CHARACTERS = "A-Z a-z 0-9 . _ - : / @ + # ~ = ( )";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._\\-:/@+#~=()]+");
  private static final Set<String> ID_LISTS = Set.of("conditionalOn", "inEffect");

  private EventValidator() {}

  public static List<Problem> problems(DiplomaticEvent event) {
    List<Problem> problems = new ArrayList<>();
    Check plan = event.getSchema() == EVENT_SCHEMA ? EVENT_PLAN : plan(event.getSchema(), null);
    plan.check(event, null, null, -1, problems);
    if (event.getPayload() instanceof TalkAnnounced announced && announced.getParties().isEmpty()) {
      problems.add(new Problem("payload.parties", "name at least one party"));
    }
    return problems;
  }

  /**
   * Where a value is in the event ({@code payload.parties[2]}), spelled out only for a problem:
   * most events have none, and building every field's path as text cost more than checking it.
   */
  private record Path(Path parent, String name, int index) {
    Path field(String field) {
      return new Path(this, field, -1);
    }

    Path item(int i) {
      return new Path(this, null, i);
    }

    @Override
    public String toString() {
      String prefix = parent == null || parent.isRoot() ? "" : parent.toString();
      return name == null
          ? prefix + "[" + index + "]"
          : prefix.isEmpty() ? name : prefix + "." + name;
    }

    boolean isRoot() {
      return name == null && index < 0;
    }

    /** The place of a value: field {@code name} of this one, or else its item {@code index}. */
    Path at(String name, int index) {
      return name != null ? field(name) : index >= 0 ? item(index) : this;
    }
  }

  private static final Path ROOT = new Path(null, null, -1);

  /**
   * The checks of one value, worked out once from its schema and its field's name: walking the
   * schema for every event (its fields, a union's branches by name) cost more than the checks. A
   * value's place is its parent's path and its own field name or item index, made into a path only
   * when a problem is found or a record or list is entered.
   */
  private interface Check {
    void check(Object value, Path parent, String name, int index, List<Problem> problems);
  }

  private static final Check NOTHING = (value, parent, name, index, problems) -> {};

  // Built when the class is initialised, from the constants declared above it (ID_LISTS, ROOT,
  // NOTHING): keep it below them.
  private static final Schema EVENT_SCHEMA = DiplomaticEvent.getClassSchema();
  private static final Check EVENT_PLAN = plan(EVENT_SCHEMA, null);

  /** The check of a value of {@code schema} in a field named {@code name}. */
  private static Check plan(Schema schema, String name) {
    return switch (schema.getType()) {
      case UNION -> union(schema, name);
      case RECORD -> record(schema);
      case ARRAY -> array(schema, name);
      case STRING -> {
        if (name.endsWith("Id")) {
          yield value(text -> idProblem(text.toString()));
        }
        int limit = name.equals("text") ? MAX_STATEMENT_LENGTH : MAX_TEXT_LENGTH;
        yield value(text -> textProblem(text.toString(), limit));
      }
      case LONG ->
          schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
              ? value(EventValidator::timeProblem)
              : NOTHING;
      default -> NOTHING;
    };
  }

  private static Check record(Schema schema) {
    List<Field> fields = schema.getFields();
    int[] positions = new int[fields.size()];
    String[] names = new String[fields.size()];
    Check[] checks = new Check[fields.size()];
    for (int i = 0; i < checks.length; i++) {
      Field field = fields.get(i);
      positions[i] = field.pos();
      names[i] = field.name();
      checks[i] = plan(field.schema(), field.name());
    }
    return (value, parent, name, index, problems) -> {
      SpecificRecord record = (SpecificRecord) value;
      Path at = parent == null ? ROOT : parent.at(name, index);
      for (int i = 0; i < checks.length; i++) {
        Object field = record.get(positions[i]);
        if (field != null) { // the schema decides what may be null; JSON and Avro enforce it
          checks[i].check(field, at, names[i], -1, problems);
        }
      }
    };
  }

  private static Check array(Schema schema, String name) {
    Check item = plan(schema.getElementType(), ID_LISTS.contains(name) ? "itemId" : name);
    return (value, parent, field, index, problems) -> {
      Collection<?> items = (Collection<?>) value;
      if (items.isEmpty()) {
        return;
      }
      Path at = parent.at(field, index);
      if (items.size() > MAX_LIST_ITEMS) {
        problems.add(
            new Problem(
                at.toString(), items.size() + " items, more than the limit of " + MAX_LIST_ITEMS));
        return;
      }
      int i = 0;
      for (Object each : items) {
        if (each != null) {
          item.check(each, at, null, i, problems);
        }
        i++;
      }
    };
  }

  /**
   * A union's value is checked as its first branch that it matches, null aside. A record branch is
   * found first by its generated class, which is what its full name means for a specific record; a
   * value whose class is not one of them (another class loader's, say) is matched by name, as the
   * branches come.
   */
  private static Check union(Schema schema, String name) {
    List<Schema> branches =
        schema.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
    Check[] checks = branches.stream().map(branch -> plan(branch, name)).toArray(Check[]::new);
    java.util.Map<Class<?>, Check> byClass = new java.util.HashMap<>();
    for (int i = 0; i < checks.length; i++) {
      if (branches.get(i).getType() == Schema.Type.RECORD) {
        Class<?> generated = SpecificData.get().getClass(branches.get(i));
        if (generated != null) {
          byClass.putIfAbsent(generated, checks[i]);
        }
      }
    }
    return (value, parent, field, index, problems) -> {
      Check found = byClass.get(value.getClass());
      if (found != null) {
        found.check(value, parent, field, index, problems);
        return;
      }
      for (int i = 0; i < checks.length; i++) {
        if (matches(branches.get(i), value)) {
          checks[i].check(value, parent, field, index, problems);
          return;
        }
      }
    };
  }

  /**
   * The check of a single value: {@code problemOf} says what is wrong with it (null for nothing),
   * and the problem is given the value's place here, once for every kind of value.
   */
  private static Check value(Function<Object, String> problemOf) {
    return (value, parent, field, index, problems) -> {
      String problem = problemOf.apply(value);
      if (problem != null) {
        problems.add(new Problem(parent.at(field, index).toString(), problem));
      }
    };
  }

  private static String timeProblem(Object value) {
    Instant time = (Instant) value;
    return time.isBefore(EARLIEST) || !time.isBefore(LATEST)
        ? time + " is out of range (" + EARLIEST + " to " + LATEST + ")"
        : null;
  }

  private static String idProblem(String text) {
    if (text.isEmpty()) {
      return "must not be empty";
    }
    if (text.length() > MAX_ID_LENGTH) {
      return "an id of " + text.length() + " characters; the limit is " + MAX_ID_LENGTH;
    }
    if (!isId(text)) {
      int bad = firstOutside(text);
      return String.format(
          "an id must not contain spaces or control characters, and may"
              + " have only %s: '%s' has U+%04X at character %d",
          ID_CHARACTERS, printable(text), text.codePointAt(bad), bad + 1);
    }
    return null;
  }

  private static String textProblem(String text, int limit) {
    if (text.isBlank()) {
      return "must not be blank";
    }
    if (text.length() > limit) {
      return text.length() + " characters, more than the limit of " + limit;
    }
    if (text.indexOf('\uFFFD') >= 0) {
      return "contains invalid UTF-8 (a U+FFFD replacement character)";
    }
    return hasControlCharacter(text) ? "contains a control character" : null;
  }

  /** The same as matching {@code ID}, without a matcher per id. */
  private static boolean isId(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || "._-:/@+#~=()".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasControlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r') {
        return true;
      }
    }
    return false;
  }

  private static int firstOutside(String id) {
    for (int i = 0; i < id.length(); i++) {
      if (!ID.matcher(id.substring(i, i + 1)).matches()) {
        return i;
      }
    }
    return 0;
  }

  /** The id as it can be shown: anything outside the id characters written as a U+ code. */
  private static String printable(String id) {
    StringBuilder out = new StringBuilder();
    id.codePoints()
        .forEach(
            c -> {
              if (c < 128 && c >= 32 && c != 127) {
                out.appendCodePoint(c);
              } else {
                out.append(String.format("<U+%04X>", c));
              }
            });
    return out.toString();
  }

  private static boolean matches(Schema branch, Object value) {
    return switch (branch.getType()) {
      case RECORD ->
          value instanceof SpecificRecord r
              && r.getSchema().getFullName().equals(branch.getFullName());
      case STRING -> value instanceof CharSequence;
      case LONG -> value instanceof Long || value instanceof Instant;
      case ARRAY -> value instanceof Collection;
      default -> true;
    };
  }
}
