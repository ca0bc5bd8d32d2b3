package org.parley.app.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.parley.client.ParleyClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Apache Kafka broker, in this process: one KRaft node in combined mode (broker and
 * controller), its log under a data directory so that a restart keeps every event. It is what
 * {@code kafka-storage.sh format} and {@code kafka-server-start.sh} would do, minus the shell.
 *
 * <p>Single-node settings matter: the offsets and transaction-state topics need replication factor
 * 1 and min.insync.replicas 1, or consumers and transactions wait forever.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

  public static final int DEFAULT_PORT = 9092;
  public static final int DEFAULT_CONTROLLER_PORT = 9093;

  /** The one node's id: it is both the broker and the controller. */
  public static final int NODE_ID = 1;

  /**
   * Where and how the broker runs. Extra broker properties (security, say) go in {@code overrides};
   * SCRAM credentials the broker needs from the start in {@code scramCredentials}; and what a
   * client needs to reach it, beyond its address, in {@code client}.
   */
  public record Settings(
      Path logDir,
      String host,
      int port,
      int controllerPort,
      Map<String, String> overrides,
      List<String> scramCredentials,
      Map<String, Object> client) {
    public Settings(Path logDir, int port, int controllerPort) {
      this(logDir, "localhost", port, controllerPort, Map.of(), List.of(), Map.of());
    }
  }

  private final Settings settings;
  private final KafkaRaftServer server;

  private EmbeddedBroker(Settings settings, KafkaRaftServer server) {
    this.settings = settings;
    this.server = server;
  }

  /** Formats the log directory on first use, starts the node and waits until it serves clients. */
  public static EmbeddedBroker start(Settings settings) throws Exception {
    ensurePortFree(settings.host(), settings.port(), "broker");
    ensurePortFree(settings.host(), settings.controllerPort(), "controller");
    Files.createDirectories(settings.logDir());
    if (!settings.scramCredentials().isEmpty()) {
      // A secure broker's log holds every topic and the SCRAM hashes: its owner's alone.
      try {
        Files.setPosixFilePermissions(
            settings.logDir(),
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
    }
    KafkaConfig config = new KafkaConfig(properties(settings), false);
    if (!Files.exists(settings.logDir().resolve("meta.properties"))) {
      format(settings, config);
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    EmbeddedBroker broker = new EmbeddedBroker(settings, server);
    broker.awaitReady(Duration.ofSeconds(60));
    return broker;
  }

  public String bootstrapServers() {
    return settings.host() + ":" + settings.port();
  }

  static Map<String, String> properties(Settings settings) {
    Map<String, String> props = new HashMap<>();
    String host = settings.host();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + settings.controllerPort());
    props.put(
        "listeners",
        "PLAINTEXT://"
            + host
            + ":"
            + settings.port()
            + ",CONTROLLER://"
            + host
            + ":"
            + settings.controllerPort());
    props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + settings.port());
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", settings.logDir().toAbsolutePath().toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "6");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "6");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // Parley creates its topics with their settings; a typo in a topic name must not create one.
    props.put("auto.create.topics.enable", "false");
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    props.put("message.max.bytes", Integer.toString(8 * 1024 * 1024 + 1024));
    props.putAll(settings.overrides());
    return props;
  }

  private static void format(Settings settings, KafkaConfig config) throws Exception {
    String dir = settings.logDir().toAbsolutePath().toString();
    LOG.info("formatting a new Kafka log directory at {}", dir);
    Formatter formatter =
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(config.nodeId())
            .setClusterId(Uuid.randomUuid().toString())
            .setControllerListenerName("CONTROLLER")
            .setMetadataLogDirectory(dir)
            .setDirectories(Set.of(dir))
            .setHasDynamicQuorum(false)
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
    if (!settings.scramCredentials().isEmpty()) {
      formatter.setScramArguments(settings.scramCredentials());
    }
    formatter.run();
  }

  private void awaitReady(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    try (Admin admin = ParleyClients.admin(bootstrapServers(), clientOverrides())) {
      while (true) {
        try {
          admin.describeCluster().nodes().get();
          return;
        } catch (Exception e) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException(
                "the embedded Kafka broker did not become ready within " + timeout, e);
          }
          Thread.sleep(200);
        }
      }
    }
  }

  /**
   * Client settings needed to reach this broker, beyond the bootstrap address (none without
   * security).
   */
  Map<String, Object> clientOverrides() {
    return settings.client();
  }

  private static void ensurePortFree(String host, int port, String what) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new PortInUse(
          String.format(
              "port %d (the embedded Kafka %s) is in use on %s: stop what holds it, or"
                  + " pick other ports with --port and --controller-port",
              port, what, host));
    }
  }

  /** A port Parley needs is taken; the message says which and what to do. */
  public static final class PortInUse extends IOException {
    PortInUse(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
