package org.parley.app.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.parley.client.ParleyClients;
import org.parley.client.Topics;
import org.parley.topology.Pipeline;

/**
 * `parley up --secure`: the embedded broker with SASL/SCRAM-SHA-512 on its client listener and ACLs
 * enforced by the standard authorizer, and four principals, each allowed only its job:
 *
 * <ul>
 *   <li>{@code admin}: the super user, for topics and ACLs;
 *   <li>{@code parley-pipeline}: reads events and writes talk state, alerts and dead letters (and
 *       events, for the clock ticker and the gateway), owns its internal topics, group and
 *       transactions;
 *   <li>{@code parley-producer}: writes events, nothing else;
 *   <li>{@code parley-reader}: reads talk state, alerts and dead letters, nothing else.
 * </ul>
 *
 * <p>Passwords are random, made once, and kept in {@code <data-dir>/secure/<principal>.properties}
 * (readable by their owner only) as Kafka client settings, ready for {@code --config}. The
 * controller listener, which only this node uses, authenticates the admin with SASL/PLAIN.
 */
public final class Security {
  public static final String DIR = "secure";
  static final String MECHANISM = "SCRAM-SHA-512";
  public static final List<String> PRINCIPALS =
      List.of("admin", "parley-pipeline", "parley-producer", "parley-reader");

  /** The commands the producer principal runs: publish, import and import-feed. */
  static final List<String> PRODUCER_PURPOSES = List.of("publish", "import", "feed");

  /** Kafka client settings for each principal, by name. */
  public record Principals(Map<String, Map<String, Object>> clients) {
    public Map<String, Object> admin() {
      return clients.get("admin");
    }

    public Map<String, Object> pipeline() {
      return clients.get("parley-pipeline");
    }

    Map<String, Object> producer() {
      return clients.get("parley-producer");
    }

    Map<String, Object> reader() {
      return clients.get("parley-reader");
    }

    public String password(String principal) {
      String jaas = clients.get(principal).get("sasl.jaas.config").toString();
      return jaas.replaceFirst(".*password=\"([^\"]*)\".*", "$1");
    }
  }

  private Security() {}

  public static boolean enabled(Path dataDir) {
    return Files.exists(dataDir.resolve(DIR).resolve("admin.properties"));
  }

  /** The principals of this data directory, made (with new passwords) the first time. */
  public static Principals principals(Path dataDir) throws IOException {
    // The broker's log (every topic, the SCRAM hashes) and the stores lie under the data directory,
    // around the ACLs: only its owner may enter it. Done on every start, so an older directory is
    // closed too.
    Files.createDirectories(dataDir);
    restrict(dataDir, "rwx------");
    Path dir = dataDir.resolve(DIR);
    if (!Files.exists(dir)) {
      Files.createDirectories(dir);
      restrict(dir, "rwx------");
      SecureRandom random = new SecureRandom();
      for (String principal : PRINCIPALS) {
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Path file = dir.resolve(principal + ".properties");
        Files.writeString(
            file,
            "# Kafka client settings for the principal "
                + principal
                + " of `parley up --secure`\n"
                + "security.protocol=SASL_PLAINTEXT\nsasl.mechanism="
                + MECHANISM
                + "\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + principal
                + "\" password=\""
                + password
                + "\";\n");
        restrict(file, "rw-------");
      }
    }
    Map<String, Map<String, Object>> clients = new LinkedHashMap<>();
    for (String principal : PRINCIPALS) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(dir.resolve(principal + ".properties"))) {
        properties.load(reader);
      }
      Map<String, Object> client = new HashMap<>();
      properties.forEach((k, v) -> client.put(k.toString(), v.toString()));
      clients.put(principal, client);
    }
    return new Principals(clients);
  }

  /**
   * The broker settings: SASL on the client listener, PLAIN on the controller's, the authorizer,
   * the admin as super user.
   */
  public static Map<String, String> brokerSettings(
      Principals principals, String host, int port, int controllerPort) {
    String admin = principals.password("admin");
    Map<String, String> settings = new HashMap<>();
    settings.put(
        "listeners",
        "SASL_PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    settings.put("advertised.listeners", "SASL_PLAINTEXT://" + host + ":" + port);
    settings.put(
        "listener.security.protocol.map",
        "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    settings.put("inter.broker.listener.name", "SASL_PLAINTEXT");
    settings.put("sasl.enabled.mechanisms", MECHANISM);
    settings.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    settings.put(
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\""
            + admin
            + "\";");
    settings.put("sasl.mechanism.controller.protocol", "PLAIN");
    settings.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    settings.put(
        "listener.name.controller.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\""
            + admin
            + "\" user_admin=\""
            + admin
            + "\";");
    settings.put(
        "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    settings.put("allow.everyone.if.no.acl.found", "false");
    settings.put("super.users", "User:admin");
    return settings;
  }

  /**
   * The admin's SCRAM credential, written when the log directory is formatted (the broker needs it
   * to start).
   */
  public static List<String> scramArguments(Principals principals) {
    return List.of(MECHANISM + "=[name=admin,password=" + principals.password("admin") + "]");
  }

  /** Creates the other principals' credentials and their ACLs; safe to run again. */
  public static void grant(String bootstrap, Principals principals, Topics topics)
      throws InterruptedException {
    try (Admin admin = ParleyClients.admin(bootstrap, principals.admin())) {
      List<UserScramCredentialUpsertion> users = new ArrayList<>();
      for (String principal : PRINCIPALS.subList(1, PRINCIPALS.size())) {
        users.add(
            new UserScramCredentialUpsertion(
                principal,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                principals.password(principal)));
      }
      admin.alterUserScramCredentials(new ArrayList<>(users)).all().get();
      admin.createAcls(acls(topics)).all().get();
    } catch (ExecutionException e) {
      throw new CommandFailure("cannot set up principals and ACLs: " + TopicAdmin.rootMessage(e));
    }
  }

  static List<AclBinding> acls(Topics topics) {
    List<AclBinding> acls = new ArrayList<>();
    String pipeline = "User:parley-pipeline";
    String producer = "User:parley-producer";
    String reader = "User:parley-reader";
    // The pipeline: the public topics, its own internal topics, group and transactions.
    allow(
        acls,
        pipeline,
        ResourceType.TOPIC,
        "parley.",
        PatternType.PREFIXED,
        AclOperation.READ,
        AclOperation.WRITE,
        AclOperation.DESCRIBE,
        AclOperation.DESCRIBE_CONFIGS);
    allow(
        acls,
        pipeline,
        ResourceType.TOPIC,
        Pipeline.DEFAULT_APPLICATION_ID + "-",
        PatternType.PREFIXED,
        AclOperation.ALL);
    allow(
        acls,
        pipeline,
        ResourceType.GROUP,
        Pipeline.DEFAULT_APPLICATION_ID,
        PatternType.PREFIXED,
        AclOperation.READ,
        AclOperation.DESCRIBE);
    allow(
        acls,
        pipeline,
        ResourceType.TRANSACTIONAL_ID,
        "parley",
        PatternType.PREFIXED,
        AclOperation.WRITE,
        AclOperation.DESCRIBE);
    allow(
        acls,
        pipeline,
        ResourceType.CLUSTER,
        "kafka-cluster",
        PatternType.LITERAL,
        AclOperation.IDEMPOTENT_WRITE,
        AclOperation.DESCRIBE);
    // The producer: events, and its transactions.
    allow(
        acls,
        producer,
        ResourceType.TOPIC,
        topics.events().name(),
        PatternType.LITERAL,
        AclOperation.WRITE,
        AclOperation.DESCRIBE);
    // Only the transactional ids of the commands it runs (EventPublisher names them
    // parley-<purpose>-<uuid>):
    // with all of parley-, it could fence the gateway's, the ticker's and the pipeline's own
    // producers.
    for (String purpose : PRODUCER_PURPOSES) {
      allow(
          acls,
          producer,
          ResourceType.TRANSACTIONAL_ID,
          "parley-" + purpose + "-",
          PatternType.PREFIXED,
          AclOperation.WRITE,
          AclOperation.DESCRIBE);
    }
    allow(
        acls,
        producer,
        ResourceType.CLUSTER,
        "kafka-cluster",
        PatternType.LITERAL,
        AclOperation.IDEMPOTENT_WRITE);
    // The reader: what Parley produces.
    // The clock key too, so that its time travel judges clock ticks as the pipeline does; it cannot
    // write events.
    for (String topic :
        List.of(
            topics.talkState().name(),
            topics.alerts().name(),
            topics.deadLetters().name(),
            Topics.CLOCK_KEY)) {
      allow(
          acls,
          reader,
          ResourceType.TOPIC,
          topic,
          PatternType.LITERAL,
          AclOperation.READ,
          AclOperation.DESCRIBE);
    }
    return acls;
  }

  private static void allow(
      List<AclBinding> acls,
      String principal,
      ResourceType type,
      String name,
      PatternType pattern,
      AclOperation... operations) {
    for (AclOperation operation : operations) {
      acls.add(
          new AclBinding(
              new ResourcePattern(type, name, pattern),
              new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
    }
  }

  private static void restrict(Path path, String permissions) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
  }
}
