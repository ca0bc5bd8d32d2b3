package org.parley.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where Kafka is, and how to talk to it: the same options for every command that needs a cluster,
 * spelled as Kafka's own tools and kcat spell them (--bootstrap-server, -X key=value).
 */
final class ClusterOptions {
  @Option(names = {"-b", "--bootstrap-servers", "--bootstrap-server"}, paramLabel = "HOST:PORT",
      defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, where `parley up` puts its broker).")
  String bootstrapServers;

  @Option(names = {"--config", "--command-config"}, paramLabel = "FILE",
      description = "Kafka client properties (security.protocol, sasl.*, ssl.*...) under Kafka's own names.")
  Path config;

  @Option(names = "-X", paramLabel = "KEY=VALUE", mapFallbackValue = "",
      description = "One Kafka client property, as kcat takes it (-X security.protocol=SASL_SSL); repeatable,"
          + " and wins over --config.")
  Map<String, String> inline = new LinkedHashMap<>();

  Map<String, Object> clientProperties() {
    return load(config, inline);
  }

  /** Fails before any work, naming what to run, when a topic the command needs is missing. */
  void requireTopics(String... names) {
    try (TopicAdmin admin = new TopicAdmin(bootstrapServers, clientProperties())) {
      admin.requireTopics(List.of(names));
    }
  }

  static Map<String, Object> load(Path file) {
    return load(file, Map.of());
  }

  /** The properties of {@code file} (if any), then the -X ones over them. */
  static Map<String, Object> load(Path file, Map<String, String> inline) {
    Map<String, Object> properties = new HashMap<>();
    if (file != null) {
      Properties loaded = new Properties();
      try (Reader reader = Files.newBufferedReader(file)) {
        loaded.load(reader);
      } catch (IOException e) {
        throw new CommandFailure("cannot read client properties from " + file + ": " + e.getMessage());
      }
      loaded.forEach((k, v) -> properties.put(k.toString(), v.toString().trim()));
    }
    if (inline != null) {
      inline.forEach((k, v) -> properties.put(k.strip(), v.strip()));
    }
    return properties;
  }
}
