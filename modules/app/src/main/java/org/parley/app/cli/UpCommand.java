package org.parley.app.cli;

import org.parley.app.ParleyInstance;
import org.parley.app.replay.EventLog;
import org.parley.app.replay.ImportPublisher;
import org.parley.app.runtime.ClockKeys;
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.Security;
import org.parley.app.runtime.TopicAdmin;
import org.parley.app.runtime.EmbeddedBroker;
import org.parley.app.runtime.Logging;
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
import org.parley.ingest.EventLines;
import org.parley.ingest.EventPublisher;
import org.parley.client.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "up", mixinStandardHelpOptions = true,
    description = {
        "Run Parley on this machine: an embedded Kafka broker (unless --bootstrap-servers is given), its topics,",
        "the pipeline and the clock ticker; the first time, load the seed story. Prints each alert as it",
        "happens. Ctrl-C stops it cleanly; run it again on the same --data-dir to carry on where it stopped."})
final class UpCommand implements Callable<Integer> {
  static final String SEED_RESOURCE = "parley/seed/geneva-2016.ndjson";
  static final String SEED_MARKER = "seed-story-loaded";

  @Spec
  CommandSpec spec;

  @Mixin
  Logging.Options logging;

  @Mixin
  PipelineOptions pipeline;

  @Mixin
  GatewayOptions gateway;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
      description = "Where the broker's log and the pipeline's stores live (default: ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = {"-b", "--bootstrap-servers", "--bootstrap-server"}, paramLabel = "HOST:PORT",
      description = "Use this Kafka cluster instead of starting one.")
  String bootstrapServers;

  @Mixin
  ClientOptions clientOptions;

  @Option(names = "--port", defaultValue = "" + EmbeddedBroker.DEFAULT_PORT,
      description = "Port of the embedded broker (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--controller-port", defaultValue = "" + EmbeddedBroker.DEFAULT_CONTROLLER_PORT,
      description = "Port of the embedded KRaft controller (default: ${DEFAULT-VALUE}).")
  int controllerPort;

  @Option(names = "--partitions", defaultValue = "6", description = "Partitions of new topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--no-demo", negatable = false, description = "Do not load the seed story.")
  boolean noDemo;

  @Option(names = "--secure", negatable = false, description = {
      "Run the embedded broker with SASL/SCRAM and ACLs, with principals for the pipeline, a producer",
      "and a reader; their client settings go to <data-dir>/secure/*.properties (use them with --config)."})
  boolean secure;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(dataDir);
    var gatewaySettings = gateway.settings(dataDir, "localhost", "localhost");
    Topics topics = Topics.standard();
    Map<String, Object> client = clientOptions.properties();
    Map<String, Object> pipelineClient = client;
    EmbeddedBroker broker = null;
    String bootstrap = bootstrapServers;
    if (bootstrap == null) {
      Path logDir = dataDir.resolve("kafka");
      boolean formatted = Files.exists(logDir.resolve("meta.properties"));
      if (secure && formatted && !Security.enabled(dataDir)) {
        throw new CommandFailure(dataDir + " was made without --secure; start a secure Parley in a new --data-dir");
      }
      if (!secure && Security.enabled(dataDir)) {
        throw new CommandFailure(dataDir + " was made with --secure; add --secure");
      }
      if (secure) {
        Security.Principals principals = Security.principals(dataDir);
        broker = EmbeddedBroker.start(new EmbeddedBroker.Settings(logDir, "localhost", port, controllerPort,
            Security.brokerSettings(principals, "localhost", port, controllerPort), Security.scramArguments(principals),
            principals.admin()));
        Security.grant(broker.bootstrapServers(), principals, topics);
        client = principals.admin();
        pipelineClient = principals.pipeline();
      } else {
        broker = EmbeddedBroker.start(new EmbeddedBroker.Settings(logDir, port, controllerPort));
      }
      bootstrap = broker.bootstrapServers();
    } else if (secure) {
      throw new CommandFailure("--secure sets up the embedded broker; for your own cluster, pass its security"
          + " settings with --config");
    }
    Runtime runtime = new Runtime(broker);
    try {
      out.println("Kafka bootstrap servers: " + bootstrap
          + (broker != null ? "   (embedded broker; its log is in " + dataDir.resolve("kafka") + ")" : ""));
      if (secure) {
        out.println("Secure: SASL/SCRAM-SHA-512 with ACLs; principals admin, parley-pipeline, parley-producer and"
            + " parley-reader, their client settings in " + dataDir.resolve(Security.DIR) + "/<principal>.properties"
            + " (e.g. ./parley tail alerts --config " + dataDir.resolve(Security.DIR).resolve("parley-reader.properties")
            + ")");
      }
      try (TopicAdmin admin = new TopicAdmin(bootstrap, client)) {
        List<String> created = admin.create(topics, partitions, broker != null ? 1 : admin.defaultReplication());
        org.parley.gateway.Subscriptions.ensureTopics(bootstrap, client, broker != null ? 1 : admin.defaultReplication());
        out.println("Topics: " + TopicAdmin.names(topics) + (created.isEmpty() ? "" : "   (just created)"));
        // The clock key, made by the principal that may create topics; the pipeline's principal only reads it.
        ClockKeys.seal(bootstrap, client);
      }
      runtime.console = new AlertConsole(bootstrap, client, topics, out);
      if (!noDemo && !(broker != null && Files.exists(dataDir.resolve(SEED_MARKER)))) {
        out.println(loadSeedStory(bootstrap, client, topics));
      }
      runtime.instance = ParleyInstance.start(pipeline.settings(bootstrap, pipelineClient, dataDir, gatewaySettings));
      if (gatewaySettings != null) {
        out.println("Dashboard: http://localhost:" + gatewaySettings.port() + "/   API: http://localhost:"
            + gatewaySettings.port() + "/api/talks   (publishing needs the token in " + tokenSource() + ")");
      }
      out.println("Parley is up. Alerts appear below as they happen; Ctrl-C stops.");
      out.flush();
    } catch (Exception | Error e) {
      runtime.stop();
      throw e;
    }
    runtime.awaitShutdown();
    return 0;
  }

  private String tokenSource() {
    if (gateway.token != null) {
      return "--gateway-token";
    }
    return System.getenv(GatewayOptions.TOKEN_ENV) != null ? "$" + GatewayOptions.TOKEN_ENV
        : dataDir.resolve(GatewayOptions.TOKEN_FILE).toString();
  }

  /**
   * Publishes the seed story's events that the events topic does not hold yet: a cluster shared by
   * several `up`s, or one where the story was loaded before, gets it once. Only the partitions of the
   * story's talks are read to find out. The marker saves the embedded broker that read next time.
   */
  private String loadSeedStory(String bootstrap, Map<String, Object> client, Topics topics) throws Exception {
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
      int partitions = log.partitions();
      Set<Integer> storyPartitions = new HashSet<>();
      read.events().forEach(e -> storyPartitions.add(EventLog.partitionOf(e.getTalkId(), partitions)));
      ImportPublisher importer = new ImportPublisher(log, publisher, storyPartitions);
      read.events().forEach(importer::offer);
      importer.flush();
      published = importer.published();
    }
    Files.writeString(dataDir.resolve(SEED_MARKER), "published " + published + " events\n");
    int all = read.events().size();
    if (published == all) {
      return "Loaded the seed story: " + all + " events of the 2016 Geneva talks on a Syria cease-fire.";
    }
    return published == 0 ? "The seed story is on the cluster already (" + all + " events); nothing was loaded."
        : "Loaded " + published + " events of the seed story; the other " + (all - published) + " were there already.";
  }

  /** What `up` started, stopped in reverse order on Ctrl-C: the pipeline commits before the broker goes. */
  private static final class Runtime {
    private EmbeddedBroker broker;
    private final CountDownLatch stopped = new CountDownLatch(1);
    AlertConsole console;
    ParleyInstance instance;

    Runtime(EmbeddedBroker broker) {
      this.broker = broker;
    }

    void awaitShutdown() throws InterruptedException {
      java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stop();
        stopped.countDown();
      }, "parley-shutdown"));
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
