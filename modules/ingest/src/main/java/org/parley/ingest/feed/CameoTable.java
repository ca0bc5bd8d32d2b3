package org.parley.ingest.feed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The CAMEO 1.1b3 event codes and their descriptions, as pinned in {@code
 * parley/cameo/cameo-1.1b3.tsv}. The table is checked line by line when it is read: a malformed
 * line would otherwise surface, much later, inside an import summary (as "1056
 * (...engagement106:[-5.0] Demand withdrawal)" once did).
 */
public final class CameoTable {
  static final String RESOURCE = "/parley/cameo/cameo-1.1b3.tsv";
  private static final Pattern CODE = Pattern.compile("\\d{2,4}");

  /**
   * A description with another line run into it: a code, a colon or a Goldstein weight like [-5.0].
   */
  private static final Pattern RUN_IN = Pattern.compile("\\d{2,4}:|\\[-?\\d|\\t");

  private static final Map<String, String> CODES;

  static {
    try (InputStream in = CameoTable.class.getResourceAsStream(RESOURCE)) {
      CODES = parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CameoTable() {}

  public static Optional<String> description(String code) {
    return Optional.ofNullable(CODES.get(code));
  }

  public static boolean known(String code) {
    return CODES.containsKey(code);
  }

  /** Every code, in the table's order. */
  static Map<String, String> codes() {
    return CODES;
  }

  /**
   * Reads a table, refusing it whole if any line is malformed; the message names every bad line.
   */
  static Map<String, String> parse(InputStream input) throws IOException {
    Map<String, String> codes = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    String previous = "";
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
      int number = 0;
      for (String line; (line = reader.readLine()) != null; ) {
        number++;
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String problem = problem(line, codes, previous);
        if (problem != null) {
          problems.add("line " + number + ": " + problem + ": " + line);
          continue;
        }
        String[] parts = line.split("\t", -1);
        codes.put(parts[0], parts[1]);
        previous = parts[0];
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("malformed CAMEO table: " + String.join("; ", problems));
    }
    return codes;
  }

  private static String problem(String line, Map<String, String> codes, String previous) {
    String[] parts = line.split("\t", -1);
    if (parts.length != 2) {
      return "expected code<TAB>description, found " + parts.length + " tab-separated fields";
    }
    String code = parts[0];
    String description = parts[1];
    if (!CODE.matcher(code).matches()) {
      return "'" + code + "' is not a 2-4 digit code";
    }
    if (codes.containsKey(code)) {
      return "code " + code + " appears twice";
    }
    if (code.compareTo(previous) <= 0) {
      return "code " + code + " comes after " + previous + " (codes are in order)";
    }
    if (code.length() > 2 && !codes.containsKey(code.substring(0, code.length() - 1))) {
      return "code "
          + code
          + " has no parent "
          + code.substring(0, code.length() - 1)
          + " above it";
    }
    if (description.isBlank()
        || !description.equals(description.strip())
        || description.contains("  ")) {
      return "the description is blank or has stray spaces";
    }
    if (RUN_IN.matcher(description).find()) {
      return "the description has another entry run into it";
    }
    return null;
  }
}
