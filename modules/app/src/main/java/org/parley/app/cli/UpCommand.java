package org.parley.app.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.parley.app.ParleyInstance;
import org.parley.app.replay.EventLog;
import org.parley.app.replay.ImportPublisher;
import org.parley.app.runtime.ClockKeys;
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.EmbeddedBroker;
import org.parley.app.runtime.Logging;
import org.parley.app.runtime.Security;
import org.parley.app.runtime.TopicAdmin;
import org.parley.client.Topics;
import org.parley.gateway.Gateway;
import org.parley.gateway.Subscriptions;
import org.parley.ingest.EventLines;
import org.parley.ingest.EventPublisher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "up",
    description = {
      "Run Parley on this machine: an embedded Kafka broker (unless --bootstrap-servers is given), its topics,",
      "the pipeline and the clock ticker; the first time, load the seed story. Prints each alert as it",
      "happens. Ctrl-C stops it cleanly; run it again on the same --data-dir to carry on where it stopped."
    })
final class UpCommand implements Callable<Integer> {
  static final String SEED_RESOURCE = "parley/seed/geneva-2016.ndjson";
  static final String SEED_MARKER = "seed-story-loaded";

  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Mixin PipelineOptions pipeline;

  @Mixin GatewayOptions gateway;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description =
          "Where the broker's log and the pipeline's stores live (default: ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = {"-b", "--bootstrap-servers", "--bootstrap-server"},
      paramLabel = "HOST:PORT",
      description = "Use this Kafka cluster instead of starting one.")
  String bootstrapServers;

  @Mixin ClientOptions clientOptions;

  @Option(
      names = "--port",
      defaultValue = "" + EmbeddedBroker.DEFAULT_PORT,
      description = "Port of the embedded broker (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--controller-port",
      defaultValue = "" + EmbeddedBroker.DEFAULT_CONTROLLER_PORT,
      description = "Port of the embedded KRaft controller (default: ${DEFAULT-VALUE}).")
  int controllerPort;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      description = "Partitions of new topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--no-demo", negatable = false, description = "Do not load the seed story.")
  boolean noDemo;

  @Option(
      names = "--secure",
      negatable = false,
      description = {
        "Run the embedded broker with SASL/SCRAM and ACLs, with principals for the pipeline, a producer",
        "and a reader; their client settings go to <data-dir>/secure/*.properties (use them with --config)."
      })
  boolean secure;

  @Override
  public Integer call() throws Exception {
    pipeline.check();
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(dataDir);
    Gateway.Settings gatewaySettings = gateway.settings(dataDir, "localhost", "localhost");
    Topics topics = Topics.standard();
    Cluster cluster = cluster(topics);
    Started started = new Started(cluster.broker());
    try {
      describe(cluster, out);
      createTopics(cluster, topics, out);
      started.console = new AlertConsole(cluster.bootstrap(), cluster.admin(), topics, out);
      if (!noDemo && !(cluster.embedded() && Files.exists(dataDir.resolve(SEED_MARKER)))) {
        out.println(loadSeedStory(cluster.bootstrap(), cluster.admin(), topics));
      }
      started.instance =
          ParleyInstance.start(
              pipeline.settings(cluster.bootstrap(), cluster.pipeline(), dataDir, gatewaySettings));
      announce(gatewaySettings, out);
    } catch (Exception | Error e) {
      started.stop();
      throw e;
    }
    started.awaitShutdown();
    return 0;
  }

  /**
   * Where Kafka is, the broker started here (null for a cluster given with -b), and the client
   * settings of the admin (topics, ACLs, the seed story) and of the pipeline: the same, except with
   * --secure.
   */
  private record Cluster(
      String bootstrap,
      EmbeddedBroker broker,
      Map<String, Object> admin,
      Map<String, Object> pipeline) {
    boolean embedded() {
      return broker != null;
    }
  }

  /**
   * The cluster given with -b, or an embedded broker started on the data directory (with SASL and
   * ACLs if --secure).
   */
  private Cluster cluster(Topics topics) throws Exception {
    Map<String, Object> client = clientOptions.properties();
    if (bootstrapServers != null) {
      if (secure) {
        throw new CommandFailure(
            "--secure sets up the embedded broker; for your own cluster, pass its security"
                + " settings with --config");
      }
      return new Cluster(bootstrapServers, null, client, client);
    }
    Path logDir = dataDir.resolve("kafka");
    boolean formatted = Files.exists(logDir.resolve("meta.properties"));
    if (secure && formatted && !Security.enabled(dataDir)) {
      throw new CommandFailure(
          dataDir + " was made without --secure; start a secure Parley in a new --data-dir");
    }
    if (!secure && Security.enabled(dataDir)) {
      throw new CommandFailure(dataDir + " was made with --secure; add --secure");
    }
    if (!secure) {
      EmbeddedBroker broker =
          EmbeddedBroker.start(new EmbeddedBroker.Settings(logDir, port, controllerPort));
      return new Cluster(broker.bootstrapServers(), broker, client, client);
    }
    Security.Principals principals = Security.principals(dataDir);
    EmbeddedBroker broker =
        EmbeddedBroker.start(
            new EmbeddedBroker.Settings(
                logDir,
                "localhost",
                port,
                controllerPort,
                Security.brokerSettings(principals, "localhost", port, controllerPort),
                Security.scramArguments(principals),
                principals.admin()));
    try {
      Security.grant(broker.bootstrapServers(), principals, topics);
    } catch (Exception | Error e) {
      broker.close();
      throw e;
    }
    return new Cluster(
        broker.bootstrapServers(), broker, principals.admin(), principals.pipeline());
  }

  private void describe(Cluster cluster, PrintWriter out) {
    out.println(
        "Kafka bootstrap servers: "
            + cluster.bootstrap()
            + (cluster.embedded()
                ? "   (embedded broker; its log is in " + dataDir.resolve("kafka") + ")"
                : ""));
    if (secure) {
      out.println(
          "Secure: SASL/SCRAM-SHA-512 with ACLs; principals admin, parley-pipeline, parley-producer and"
              + " parley-reader, their client settings in "
              + dataDir.resolve(Security.DIR)
              + "/<principal>.properties"
              + " (e.g. ./parley tail alerts --config "
              + dataDir.resolve(Security.DIR).resolve("parley-reader.properties")
              + ")");
    }
  }

  /** Parley's topics, the gateway's subscription topics and the clock key, made if missing. */
  private void createTopics(Cluster cluster, Topics topics, PrintWriter out) {
    try (TopicAdmin admin = new TopicAdmin(cluster.bootstrap(), cluster.admin())) {
      short replication = cluster.embedded() ? 1 : admin.defaultReplication();
      List<String> created = admin.create(topics, partitions, replication);
      Subscriptions.ensureTopics(cluster.bootstrap(), cluster.admin(), replication);
      out.println(
          "Topics: " + TopicAdmin.names(topics) + (created.isEmpty() ? "" : "   (just created)"));
      // The clock key, made by the principal that may create topics; the pipeline's principal only
      // reads it.
      ClockKeys.seal(cluster.bootstrap(), cluster.admin());
    }
  }

  private void announce(Gateway.Settings gatewaySettings, PrintWriter out) {
    if (gatewaySettings != null) {
      out.println(
          "Dashboard: http://localhost:"
              + gatewaySettings.port()
              + "/   API: http://localhost:"
              + gatewaySettings.port()
              + "/api/talks   (publishing needs the token in "
              + tokenSource()
              + ")");
    }
    out.println("Parley is up. Alerts appear below as they happen; Ctrl-C stops.");
    out.flush();
  }

  private String tokenSource() {
    if (gateway.token != null) {
      return "--gateway-token";
    }
    return System.getenv(GatewayOptions.TOKEN_ENV) != null
        ? "$" + GatewayOptions.TOKEN_ENV
        : dataDir.resolve(GatewayOptions.TOKEN_FILE).toString();
  }

  /**
   * Publishes the seed story's events that the events topic does not hold yet: a cluster shared by
   * several `up`s, or one where the story was loaded before, gets it once. Only the partitions of
   * the story's talks are read to find out. The marker saves the embedded broker that read next
   * time.
   */
  private String loadSeedStory(String bootstrap, Map<String, Object> client, Topics topics)
      throws Exception {
    EventLines.Read read;
    try (InputStream in = UpCommand.class.getClassLoader().getResourceAsStream(SEED_RESOURCE)) {
      read = new EventLines(Clock.systemUTC()).read(in);
    }
    if (!read.ok()) {
      throw new IllegalStateException("the bundled seed story is invalid: " + read.problems());
    }
    long published;
    try (EventLog log = new EventLog(bootstrap, client, topics.events().name());
        EventPublisher publisher = new EventPublisher(bootstrap, client, topics.events(), "seed")) {
      Set<Integer> storyPartitions = new HashSet<>();
      read.events().forEach(e -> storyPartitions.add(log.partitionOf(e.getTalkId())));
      ImportPublisher importer = new ImportPublisher(log, publisher, storyPartitions);
      read.events().forEach(importer::offer);
      importer.flush();
      published = importer.published();
    }
    Files.writeString(dataDir.resolve(SEED_MARKER), "published " + published + " events\n");
    int all = read.events().size();
    if (published == all) {
      return "Loaded the seed story: "
          + all
          + " events of the 2016 Geneva talks on a Syria cease-fire.";
    }
    return published == 0
        ? "The seed story is on the cluster already (" + all + " events); nothing was loaded."
        : "Loaded "
            + published
            + " events of the seed story; the other "
            + (all - published)
            + " were there already.";
  }

  /**
   * What `up` started, stopped in reverse order on Ctrl-C: the pipeline commits before the broker
   * goes.
   */
  private static final class Started {
    private EmbeddedBroker broker;
    private final CountDownLatch stopped = new CountDownLatch(1);
    AlertConsole console;
    ParleyInstance instance;

    Started(EmbeddedBroker broker) {
      this.broker = broker;
    }

    void awaitShutdown() throws InterruptedException {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stop();
                    stopped.countDown();
                  },
                  "parley-shutdown"));
      stopped.await();
    }

    synchronized void stop() {
      if (instance != null) {
        instance.close();
        instance = null;
      }
      if (console != null) {
        console.close();
        console = null;
      }
      if (broker != null) {
        broker.close();
        broker = null;
      }
    }
  }
}
