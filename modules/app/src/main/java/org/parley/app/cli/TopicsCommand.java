package org.parley.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.parley.app.runtime.Logging;
import org.parley.app.runtime.TopicAdmin;
import org.parley.client.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "topics",
    description = "Create Parley's topics, or show how they are set up.",
    subcommands = {TopicsCommand.Create.class, TopicsCommand.Describe.class})
final class TopicsCommand {

  @Command(
      name = "create",
      description = {
        "Create the topics that are missing, each with its partitions, replication, cleanup policy",
        "and retention. Safe to run again: existing topics are left alone (see `topics describe`)."
      })
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin Logging.Options logging;

    @Mixin ClusterOptions cluster;

    @Option(
        names = "--partitions",
        defaultValue = "6",
        description = "Partitions (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
        names = "--replication-factor",
        description = "Replication factor (default: 3, or fewer brokers).")
    Short replicationFactor;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      BadUsage.requireAtLeast("--partitions", partitions, 1);
      try (TopicAdmin admin =
          new TopicAdmin(cluster.bootstrapServers, cluster.clientProperties())) {
        short replication =
            replicationFactor != null ? replicationFactor : admin.defaultReplication();
        List<String> created = admin.create(Topics.standard(), partitions, replication);
        out.println(
            created.isEmpty()
                ? "all topics exist; nothing created"
                : "created " + String.join(", ", created));
        admin.describe(Topics.standard()).forEach(out::println);
      }
      return 0;
    }
  }

  @Command(
      name = "describe",
      description =
          "Show each topic's partitions, replication and settings, and any drift from what Parley expects.")
  static final class Describe implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin Logging.Options logging;

    @Mixin ClusterOptions cluster;

    @Override
    public Integer call() {
      try (TopicAdmin admin =
          new TopicAdmin(cluster.bootstrapServers, cluster.clientProperties())) {
        admin.describe(Topics.standard()).forEach(spec.commandLine().getOut()::println);
      }
      return 0;
    }
  }
}
