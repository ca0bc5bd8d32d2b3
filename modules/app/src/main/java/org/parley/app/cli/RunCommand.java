package org.parley.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.parley.app.ParleyInstance;
import org.parley.app.runtime.Logging;
import org.parley.app.runtime.TopicAdmin;
import org.parley.client.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    description = {
      "Run the pipeline (and the clock ticker) against an existing Kafka cluster. Creates Parley's topics",
      "if they are missing. Start several with the same --application-id to share the work."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Mixin PipelineOptions pipeline;

  @Mixin GatewayOptions gateway;

  @Option(
      names = {"-b", "--bootstrap-servers", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      required = true,
      description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Mixin ClientOptions clientOptions;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description = "Where the pipeline's stores live (default: ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      description = "Partitions of topics it creates (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--replication-factor",
      description = "Replication of topics it creates (default: 3, or fewer brokers).")
  Short replicationFactor;

  @Option(
      names = "--print-alerts",
      negatable = false,
      description = "Print each alert as one line, as `parley up` does.")
  boolean printAlerts;

  @Override
  public Integer call() throws Exception {
    pipeline.check();
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> client = clientOptions.properties();
    var gatewaySettings = gateway.settings(dataDir, "0.0.0.0", PipelineOptions.hostName());
    Topics topics = Topics.standard();
    try (TopicAdmin admin = new TopicAdmin(bootstrapServers, client)) {
      short replication =
          replicationFactor != null ? replicationFactor : admin.defaultReplication();
      admin.create(topics, partitions, replication);
      org.parley.gateway.Subscriptions.ensureTopics(bootstrapServers, client, replication);
    }
    AlertConsole console =
        printAlerts ? new AlertConsole(bootstrapServers, client, topics, out) : null;
    ParleyInstance instance =
        ParleyInstance.start(pipeline.settings(bootstrapServers, client, dataDir, gatewaySettings));
    out.println(
        "Parley is running against "
            + bootstrapServers
            + " as application '"
            + pipeline.applicationId
            + "'"
            + (gatewaySettings == null ? "" : "; gateway on port " + gatewaySettings.port())
            + "; Ctrl-C stops.");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  instance.close();
                  if (console != null) {
                    console.close();
                  }
                  stopped.countDown();
                },
                "parley-shutdown"));
    stopped.await();
    return 0;
  }
}
