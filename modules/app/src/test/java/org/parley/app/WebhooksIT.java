package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.runtime.TopicAdmin;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventPublisher;
import org.parley.model.JsonForm;
import org.parley.model.SeedStory;

/**
 * Webhook subscriptions against a real HTTP receiver started inside the test: each matching alert
 * arrives once, signed with the subscription's secret; a receiver that fails is retried until it
 * recovers; one that never answers has its alert kept; and a restarted Parley goes on from where it
 * stopped, losing nothing and sending nothing twice.
 */
class WebhooksIT {
  @TempDir Path dir;

  private TestCluster cluster;
  private ParleyInstance parley;
  private Receiver receiver;
  private String base;
  private int port;

  /** Takes POSTs on /hook and /slack, answering 503 while told to fail; keeps what it was sent. */
  static final class Receiver implements AutoCloseable {
    record Delivery(String path, String alertId, String signature, int attempt, String body) {}

    final HttpServer server;
    final List<Delivery> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger failNext = new AtomicInteger();
    volatile boolean down;

    Receiver() throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          exchange -> {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean fail = down || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (fail) {
              refused.incrementAndGet();
            } else {
              accepted.add(
                  new Delivery(
                      exchange.getRequestURI().getPath(),
                      exchange.getRequestHeaders().getFirst("X-Parley-Alert-Id"),
                      exchange.getRequestHeaders().getFirst("X-Parley-Signature"),
                      Integer.parseInt(exchange.getRequestHeaders().getFirst("X-Parley-Attempt")),
                      body));
            }
            exchange.sendResponseHeaders(fail ? 503 : 204, -1);
            exchange.close();
          });
      server.start();
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Delivery> at(String path) {
      return accepted.stream().filter(d -> d.path().equals(path)).toList();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.single();
    try (TopicAdmin admin = new TopicAdmin(cluster.bootstrapServers(), Map.of())) {
      admin.create(Topics.standard(), 3, (short) 1);
    }
    port = GatewayIT.freePort();
    base = "http://localhost:" + port;
    startParley();
    receiver = new Receiver();
  }

  private void startParley() throws Exception {
    parley =
        ParleyInstance.start(
            new ParleyInstance.Settings(
                cluster.bootstrapServers(),
                Map.of(),
                dir.resolve("streams"),
                "parley",
                null,
                DeadlineClock.DEFAULT_HORIZONS,
                "it",
                new Gateway.Settings("localhost", port, "localhost", GatewayIT.TOKEN)));
    Http http = new Http(base);
    await().atMost(Duration.ofMinutes(1)).until(() -> http.get("/health").status() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    if (receiver != null) {
      receiver.close();
    }
    if (parley != null) {
      parley.close();
    }
    cluster.close();
  }

  private JsonNode subscribe(String body) throws Exception {
    Http.Response made = new Http(base).post("/api/subscriptions", body, GatewayIT.TOKEN);
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return made.json();
  }

  private void publish(List<org.parley.avro.DiplomaticEvent> events) {
    try (EventPublisher publisher =
        new EventPublisher(
            cluster.bootstrapServers(), Map.of(), Topics.standard().events(), "it")) {
      publisher.publish(events);
    }
  }

  /** The ids of the alerts of the seed talk at this severity or more, as the gateway lists them. */
  private Set<String> alertIds(String severity) throws Exception {
    JsonNode alerts =
        new Http(base)
            .get("/api/alerts?talk=" + SeedStory.TALK_ID + "&severity=" + severity + "&limit=1000")
            .json();
    Set<String> ids = new TreeSet<>();
    alerts.forEach(a -> ids.add(a.get("alertId").asText()));
    return ids;
  }

  static String hmac(String secret, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void eachMatchingAlertArrivesOnceSignedThroughAFailingReceiverAndARestart() throws Exception {
    JsonNode hook =
        subscribe(
            "{\"url\":\""
                + receiver.url("/hook")
                + "\",\"talk\":\""
                + SeedStory.TALK_ID
                + "\",\"minSeverity\":\"NOTICE\"}");
    JsonNode slack =
        subscribe(
            "{\"url\":\""
                + receiver.url("/slack")
                + "\",\"party\":\"russia\","
                + "\"minSeverity\":\"CRITICAL\",\"format\":\"slack\"}");
    String secret = hook.get("secret").asText();
    receiver.failNext.set(3); // the first three POSTs are refused: the receiver is "deploying"

    publish(SeedStory.events());
    // The seed story makes ten alerts (see GatewayIT); once the gateway has all ten, the expected
    // set is complete.
    await().atMost(Duration.ofMinutes(1)).until(() -> alertIds("INFO").size() == 10);
    Set<String> expected = alertIds("NOTICE");
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> receiver.at("/hook").size() >= expected.size());

    List<WebhooksIT.Receiver.Delivery> got = receiver.at("/hook");
    assertThat(got.stream().map(WebhooksIT.Receiver.Delivery::alertId).toList())
        .as("each NOTICE-or-higher alert of the talk, once")
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(receiver.refused.get()).isEqualTo(3);
    assertThat(got.get(0).attempt())
        .as("the first alert got through on its fourth attempt")
        .isEqualTo(4);
    for (WebhooksIT.Receiver.Delivery d : got) {
      assertThat(d.signature())
          .as("signed with the subscription's secret")
          .isEqualTo(hmac(secret, d.body()));
      JsonNode body = JsonForm.MAPPER.readTree(d.body());
      assertThat(body.get("alertId").asText()).isEqualTo(d.alertId());
      assertThat(body.get("alert").get("talkId").asText()).isEqualTo(SeedStory.TALK_ID);
    }
    assertThat(receiver.at("/slack")).as("no CRITICAL alert yet").isEmpty();

    // Parley stops; a breach is published while it is down; it starts again on the same cluster.
    parley.close();
    parley = null;
    publish(
        List.of(
            new org.parley.ingest.EventLines(java.time.Clock.systemUTC())
                .parse(
                    JsonForm.MAPPER.readTree(
                        GatewayIT.breach("restart-1", "russia-earlier-promises")))));
    startParley();

    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                receiver.at("/slack").size() == 1 && receiver.at("/hook").size() > expected.size());
    // Every alert the gateway lists arrives, and nothing else: a lost one would keep the sets
    // apart.
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                alertIds("NOTICE")
                    .equals(
                        new TreeSet<>(
                            receiver.at("/hook").stream()
                                .map(WebhooksIT.Receiver.Delivery::alertId)
                                .toList())));
    Set<String> afterRestart = alertIds("NOTICE");
    assertThat(receiver.at("/hook").stream().map(WebhooksIT.Receiver.Delivery::alertId).toList())
        .as("after the restart: nothing lost, nothing repeated")
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(afterRestart);
    JsonNode slackBody = JsonForm.MAPPER.readTree(receiver.at("/slack").get(0).body());
    assertThat(slackBody.get("text").asText()).contains("CRITICAL").contains("PLEDGED -> BREACHED");
    assertThat(receiver.at("/slack").get(0).signature())
        .isEqualTo(hmac(slack.get("secret").asText(), receiver.at("/slack").get(0).body()));

    JsonNode listed =
        new Http(base)
            .get("/api/subscriptions/" + hook.get("subscriptionId").asText(), GatewayIT.TOKEN)
            .json();
    assertThat(listed.get("delivered").asLong()).isEqualTo(afterRestart.size());
    assertThat(listed.has("secret")).as("the secret is shown only when made").isFalse();
  }

  @Test
  void anAlertTheReceiverNeverTakesIsKeptAndDeliveryGoesOnWhenItRecovers() throws Exception {
    JsonNode hook =
        subscribe("{\"url\":\"" + receiver.url("/hook") + "\",\"minSeverity\":\"CRITICAL\"}");
    String id = hook.get("subscriptionId").asText();
    publish(SeedStory.events());
    receiver.down = true;
    Http http = new Http(base);
    http.post(
        "/api/events", GatewayIT.breach("down-1", "russia-earlier-promises"), GatewayIT.TOKEN);

    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                http.get("/api/subscriptions/" + id + "/undelivered", GatewayIT.TOKEN).json().size()
                    == 1);
    JsonNode kept =
        http.get("/api/subscriptions/" + id + "/undelivered", GatewayIT.TOKEN).json().get(0);
    assertThat(kept.get("error").asText()).isEqualTo("HTTP 503");
    assertThat(kept.get("attempts").asInt()).isEqualTo(6);
    assertThat(kept.get("alert").get("after").asText()).isEqualTo("BREACHED");
    assertThat(receiver.refused.get()).isEqualTo(6);

    receiver.down = false;
    http.post("/api/events", GatewayIT.breach("up-1", "russia-halt-airstrikes"), GatewayIT.TOKEN);
    await().atMost(Duration.ofMinutes(1)).until(() -> receiver.at("/hook").size() == 1);
    assertThat(receiver.at("/hook").get(0).alertId()).isNotEqualTo(kept.get("alertId").asText());
    assertThat(
            JsonForm.MAPPER
                .readTree(receiver.at("/hook").get(0).body())
                .get("alert")
                .get("subjectId")
                .asText())
        .isEqualTo("russia-halt-airstrikes");
  }

  @Test
  void aSubscriptionWithBadFieldsIsRefusedNamingEachField() throws Exception {
    Http.Response refused =
        new Http(base)
            .post(
                "/api/subscriptions",
                "{\"url\":\"ftp://x\",\"minSeverity\":\"LOUD\",\"format\":\"xml\",\"colour\":1}",
                GatewayIT.TOKEN);
    assertThat(refused.status()).isEqualTo(400);
    List<String> fields = new ArrayList<>();
    refused.json().get("problems").forEach(p -> fields.add(p.get("field").asText()));
    assertThat(fields).containsExactlyInAnyOrder("url", "minSeverity", "format", "colour");
    assertThat(refused.body()).contains("INFO, NOTICE, HIGH, CRITICAL");
    assertThat(new Http(base).post("/api/subscriptions", "{\"url\":\"http://x\"}", null).status())
        .isEqualTo(401);
  }

  @Test
  void parleySubscribeMakesListsAndRemovesASubscriptionThatDelivers() throws Exception {
    Cli bad =
        Cli.run(
            "subscribe",
            "-b",
            cluster.bootstrapServers(),
            receiver.url("/cli"),
            "--min-severity",
            "LOUD");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err())
        .contains("--min-severity: 'LOUD' is not one of INFO, NOTICE, HIGH, CRITICAL");

    Cli made =
        Cli.run(
            "subscribe",
            "-b",
            cluster.bootstrapServers(),
            receiver.url("/cli"),
            "--party",
            "Russia",
            "--min-severity",
            "CRITICAL",
            "--secret",
            "a-secret-of-sixteen+");
    assertThat(made.exit()).as(made.err()).isZero();
    JsonNode subscription = JsonForm.MAPPER.readTree(made.out());
    String id = subscription.get("subscriptionId").asText();
    assertThat(subscription.get("party").asText()).isEqualTo("Russia");

    publish(SeedStory.events());
    new Http(base)
        .post("/api/events", GatewayIT.breach("cli-1", "russia-earlier-promises"), GatewayIT.TOKEN);
    await().atMost(Duration.ofMinutes(1)).until(() -> receiver.at("/cli").size() == 1);
    WebhooksIT.Receiver.Delivery delivery = receiver.at("/cli").get(0);
    assertThat(delivery.signature()).isEqualTo(hmac("a-secret-of-sixteen+", delivery.body()));

    Cli listed = Cli.run("subscribe", "-b", cluster.bootstrapServers(), "--list");
    assertThat(listed.out()).contains(id).doesNotContain("a-secret-of-sixteen+");
    assertThat(Cli.run("subscribe", "-b", cluster.bootstrapServers(), "--remove", id).exit())
        .isZero();
    assertThat(Cli.run("subscribe", "-b", cluster.bootstrapServers(), "--list").out())
        .doesNotContain(id);
    assertThat(Cli.run("subscribe", "-b", cluster.bootstrapServers(), "--remove", id).err())
        .contains("no subscription '" + id + "'");
  }
}
