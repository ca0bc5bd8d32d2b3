package org.parley.app.cli;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.parley.app.ParleyInstance;
import org.parley.topology.Pipeline;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How the pipeline runs: the same options for `parley up` and `parley run`. */
final class PipelineOptions {
  @Option(
      names = "--application-id",
      defaultValue = Pipeline.DEFAULT_APPLICATION_ID,
      description =
          "Kafka Streams application id: instances with the same id share the work (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(
      names = "--tick-interval",
      defaultValue = "60s",
      converter = DurationArgument.class,
      description =
          "How often to publish clock ticks so deadlines pass while nobody talks (default: ${DEFAULT-VALUE}).")
  Duration tickInterval;

  @Option(
      names = "--no-ticker",
      negatable = false,
      description = "Publish no clock ticks (another instance ticks, or time should stand still).")
  boolean noTicker;

  @Mixin FoldOptions fold;

  @Option(
      names = "--instance-id",
      description = "Names this instance in logs and clock-tick ids (default: host name).")
  String instanceId;

  /**
   * Refuses bad fold settings (horizons, quiet period, future tolerance): the commands call it
   * first, before a broker starts or a topic is made.
   */
  void check() {
    fold.fold();
    fold.futureTolerance();
  }

  ParleyInstance.Settings settings(
      String bootstrapServers,
      Map<String, Object> client,
      Path dataDir,
      org.parley.gateway.Gateway.Settings gateway) {
    return new ParleyInstance.Settings(
        bootstrapServers,
        client,
        dataDir.resolve("streams"),
        applicationId,
        noTicker ? null : tickInterval,
        fold.horizons(),
        fold.quietAfter(),
        fold.futureTolerance(),
        instanceId != null ? instanceId : hostName(),
        gateway);
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "parley";
    }
  }
}
