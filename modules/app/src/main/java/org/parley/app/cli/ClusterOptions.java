package org.parley.app.cli;

import java.util.List;
import java.util.Map;
import org.parley.app.runtime.TopicAdmin;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where Kafka is, and how to talk to it: the same options for every command that needs a cluster,
 * spelled as Kafka's own tools and kcat spell them (--bootstrap-server, -X key=value). `up` and
 * `run` declare their own -b, because there it means something else (optional: start a broker;
 * required).
 */
final class ClusterOptions {
  @Option(
      names = {"-b", "--bootstrap-servers", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      defaultValue = "localhost:9092",
      description =
          "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, where `parley up` puts its broker).")
  String bootstrapServers;

  @Mixin ClientOptions client;

  Map<String, Object> clientProperties() {
    return client.properties();
  }

  /** Fails before any work, naming what to run, when a topic the command needs is missing. */
  void requireTopics(String... names) {
    try (TopicAdmin admin = new TopicAdmin(bootstrapServers, clientProperties())) {
      admin.requireTopics(List.of(names));
    }
  }
}
