package org.parley.app.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.parley.avro.Alert;
import org.parley.model.JsonForm;

/**
 * How `tail` prints a record: {@code json} (the value's JSON form, one per line, as before), {@code
 * text} (one line for a person), or a kcat-style template with the record's coordinates: %t topic,
 * %p partition, %o offset, %T timestamp (ms since the epoch, as kcat), %D timestamp (ISO-8601), %k
 * key, %s value (its JSON form), %S value size in bytes, %h headers, %% a percent sign; \n and \t
 * are a new line and a tab. Each record ends with a new line.
 */
final class RecordFormat {
  private final String spec;
  private final List<Function<Printed, String>> parts;

  /** A record with its value already turned to JSON (for %s) and to a line of text (for text). */
  record Printed(ConsumerRecord<byte[], ?> record, String key, String json, String text) {}

  private RecordFormat(String spec, List<Function<Printed, String>> parts) {
    this.spec = spec;
    this.parts = parts;
  }

  static RecordFormat parse(String spec) {
    if (spec.equals("json") || spec.equals("text")) {
      return new RecordFormat(spec, List.of());
    }
    if (!spec.contains("%")) {
      throw new BadUsage(
          "--format: '"
              + spec
              + "' is not json, text or a template with %-fields (%t %p %o %T %D %k"
              + " %s %S %h)");
    }
    List<Function<Printed, String>> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < spec.length(); i++) {
      char c = spec.charAt(i);
      if ((c == '%' || c == '\\') && i + 1 < spec.length()) {
        char next = spec.charAt(++i);
        Function<Printed, String> field = c == '\\' ? null : field(next);
        if (c == '\\') {
          literal.append(next == 'n' ? "\n" : next == 't' ? "\t" : "\\" + next);
          continue;
        }
        if (next == '%') {
          literal.append('%');
          continue;
        }
        if (field == null) {
          throw new BadUsage(
              "--format: %" + next + " is not a field; use %t %p %o %T %D %k %s %S %h or %%");
        }
        String text = literal.toString();
        literal.setLength(0);
        parts.add(p -> text);
        parts.add(field);
      } else {
        literal.append(c);
      }
    }
    String rest = literal.toString().replaceFirst("\n$", ""); // println adds the new line
    parts.add(p -> rest);
    return new RecordFormat(spec, parts);
  }

  private static Function<Printed, String> field(char name) {
    return switch (name) {
      case 't' -> p -> p.record().topic();
      case 'p' -> p -> String.valueOf(p.record().partition());
      case 'o' -> p -> String.valueOf(p.record().offset());
      case 'T' -> p -> String.valueOf(p.record().timestamp());
      case 'D' -> p -> Instant.ofEpochMilli(p.record().timestamp()).toString();
      case 'k' -> p -> p.key() == null ? "" : p.key();
      case 's' -> Printed::json;
      case 'S' -> p -> String.valueOf(Math.max(0, p.record().serializedValueSize()));
      case 'h' -> p -> headers(p.record());
      default -> null;
    };
  }

  String format(Printed printed) {
    if (spec.equals("json")) {
      return printed.json();
    }
    if (spec.equals("text")) {
      return printed.text();
    }
    StringBuilder line = new StringBuilder();
    parts.forEach(part -> line.append(part.apply(printed)));
    return line.toString();
  }

  /** The value in its JSON form. */
  static String json(Object value) {
    return value == null ? "null" : JsonForm.toJson((SpecificRecord) value);
  }

  /** One line for a person: an alert as `parley up` prints it, a talk state in brief. */
  static String text(ConsumerRecord<byte[], ?> record, String key, Object value) {
    if (value instanceof Alert alert) {
      return AlertConsole.line(alert);
    }
    if (value instanceof GenericRecord state) {
      return String.format(
          "%s  %-30s %-10s %s events, last %s",
          Instant.ofEpochMilli(record.timestamp()),
          key,
          field(state, "status"),
          field(state, "eventCount"),
          field(state, "lastEventId"));
    }
    return Instant.ofEpochMilli(record.timestamp()) + "  " + key + "  (deleted)";
  }

  private static Object field(GenericRecord record, String name) {
    return record.getSchema().getField(name) == null ? "?" : record.get(name);
  }

  private static String headers(ConsumerRecord<byte[], ?> record) {
    List<String> all = new ArrayList<>();
    for (Header header : record.headers()) {
      all.add(
          header.key()
              + "="
              + (header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8)));
    }
    return String.join(",", all);
  }
}
