package org.parley.app.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.parley.client.ParleyClients;
import org.parley.client.Topics;

/**
 * Creates Parley's topics with the right settings, idempotently, and says how existing ones
 * compare.
 */
public final class TopicAdmin implements AutoCloseable {
  private final Admin admin;
  private final String bootstrapServers;

  public TopicAdmin(String bootstrapServers, Map<String, Object> clientProperties) {
    Map<String, Object> config = ParleyClients.adminConfig(bootstrapServers, clientProperties);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    ClusterCheck.reachable(bootstrapServers);
    this.admin = Admin.create(config);
    this.bootstrapServers = bootstrapServers;
    try {
      ClusterCheck.answers(admin, bootstrapServers);
    } catch (CommandFailure e) {
      admin.close(java.time.Duration.ZERO);
      throw e;
    }
  }

  /** Fails with a message a person can act on when the cluster cannot be reached. */
  public int brokerCount() {
    try {
      return admin.describeCluster().nodes().get(15, TimeUnit.SECONDS).size();
    } catch (Exception e) {
      throw new CommandFailure(
          "cannot reach Kafka at "
              + bootstrapServers
              + " ("
              + rootMessage(e)
              + "): is it running, and are --bootstrap-servers and --config right?");
    }
  }

  /**
   * The replication factor to use when none is given: three where the cluster has three brokers,
   * else all of them.
   */
  public short defaultReplication() {
    return (short) Math.min(3, brokerCount());
  }

  /**
   * Creates the topics that are missing; returns the names created. Existing topics are left as
   * they are.
   */
  public List<String> create(Topics topics, int partitions, short replication) {
    Set<String> existing = names();
    List<NewTopic> missing = new ArrayList<>();
    for (Topics.Spec spec : topics.specs()) {
      if (!existing.contains(spec.name())) {
        missing.add(new NewTopic(spec.name(), partitions, replication).configs(spec.config()));
      }
    }
    List<String> created = new ArrayList<>();
    for (var entry : admin.createTopics(missing).values().entrySet()) {
      try {
        entry.getValue().get();
        created.add(entry.getKey());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new CommandFailure("cannot create topic " + entry.getKey() + ": " + rootMessage(e));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailure("interrupted while creating topics");
      }
    }
    return created;
  }

  /**
   * Creates topics none of which may exist yet: adds to {@code made} the name of each one it made
   * (even when another fails, so that the caller removes what it made and only that), and fails
   * naming a topic that existed already or could not be made.
   */
  public void createNew(
      List<Topics.Spec> specs, int partitions, short replication, List<String> made) {
    List<NewTopic> topics = new ArrayList<>();
    for (Topics.Spec spec : specs) {
      topics.add(new NewTopic(spec.name(), partitions, replication).configs(spec.config()));
    }
    String problem = null;
    var results = admin.createTopics(topics).values();
    for (NewTopic topic : topics) { // in the order given, so that what was made is named in it
      try {
        results.get(topic.name()).get();
        made.add(topic.name());
      } catch (ExecutionException e) {
        if (problem == null) {
          problem =
              e.getCause() instanceof TopicExistsException
                  ? "topic " + topic.name() + " exists already"
                  : "cannot create topic " + topic.name() + ": " + rootMessage(e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailure("interrupted while creating topics");
      }
    }
    if (problem != null) {
      throw new CommandFailure(problem);
    }
  }

  /** The replication factor of an existing topic. */
  public short replicationOf(String topic) {
    try {
      return (short)
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get()
              .get(topic)
              .partitions()
              .get(0)
              .replicas()
              .size();
    } catch (ExecutionException e) {
      throw new CommandFailure("cannot describe topic " + topic + ": " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailure("interrupted");
    }
  }

  /** Fails, naming what to run, when a topic the command needs is missing. */
  public void requireTopics(Collection<String> names) {
    Set<String> existing = names();
    List<String> missing = names.stream().filter(n -> !existing.contains(n)).toList();
    if (!missing.isEmpty()) {
      throw new CommandFailure(
          "topic "
              + String.join(", ", missing)
              + " does not exist on "
              + bootstrapServers
              + ", or these credentials may not see it: create Parley's topics with `parley topics create` (or start"
              + " `parley up`), or use a principal allowed to use it");
    }
  }

  /**
   * One line per topic: partitions, replication, the settings Parley cares about, and any drift
   * from them.
   */
  public List<String> describe(Topics topics) {
    Set<String> existing = names();
    List<String> lines = new ArrayList<>();
    try {
      List<String> present =
          topics.specs().stream().map(Topics.Spec::name).filter(existing::contains).toList();
      Map<String, TopicDescription> descriptions =
          admin.describeTopics(present).allTopicNames().get();
      Map<ConfigResource, Config> configs =
          admin
              .describeConfigs(
                  present.stream()
                      .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                      .toList())
              .all()
              .get();
      for (Topics.Spec spec : topics.specs()) {
        if (!existing.contains(spec.name())) {
          lines.add(spec.name() + "  MISSING (run `parley topics create`)");
          continue;
        }
        TopicDescription description = descriptions.get(spec.name());
        Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
        List<String> settings = new ArrayList<>();
        List<String> drift = new ArrayList<>();
        for (var wanted : new java.util.TreeMap<>(spec.config()).entrySet()) {
          ConfigEntry actual = config.get(wanted.getKey());
          String value = actual == null ? null : actual.value();
          settings.add(wanted.getKey() + "=" + value);
          if (!wanted.getValue().equals(value)) {
            drift.add(wanted.getKey() + " is " + value + ", Parley expects " + wanted.getValue());
          }
        }
        lines.add(
            String.format(
                "%s  partitions=%d replication=%d %s%s",
                spec.name(),
                description.partitions().size(),
                description.partitions().get(0).replicas().size(),
                String.join(" ", settings),
                drift.isEmpty() ? "" : "  DRIFT: " + String.join("; ", drift)));
      }
    } catch (ExecutionException e) {
      throw new CommandFailure("cannot describe topics: " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailure("interrupted");
    }
    return lines;
  }

  private Set<String> names() {
    try {
      return admin.listTopics().names().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new CommandFailure(
          "cannot list topics on "
              + bootstrapServers
              + " ("
              + rootMessage(e)
              + "): is Kafka running there?");
    }
  }

  public Admin admin() {
    return admin;
  }

  public static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  @Override
  public void close() {
    admin.close();
  }

  /** Topic names, for messages. */
  public static String names(Topics topics) {
    return topics.specs().stream().map(Topics.Spec::name).collect(Collectors.joining(", "));
  }
}
