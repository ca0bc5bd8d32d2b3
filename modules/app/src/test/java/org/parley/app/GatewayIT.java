package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.runtime.TopicAdmin;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventPublisher;
import org.parley.model.JsonForm;
import org.parley.model.SeedStory;

/**
 * The gateway's HTTP API against a real broker and a running pipeline, as a newsroom's tools use
 * it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayIT {
  static final String TOKEN = "test-token-1234";
  private TestCluster cluster;
  private ParleyInstance parley;
  private Http http;

  @TempDir static Path dir;

  @BeforeAll
  void start() throws Exception {
    cluster = TestCluster.single();
    try (TopicAdmin admin = new TopicAdmin(cluster.bootstrapServers(), Map.of())) {
      admin.create(Topics.standard(), 6, (short) 1);
    }
    int port = freePort();
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
                new Gateway.Settings("localhost", port, "localhost", TOKEN)));
    http = new Http("http://localhost:" + port);
    try (EventPublisher publisher =
        new EventPublisher(
            cluster.bootstrapServers(), Map.of(), Topics.standard().events(), "it")) {
      publisher.publish(SeedStory.events());
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                http.get("/health").status() == 200 && http.get("/api/alerts").json().size() == 10);
  }

  @AfterAll
  void stop() throws Exception {
    parley.close();
    cluster.close();
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static String breach(String eventId, String commitmentId) {
    return "{\"type\":\"CommitmentStatusChanged\",\"eventId\":\""
        + eventId
        + "\",\"talkId\":\""
        + SeedStory.TALK_ID
        + "\",\"occurredAt\":\"2016-09-19T18:00:00Z\",\"source\":{\"actor\":\"U.S. State Department\"},"
        + "\"payload\":{\"commitmentId\":\""
        + commitmentId
        + "\",\"status\":\"BREACHED\",\"reason\":\"Aid convoy struck\"}}";
  }

  @Test
  void talksAreListedWithWhatIsOpenAndEachIsServedWhole() throws Exception {
    JsonNode list = http.get("/api/talks").json();
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("talkId").asText()).isEqualTo(SeedStory.TALK_ID);
    assertThat(list.get(0).get("status").asText()).isEqualTo("CONFIRMED");
    assertThat(list.get(0).get("openCommitments").asInt()).isGreaterThanOrEqualTo(4);
    assertThat(list.get(0).get("nextDeadline").get("deadlineId").asText())
        .isEqualTo("obama-term-ends");

    Http.Response talk = http.get("/api/talks/" + SeedStory.TALK_ID);
    assertThat(talk.status()).isEqualTo(200);
    assertThat(talk.header("X-Parley-Served-By")).startsWith("localhost:");
    assertThat(talk.json().get("commitments")).hasSizeGreaterThanOrEqualTo(5);
    assertThat(http.get("/api/talks?status=COLLAPSED").json()).isEmpty();
  }

  @Test
  void aTalkAsOfAPastTimeIsFoldedFromTheLog() throws Exception {
    JsonNode then =
        http.get("/api/talks/" + SeedStory.TALK_ID + "?asOf=2016-09-07T23:00:00Z").json();

    assertThat(then.get("status").asText()).isEqualTo("ANNOUNCED");
    assertThat(then.get("commitments")).isEmpty();
    assertThat(then.get("eventCount").asInt()).isEqualTo(2);
    assertThat(http.get("/api/talks/" + SeedStory.TALK_ID + "?asOf=2016-01-01T00:00:00Z").status())
        .isEqualTo(404);
    Http.Response bad = http.get("/api/talks/" + SeedStory.TALK_ID + "?asOf=Wednesday");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText())
        .isEqualTo("asOf: 'Wednesday' is not an ISO-8601 time such as 2016-09-08T16:00:00Z");
  }

  @Test
  void unknownTalksAndResourcesAre404WithAMessage() throws Exception {
    Http.Response talk = http.get("/api/talks/no-such-talk");
    assertThat(talk.status()).isEqualTo(404);
    assertThat(talk.json().get("error").asText()).isEqualTo("no talk 'no-such-talk'");
    Http.Response path = http.get("/api/gossip");
    assertThat(path.status()).isEqualTo(404);
    assertThat(path.json().get("error").asText()).contains("/api/gossip");
  }

  @Test
  void alertsCanBeFilteredByTimeAndTalk() throws Exception {
    JsonNode since = http.get("/api/alerts?since=2016-09-08T17:30:00Z").json();
    assertThat(since)
        .extracting(a -> a.get("type").asText())
        .containsExactly("STICKING_POINT_RAISED", "STICKING_POINT_RAISED", "DEADLINE_SET");
    assertThat(http.get("/api/alerts?talk=other").json()).isEmpty();
    assertThat(http.get("/api/alerts?limit=0").status()).isEqualTo(400);
  }

  @Test
  void publishingNeedsTheTokenAndValidEventsWithinTheSizeLimit() throws Exception {
    Http.Response none = http.post("/api/events", breach("g-1", "russia-halt-airstrikes"), null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(http.post("/api/events", breach("g-1", "russia-halt-airstrikes"), "wrong").status())
        .isEqualTo(401);

    Http.Response malformed = http.post("/api/events", "{\"type\": \"Commit", TOKEN);
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().get("error").asText()).startsWith("the body is not valid JSON");

    Http.Response invalid =
        http.post(
            "/api/events",
            "["
                + breach("g-2", "russia-halt-airstrikes")
                + ","
                + breach("g-3", "x").replace("2016-09-19T18:00:00Z", "tomorrow")
                + ","
                + breach("", "x")
                + "]",
            TOKEN);
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().get("error").asText())
        .isEqualTo("2 problem(s); nothing was published");
    assertThat(invalid.json().get("problems"))
        .extracting(p -> p.get("event").asInt() + " " + p.get("field").asText())
        .containsExactly("1 occurredAt", "2 eventId");
    assertThat(http.get("/api/alerts?since=2016-09-19T00:00:00Z").json())
        .as("nothing was published")
        .isEmpty();

    Http.Response huge =
        http.post(
            "/api/events",
            "[" + (breach("g-3", "x") + ",").repeat(6_000) + breach("g-4", "x") + "]",
            TOKEN);
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.json().get("error").asText()).contains("limit");
  }

  @Test
  void aPublishedBreachReachesLiveSubscribersAndAReconnectingClientResumesWhereItLeftOff()
      throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<java.io.InputStream> stream =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(http.base() + "/api/alerts/stream?talk=" + SeedStory.TALK_ID))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));

    Http.Response published =
        http.post(
            "/api/events",
            "["
                + breach("sse-1", "russia-halt-airstrikes")
                + ","
                + breach("sse-2", "us-separate-moderates")
                + "]",
            TOKEN);
    assertThat(published.status()).isEqualTo(202);
    assertThat(published.json().get("published").asInt()).isEqualTo(2);

    List<String> ids = new ArrayList<>();
    List<String> data = new ArrayList<>();
    while (data.size() < 2) {
      String line = lines.readLine();
      if (line.startsWith("id:")) {
        ids.add(line.substring(3).trim());
      } else if (line.startsWith("data:")) {
        data.add(line.substring(5).trim());
      }
    }
    stream.body().close();
    assertThat(data)
        .extracting(d -> JsonForm.MAPPER.readTree(d).get("subjectId").asText())
        .containsExactly("russia-halt-airstrikes", "us-separate-moderates");

    HttpResponse<java.io.InputStream> resumed =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(http.base() + "/api/alerts/stream?talk=" + SeedStory.TALK_ID))
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", ids.get(0))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader again =
        new BufferedReader(new InputStreamReader(resumed.body(), StandardCharsets.UTF_8));
    String missed = null;
    while (missed == null) {
      String line = again.readLine();
      if (line.startsWith("data:")) {
        missed = line.substring(5).trim();
      }
    }
    resumed.body().close();
    assertThat(JsonForm.MAPPER.readTree(missed).get("subjectId").asText())
        .isEqualTo("us-separate-moderates");
  }

  @Test
  void healthMetricsAndTheOpenApiDescriptionAreServed() throws Exception {
    Http.Response health = http.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("UP");

    String metrics = http.get("/metrics").body();
    assertThat(metrics)
        .contains("kafka_stream_thread_process_total")
        .contains("jvm_memory_used_bytes")
        .contains("parley_http_requests_seconds_count");

    JsonNode openapi = http.get("/openapi.json").json();
    Set<String> described = new TreeSet<>();
    openapi.get("paths").fieldNames().forEachRemaining(described::add);
    assertThat(described)
        .containsExactlyInAnyOrder(
            "/api/talks",
            "/api/talks/{id}",
            "/api/alerts",
            "/api/alerts/stream",
            "/api/events",
            "/health",
            "/metrics",
            "/openapi.json",
            "/api/subscriptions",
            "/api/subscriptions/{id}",
            "/api/subscriptions/{id}/undelivered",
            "/api/talks/{id}/timeline");
    for (String path : described) {
      String concrete = path.replace("{id}", SeedStory.TALK_ID);
      if (!concrete.endsWith("/stream")
          && !concrete.equals("/api/events")
          && !path.startsWith("/api/subscriptions")) {
        assertThat(http.get(concrete).status()).as(path).isEqualTo(200);
      }
    }
  }

  @Test
  void everyRouteTheGatewayAnswersIsInItsGeneratedDescriptionAndNoOther() throws Exception {
    JsonNode openapi = http.get("/openapi.json").json();
    assertThat(openapi.get("openapi").asText()).startsWith("3.");
    Set<String> described = new TreeSet<>();
    openapi
        .get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method ->
                            described.add(
                                method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));

    // Left out on purpose: the instances' forwarding of talk questions, and the browsable page's
    // own files.
    List<String> answered =
        parley.gateway().routes().stream()
            .filter(
                route ->
                    !route.contains(" /internal/")
                        && !route.contains(" /api/docs")
                        && !route.contains(" /webjars/"))
            .toList();
    assertThat(answered).contains("GET /api/talks/{id}", "POST /api/events", "GET /openapi.json");
    assertThat(described).containsExactlyInAnyOrderElementsOf(answered);
    // The body of POST /api/events is the event's JSON Schema, generated from the Avro schemas.
    assertThat(openapi.at("/components/schemas/DiplomaticEvent/properties/eventId").isMissingNode())
        .isFalse();
  }

  @Test
  void theDescriptionIsBrowsableWithSwaggerUi() throws Exception {
    Http.Response page = http.get("/api/docs");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("swagger-ui").contains("/openapi.json");
    java.util.regex.Matcher script =
        java.util.regex.Pattern.compile("src=\"([^\"]*swagger-ui[^\"]*\\.js)\"")
            .matcher(page.body());
    assertThat(script.find()).as("the page loads Swagger UI's script").isTrue();
    assertThat(http.get(script.group(1)).status()).isEqualTo(200);
  }
}
