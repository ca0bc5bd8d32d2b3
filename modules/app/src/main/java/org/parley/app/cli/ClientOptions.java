package org.parley.app.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.parley.app.runtime.ClientProperties;
import picocli.CommandLine.Option;

/**
 * How to talk to Kafka: client properties from a file and from -X, the same for every command that
 * has a cluster.
 */
final class ClientOptions {
  @Option(
      names = {"--config", "--command-config"},
      paramLabel = "FILE",
      description =
          "Kafka client properties (security.protocol, sasl.*, ssl.*...) under Kafka's own names.")
  Path config;

  @Option(
      names = "-X",
      paramLabel = "KEY=VALUE",
      mapFallbackValue = "",
      description =
          "One Kafka client property, as kcat takes it (-X security.protocol=SASL_SSL); repeatable,"
              + " and wins over --config.")
  Map<String, String> inline = new LinkedHashMap<>();

  Map<String, Object> properties() {
    return ClientProperties.load(config, inline);
  }
}
