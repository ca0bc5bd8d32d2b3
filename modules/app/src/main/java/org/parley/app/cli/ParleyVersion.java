package org.parley.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * `parley --version`: Parley's version and those of Kafka and Avro, as the poms say (a filtered
 * resource).
 */
final class ParleyVersion implements IVersionProvider {
  static final String RESOURCE = "parley/version.properties";

  @Override
  public String[] getVersion() throws IOException {
    Properties versions = new Properties();
    try (InputStream in = ParleyVersion.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is missing from the build");
      }
      versions.load(in);
    }
    return new String[] {
      "Parley "
          + versions.getProperty("parley.version")
          + " (Kafka "
          + versions.getProperty("kafka.version")
          + ", Avro "
          + versions.getProperty("avro.version")
          + ")"
    };
  }
}
