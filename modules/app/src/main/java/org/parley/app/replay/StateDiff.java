package org.parley.app.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.parley.avro.TalkState;
import org.parley.model.JsonForm;

/**
 * Two sets of talk states compared talk by talk and field by field, as a person would read the
 * difference.
 */
public final class StateDiff {
  static final int MAX_FIELDS_PER_TALK = 10;

  private StateDiff() {}

  /** One line per talk that differs; empty when the two are identical. */
  public static List<String> compare(
      String leftName,
      Map<String, TalkState> left,
      String rightName,
      Map<String, TalkState> right) {
    List<String> lines = new ArrayList<>();
    TreeSet<String> talks = new TreeSet<>(left.keySet());
    talks.addAll(right.keySet());
    for (String talk : talks) {
      if (!right.containsKey(talk)) {
        lines.add(talk + ": only in " + leftName);
      } else if (!left.containsKey(talk)) {
        lines.add(talk + ": only in " + rightName);
      } else {
        List<String> fields = new ArrayList<>();
        differences("", JsonForm.toNode(left.get(talk)), JsonForm.toNode(right.get(talk)), fields);
        if (!fields.isEmpty()) {
          String shown =
              String.join("; ", fields.subList(0, Math.min(MAX_FIELDS_PER_TALK, fields.size())));
          lines.add(
              talk
                  + ": "
                  + shown
                  + (fields.size() > MAX_FIELDS_PER_TALK
                      ? "; and " + (fields.size() - MAX_FIELDS_PER_TALK) + " more"
                      : ""));
        }
      }
    }
    return lines;
  }

  private static void differences(String path, JsonNode left, JsonNode right, List<String> out) {
    if (left.equals(right)) {
      return;
    }
    if (left.isObject() && right.isObject()) {
      TreeMap<String, Boolean> names = new TreeMap<>();
      left.fieldNames().forEachRemaining(n -> names.put(n, true));
      right.fieldNames().forEachRemaining(n -> names.put(n, true));
      for (String name : names.keySet()) {
        differences(
            path.isEmpty() ? name : path + "." + name,
            missingAsNull(left.get(name)),
            missingAsNull(right.get(name)),
            out);
      }
    } else if (left.isArray() && right.isArray()) {
      int common = Math.min(left.size(), right.size());
      Iterator<JsonNode> l = left.elements();
      Iterator<JsonNode> r = right.elements();
      for (int i = 0; i < common; i++) {
        differences(path + "[" + i + "]", l.next(), r.next(), out);
      }
      if (left.size() != right.size()) {
        out.add(path + ": " + left.size() + " items vs " + right.size());
      }
    } else {
      out.add(path + ": " + shorten(left) + " vs " + shorten(right));
    }
  }

  private static JsonNode missingAsNull(JsonNode node) {
    return node == null ? JsonForm.MAPPER.nullNode() : node;
  }

  private static String shorten(JsonNode node) {
    String text = node.toString();
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }
}
