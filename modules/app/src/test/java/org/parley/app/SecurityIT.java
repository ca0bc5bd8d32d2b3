package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.runtime.ClientProperties;
import org.parley.app.runtime.Security;
import org.parley.avro.DiplomaticEvent;
import org.parley.client.Topics;
import org.parley.model.SeedStory;

/**
 * `parley up --secure` as a user starts it (its own JVM): SASL/SCRAM and ACLs on the embedded
 * broker, each principal allowed only its job, anonymous clients refused, and no secret in its
 * output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {
  @TempDir static Path dir;

  private ChildProcess parley;
  private String bootstrap;
  private Path secure;
  private int gatewayPort;

  @BeforeAll
  void start() throws Exception {
    int port = GatewayIT.freePort();
    gatewayPort = GatewayIT.freePort();
    parley =
        ChildProcess.parley(
            "up",
            "--secure",
            "--data-dir",
            dir.resolve("data").toString(),
            "--port",
            "" + port,
            "--controller-port",
            "" + GatewayIT.freePort(),
            "--gateway-port",
            "" + gatewayPort,
            "--tick-interval",
            "1h");
    // The seed story's alerts show that the pipeline works under its own principal.
    parley.awaitLine(l -> l.contains("DEADLINE_SET"), Duration.ofMinutes(2));
    bootstrap = "localhost:" + port;
    secure = dir.resolve("data").resolve("secure");
  }

  @AfterAll
  void stop() throws Exception {
    parley.stop();
    parley.close();
  }

  private String config(String principal) {
    return secure.resolve(principal + ".properties").toString();
  }

  private Map<String, Object> client(String principal) {
    Map<String, Object> client = new HashMap<>(ClientProperties.load(Path.of(config(principal))));
    client.put("bootstrap.servers", bootstrap);
    return client;
  }

  @Test
  void theReaderReadsAlertsAndTheProducerPublishesEvents() throws Exception {
    Cli alerts =
        Cli.run(
            "tail",
            "alerts",
            "--from-beginning",
            "--exit-at-end",
            "-b",
            bootstrap,
            "--config",
            config("parley-reader"));
    assertThat(alerts.exit()).isZero();
    assertThat(alerts.out().lines()).hasSizeGreaterThanOrEqualTo(10);

    Path story =
        Files.write(
            dir.resolve("story.ndjson"),
            List.of(
                SeedStory.lines()
                    .get(0)
                    .replace("geneva-2016-01", "secure-1")
                    .replace(SeedStory.TALK_ID, "secure-talk")));
    Cli publish =
        Cli.run(
            "publish", story.toString(), "-b", bootstrap, "--config", config("parley-producer"));
    assertThat(publish.exit()).as(publish.err()).isZero();
  }

  @Test
  void theProducerCannotReadAlertsNorWriteTalkState() {
    Cli tail =
        Cli.run(
            "tail",
            "alerts",
            "--from-beginning",
            "--exit-at-end",
            "-b",
            bootstrap,
            "--config",
            config("parley-producer"));
    assertThat(tail.exit()).isEqualTo(1);
    assertThat(tail.err()).contains("these credentials may not see it");

    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            client("parley-producer"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(Topics.ALERTS, 0)));
      consumer.seekToBeginning(consumer.assignment());
      assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
          .isInstanceOf(TopicAuthorizationException.class);
    }
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            client("parley-producer"), new ByteArraySerializer(), new ByteArraySerializer())) {
      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>(Topics.TALK_STATE, new byte[] {1}, new byte[] {1}))
                      .get())
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void aClockTickWrittenByTheProducerPrincipalIsDeadLetteredAndItCannotReadTheClockKey()
      throws Exception {
    DiplomaticEvent tick =
        new org.parley.model.EventScript("clock", "2026-01-01T00:00:00Z")
            .tick("2026-01-01T00:00:00Z");
    tick.setEventId("producer-tick");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            client("parley-producer"), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.EVENTS,
                  "clock".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  org.parley.model.RecordCodec.events().encode(tick)))
          .get();
    }
    try (KafkaConsumer<byte[], byte[]> keys =
        new KafkaConsumer<>(
            client("parley-producer"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      keys.assign(List.of(new org.apache.kafka.common.TopicPartition(Topics.CLOCK_KEY, 0)));
      keys.seekToBeginning(keys.assignment());
      assertThatThrownBy(() -> keys.poll(Duration.ofSeconds(10)))
          .isInstanceOf(TopicAuthorizationException.class);
    }

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              List<String> kinds = new java.util.ArrayList<>();
              try (KafkaConsumer<byte[], byte[]> letters =
                  new KafkaConsumer<>(
                      client("parley-reader"),
                      new ByteArrayDeserializer(),
                      new ByteArrayDeserializer())) {
                var partitions =
                    letters.partitionsFor(Topics.DEAD_LETTERS).stream()
                        .map(
                            p ->
                                new org.apache.kafka.common.TopicPartition(
                                    Topics.DEAD_LETTERS, p.partition()))
                        .toList();
                letters.assign(partitions);
                letters.seekToBeginning(partitions);
                letters
                    .poll(Duration.ofSeconds(2))
                    .forEach(
                        r ->
                            kinds.add(
                                org.parley.topology.DeadLetter.header(
                                    r.headers(), org.parley.topology.DeadLetter.KIND)));
              }
              return kinds.contains("FORGED_TICK");
            });
  }

  @Test
  void theProducerCannotTakeTheGatewaysTickersOrPipelinesTransactionalIds() {
    for (String id :
        List.of(
            "parley-gateway-x",
            "parley-ticker-x",
            "parley-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-1")) {
      Map<String, Object> config = client("parley-producer");
      config.put("transactional.id", id);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
        assertThatThrownBy(producer::initTransactions)
            .as(id)
            .isInstanceOf(
                org.apache.kafka.common.errors.TransactionalIdAuthorizationException.class);
      }
    }
  }

  @Test
  void theSecureDataDirectoryIsItsOwnersAlone() throws Exception {
    for (Path path : List.of(dir.resolve("data"), dir.resolve("data").resolve("kafka"))) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(path)))
          .as(path.toString())
          .isEqualTo("rwx------");
    }
  }

  @Test
  void theReaderCannotWriteEvents() throws Exception {
    Path story = Files.write(dir.resolve("reader.ndjson"), List.of(SeedStory.lines().get(0)));
    Cli publish =
        Cli.run("publish", story.toString(), "-b", bootstrap, "--config", config("parley-reader"));
    assertThat(publish.exit()).isEqualTo(1);

    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            client("parley-reader"), new ByteArraySerializer(), new ByteArraySerializer())) {
      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>(Topics.EVENTS, new byte[] {1}, new byte[] {1}))
                      .get())
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void anAnonymousClientIsRefused() {
    Cli anonymous = Cli.run("topics", "describe", "-b", bootstrap);

    assertThat(anonymous.exit()).isEqualTo(1);
    assertThat(anonymous.err().strip())
        .isEqualTo(
            "parley: Kafka at "
                + bootstrap
                + " accepts connections but did"
                + " not answer within 5 s: if it needs TLS or SASL, give security.protocol and the rest with --config or -X");
  }

  @Test
  void aWrongPasswordIsOneLineNamingTheCredentials() throws Exception {
    Path wrong =
        Files.writeString(
            dir.resolve("wrong.properties"),
            Files.readString(Path.of(config("parley-reader")))
                .replaceFirst("password=\"[^\"]*\"", "password=\"not-the-password\""));

    Cli cli =
        Cli.run(
            "tail",
            "alerts",
            "--exit-at-end",
            "--bootstrap-server",
            bootstrap,
            "--config",
            wrong.toString());

    assertThat(cli.exit()).isEqualTo(1);
    assertThat(cli.err().lines()).hasSize(1);
    assertThat(cli.err())
        .startsWith("parley: Kafka at " + bootstrap + " refused these credentials (")
        .endsWith("): check sasl.* / ssl.* in --config or -X" + System.lineSeparator())
        .doesNotContain("not-the-password");
  }

  @Test
  void tlsSettingsGivenWithConfigReachTheKafkaClients() throws Exception {
    Path tls =
        Files.writeString(
            dir.resolve("tls.properties"),
            "security.protocol=SSL\n"
                + "ssl.truststore.location="
                + dir.resolve("no-such-truststore.jks")
                + "\nssl.truststore.password=changeit\n");

    Cli cli = Cli.run("topics", "describe", "-b", bootstrap, "--config", tls.toString());

    assertThat(cli.exit()).isEqualTo(1);
    assertThat(cli.err()).contains("no-such-truststore.jks");
  }

  @Test
  void publishingOverHttpNeedsTheToken() throws Exception {
    Http.Response response =
        new Http("http://localhost:" + gatewayPort)
            .post("/api/events", SeedStory.lines().get(0), null);

    assertThat(response.status()).isEqualTo(401);
  }

  @Test
  void noSecretAppearsInWhatParleyPrints() throws Exception {
    String printed = String.join("\n", parley.out()) + "\n" + String.join("\n", parley.err());
    Security.Principals principals = Security.principals(dir.resolve("data"));
    for (String principal : Security.PRINCIPALS) {
      assertThat(printed)
          .as(principal + "'s password")
          .doesNotContain(principals.password(principal));
    }
    assertThat(printed)
        .as("the gateway token")
        .doesNotContain(Files.readString(dir.resolve("data").resolve("gateway-token")).strip());
    assertThat(Files.getPosixFilePermissions(secure.resolve("admin.properties")))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void aSecureDataDirectoryCannotBeStartedInsecurely() {
    Cli insecure =
        Cli.run("up", "--data-dir", dir.resolve("data").toString(), "--port", "1", "--no-gateway");

    assertThat(insecure.exit()).isEqualTo(1);
    assertThat(insecure.err()).contains("was made with --secure; add --secure");
  }
}
