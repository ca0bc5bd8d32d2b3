package org.parley.app.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka client properties as the user gives them: a properties file under Kafka's own names, then
 * -X ones.
 */
public final class ClientProperties {
  private ClientProperties() {}

  public static Map<String, Object> load(Path file) {
    return load(file, Map.of());
  }

  /** The properties of {@code file} (if any), then the -X ones over them. */
  public static Map<String, Object> load(Path file, Map<String, String> inline) {
    Map<String, Object> properties = new HashMap<>();
    if (file != null) {
      Properties loaded = new Properties();
      try (Reader reader = Files.newBufferedReader(file)) {
        loaded.load(reader);
      } catch (IOException e) {
        throw new CommandFailure(
            "cannot read client properties from " + file + ": " + e.getMessage());
      }
      loaded.forEach((k, v) -> properties.put(k.toString(), v.toString().trim()));
    }
    if (inline != null) {
      inline.forEach((k, v) -> properties.put(k.strip(), v.strip()));
    }
    return properties;
  }
}
