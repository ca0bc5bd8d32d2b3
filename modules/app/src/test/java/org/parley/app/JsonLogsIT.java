package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.model.JsonForm;

/**
 * `--log-format json`: every log line on stderr is one JSON object a log collector can read; stdout
 * is unchanged.
 */
class JsonLogsIT {
  @TempDir Path dataDir;

  @Test
  void withJsonLogsEveryLineOnStderrIsAJsonObjectWithLevelLoggerAndMessage() throws Exception {
    List<String> err;
    try (ChildProcess up =
        ChildProcess.parley(
            "up",
            "--data-dir",
            dataDir.toString(),
            "--port",
            "" + GatewayIT.freePort(),
            "--controller-port",
            "" + GatewayIT.freePort(),
            "--no-gateway",
            "--no-demo",
            "--log-format",
            "json")) {
      up.awaitLine(l -> l.startsWith("Parley is up"), Duration.ofSeconds(120));
      up.stop();
      err = up.err();
      assertThat(up.out()).anyMatch(l -> l.startsWith("Kafka bootstrap servers: localhost:"));
    }
    assertThat(err)
        .isNotEmpty()
        .allSatisfy(
            line -> {
              JsonNode log = JsonForm.MAPPER.readTree(line);
              assertThat(log.get("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
              assertThat(log.get("loggerName").asText()).isNotBlank();
              assertThat(log.has("formattedMessage")).isTrue();
            });
    assertThat(err).anyMatch(l -> l.contains("\"loggerName\":\"org.parley.topology.Pipeline\""));
  }

  @Test
  void theJarEnablesNativeAccessSoThatNewerJavasDoNotWarnAboutRocksDbOnStderr() throws Exception {
    // Java 24 and later print a plain-text warning when RocksDB or zstd load their libraries,
    // unless the jar enables native access; CI runs Java 17, where only the manifest can be
    // checked.
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(ChildProcess.jar().toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Enable-Native-Access"))
          .isEqualTo("ALL-UNNAMED");
    }
  }
}
