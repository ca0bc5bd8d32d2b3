package org.parley.ingest.feed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The CAMEO 1.1b3 event codes and their descriptions, as pinned in {@code parley/cameo/cameo-1.1b3.tsv}. */
public final class CameoTable {
  private static final Map<String, String> CODES = load();

  private CameoTable() {}

  public static Optional<String> description(String code) {
    return Optional.ofNullable(CODES.get(code));
  }

  public static boolean known(String code) {
    return CODES.containsKey(code);
  }

  private static Map<String, String> load() {
    Map<String, String> codes = new LinkedHashMap<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        CameoTable.class.getResourceAsStream("/parley/cameo/cameo-1.1b3.tsv"), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (!line.startsWith("#") && !line.isBlank()) {
          String[] parts = line.split("\t", 2);
          codes.put(parts[0], parts[1]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return codes;
  }
}
