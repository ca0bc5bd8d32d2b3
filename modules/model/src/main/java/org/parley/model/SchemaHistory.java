package org.parley.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Earlier versions of the published schemas, kept in {@code schemas/history} so that records
 * written by an older Parley still decode. {@code versions.txt} there lists them, oldest first.
 */
public final class SchemaHistory {

  static final String DIRECTORY = "parley/schemas/history/";

  /** One historic schema: its label (e.g. "v1") and the full, self-contained schema. */
  public record Version(String file, String label, Schema schema) {}

  private static final List<Version> VERSIONS = load();

  private SchemaHistory() {}

  public static List<Version> all() {
    return VERSIONS;
  }

  public static List<Version> versionsOf(String fullName) {
    return VERSIONS.stream().filter(v -> v.schema().getFullName().equals(fullName)).toList();
  }

  private static List<Version> load() {
    List<Version> versions = new ArrayList<>();
    for (String file : lines(DIRECTORY + "versions.txt")) {
      String label = file.substring(file.lastIndexOf('-') + 1, file.length() - ".avsc".length());
      try (InputStream in = resource(DIRECTORY + file)) {
        versions.add(new Version(file, label, new Schema.Parser().parse(in)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read historic schema " + file, e);
      }
    }
    return List.copyOf(versions);
  }

  private static List<String> lines(String path) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(resource(path), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  private static InputStream resource(String path) {
    InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException("missing resource " + path + " (is parley-model built?)");
    }
    return in;
  }
}
