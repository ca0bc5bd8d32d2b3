package org.parley.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.specific.SpecificRecord;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkAnnounced;

/**
 * What an event must satisfy on its own, whatever door it came through (a JSON line, an HTTP body
 * or raw Avro bytes on the topic): ids that are ids, texts that are text and not too long, times in
 * a sane range. What depends on the talk's state (an unknown commitment, say) is the core's
 * business, not this class's.
 *
 * <p>The walk is driven by the schema: fields named {@code *Id} and the id lists {@code
 * conditionalOn} and {@code inEffect} are ids; other strings are text.
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
    check(event.getSchema(), event, null, problems);
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
  }

  private static final Path ROOT = new Path(null, null, -1);

  private static void check(
      Schema schema, SpecificRecord record, Path path, List<Problem> problems) {
    Path at = path == null ? ROOT : path;
    for (Field field : schema.getFields()) {
      checkValue(
          field.name(), field.schema(), record.get(field.pos()), at.field(field.name()), problems);
    }
  }

  private static void checkValue(
      String name, Schema schema, Object value, Path at, List<Problem> problems) {
    if (value == null) {
      return; // the schema decides what may be null; JSON reading and Avro decoding enforce it
    }
    switch (schema.getType()) {
      case UNION -> {
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() != Schema.Type.NULL && matches(branch, value)) {
            checkValue(name, branch, value, at, problems);
            return;
          }
        }
      }
      case RECORD -> check(schema, (SpecificRecord) value, at, problems);
      case ARRAY -> {
        Collection<?> items = (Collection<?>) value;
        if (items.size() > MAX_LIST_ITEMS) {
          problems.add(
              new Problem(
                  at.toString(),
                  items.size() + " items, more than the limit of " + MAX_LIST_ITEMS));
          return;
        }
        int i = 0;
        String itemName = ID_LISTS.contains(name) ? "itemId" : name;
        for (Object item : items) {
          checkValue(itemName, schema.getElementType(), item, at.item(i++), problems);
        }
      }
      case STRING -> checkString(name, value.toString(), at, problems);
      case LONG -> {
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          Instant time = (Instant) value;
          if (time.isBefore(EARLIEST) || !time.isBefore(LATEST)) {
            problems.add(
                new Problem(
                    at.toString(), time + " is out of range (" + EARLIEST + " to " + LATEST + ")"));
          }
        }
      }
      default -> {}
    }
  }

  private static void checkString(String name, String text, Path at, List<Problem> problems) {
    if (name.endsWith("Id")) {
      if (text.isEmpty()) {
        problems.add(new Problem(at.toString(), "must not be empty"));
      } else if (text.length() > MAX_ID_LENGTH) {
        problems.add(
            new Problem(
                at.toString(),
                "an id of " + text.length() + " characters; the limit is " + MAX_ID_LENGTH));
      } else if (!isId(text)) {
        int bad = firstOutside(text);
        problems.add(
            new Problem(
                at.toString(),
                String.format(
                    "an id must not contain spaces or control characters, and may"
                        + " have only %s: '%s' has U+%04X at character %d",
                    ID_CHARACTERS, printable(text), text.codePointAt(bad), bad + 1)));
      }
      return;
    }
    int limit = name.equals("text") ? MAX_STATEMENT_LENGTH : MAX_TEXT_LENGTH;
    if (text.isBlank()) {
      problems.add(new Problem(at.toString(), "must not be blank"));
    } else if (text.length() > limit) {
      problems.add(
          new Problem(
              at.toString(), text.length() + " characters, more than the limit of " + limit));
    } else if (text.indexOf('\uFFFD') >= 0) {
      problems.add(
          new Problem(at.toString(), "contains invalid UTF-8 (a U+FFFD replacement character)"));
    } else if (hasControlCharacter(text)) {
      problems.add(new Problem(at.toString(), "contains a control character"));
    }
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
