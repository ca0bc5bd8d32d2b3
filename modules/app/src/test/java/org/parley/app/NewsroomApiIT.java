package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.runtime.TopicAdmin;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventPublisher;
import org.parley.model.SeedStory;

/**
 * Search and filters over the API, and CORS: what a newsroom's own site and its editors get from
 * /api/talks and /api/alerts, and what a misspelt filter or a foreign origin gets instead.
 */
class NewsroomApiIT {
  static final String DESK = "http://desk.example.org";

  @TempDir static Path dir;

  private static TestCluster cluster;
  private static ParleyInstance parley;
  private static Http http;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.single();
    try (TopicAdmin admin = new TopicAdmin(cluster.bootstrapServers(), Map.of())) {
      admin.create(Topics.standard(), 3, (short) 1);
    }
    int port = GatewayIT.freePort();
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
                new Gateway.Settings(
                    "localhost", port, "localhost", GatewayIT.TOKEN, List.of(DESK))));
    base = "http://localhost:" + port;
    http = new Http(base);
    try (EventPublisher publisher =
        new EventPublisher(
            cluster.bootstrapServers(), Map.of(), Topics.standard().events(), "it")) {
      publisher.publish(SeedStory.events());
    }
    List<String> talks = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      talks.add(
          DashboardBrowserIT.announce(
              "feed-" + i, "gdelt:a" + i + "--b", "A" + i + " and B", "\"A" + i + "\",\"B\""));
    }
    talks.add(
        DashboardBrowserIT.announce(
            "aleppo-1", "aleppo-truce", "Aleppo humanitarian truce", "\"Syria\",\"Turkey\""));
    await().atMost(Duration.ofMinutes(1)).until(() -> http.get("/health").status() == 200);
    assertThat(
            http.post("/api/events", "[" + String.join(",", talks) + "]", GatewayIT.TOKEN).status())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                http.get("/api/talks").json().size() == 9
                    && http.get("/api/alerts").json().size() >= 10);
  }

  @AfterAll
  static void stop() throws Exception {
    parley.close();
    cluster.close();
  }

  private static List<String> ids(JsonNode talks) {
    List<String> ids = new ArrayList<>();
    talks.forEach(t -> ids.add(t.get("talkId").asText()));
    return ids;
  }

  @Test
  void textStatusPartyAndOriginNarrowTheTalks() throws Exception {
    assertThat(ids(http.get("/api/talks?q=LAVROV%20syria").json()))
        .containsExactly(SeedStory.TALK_ID);
    assertThat(ids(http.get("/api/talks?party=turkey").json())).containsExactly("aleppo-truce");
    assertThat(ids(http.get("/api/talks?status=CONFIRMED").json()))
        .containsExactly(SeedStory.TALK_ID);
    assertThat(ids(http.get("/api/talks?origin=curated").json()))
        .containsExactlyInAnyOrder(SeedStory.TALK_ID, "aleppo-truce");
    JsonNode feed = http.get("/api/talks?origin=feed").json();
    assertThat(feed).hasSize(7);
    feed.forEach(t -> assertThat(t.get("origin").asText()).isEqualTo("feed"));
  }

  @Test
  void talksComeAPageAtATimeWithTheTotalAndTheNextPage() throws Exception {
    Http.Response first = http.get("/api/talks?origin=feed&limit=3");
    assertThat(first.json()).hasSize(3);
    assertThat(first.header("X-Total-Count")).isEqualTo("7");
    assertThat(first.header("Link"))
        .isEqualTo("</api/talks?origin=feed&limit=3&offset=3>; rel=\"next\"");
    List<String> all = new ArrayList<>(ids(first.json()));
    all.addAll(ids(http.get("/api/talks?origin=feed&limit=3&offset=3").json()));
    Http.Response last = http.get("/api/talks?origin=feed&limit=3&offset=6");
    all.addAll(ids(last.json()));
    assertThat(last.header("Link")).as("no page after the last").isNull();
    assertThat(all)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ids(http.get("/api/talks?origin=feed").json()));
  }

  @Test
  void aBadFilterIsA400NamingTheParameterAndWhatItTakes() throws Exception {
    Http.Response status = http.get("/api/talks?status=BOGUS");
    assertThat(status.status()).isEqualTo(400);
    assertThat(status.json().get("error").asText())
        .isEqualTo(
            "status: 'BOGUS' is not one of ANNOUNCED, CONFIRMED,"
                + " IN_PROGRESS, SUSPENDED, AGREEMENT_REACHED, COLLAPSED, CONCLUDED, POSTPONED, CANCELLED");
    Http.Response unknown = http.get("/api/talks?stauts=CONFIRMED");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("error").asText())
        .isEqualTo(
            "unknown parameter 'stauts'; this endpoint takes limit, offset, origin, party, q, status");
    assertThat(http.get("/api/talks?origin=wire").json().get("error").asText())
        .isEqualTo("origin: 'wire' is not one of curated, feed");
    assertThat(http.get("/api/alerts?severity=URGENT").json().get("error").asText())
        .isEqualTo("severity: 'URGENT' is not one of INFO, NOTICE, HIGH, CRITICAL");
    assertThat(http.get("/api/talks?limit=5000").status()).isEqualTo(400);
    HttpResponse<String> stream =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/alerts/stream?severity=LOUD"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(stream.statusCode())
        .as("the live stream checks its filters before it opens")
        .isEqualTo(400);
    assertThat(stream.body()).contains("severity");
  }

  @Test
  void alertsFollowTheFiltersBySeverityTalkAndOrigin() throws Exception {
    JsonNode notice = http.get("/api/alerts?severity=NOTICE&limit=1000").json();
    assertThat(notice).isNotEmpty();
    notice.forEach(a -> assertThat(a.get("severity").asText()).isIn("NOTICE", "HIGH", "CRITICAL"));
    JsonNode all = http.get("/api/alerts?limit=1000").json();
    assertThat(notice.size()).isLessThan(all.size());
    JsonNode curated = http.get("/api/alerts?origin=curated&limit=1000").json();
    curated.forEach(a -> assertThat(a.get("talkId").asText()).doesNotStartWith("gdelt:"));
    JsonNode byParty = http.get("/api/alerts?party=russia&limit=1000").json();
    assertThat(byParty).isNotEmpty();
    byParty.forEach(a -> assertThat(a.get("talkId").asText()).isEqualTo(SeedStory.TALK_ID));
  }

  private static HttpResponse<String> send(String method, String path, String origin)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin);
    if (method.equals("OPTIONS")) {
      request
          .header("Access-Control-Request-Method", "POST")
          .header("Access-Control-Request-Headers", "authorization");
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void onlyAnAllowedOriginMayCallTheApiFromABrowser() throws Exception {
    HttpResponse<String> allowed = send("GET", "/api/talks?limit=1", DESK);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(DESK);
    assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
        .contains("X-Total-Count");
    HttpResponse<String> preflight = send("OPTIONS", "/api/events", DESK);
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("POST");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
        .contains("Authorization");

    HttpResponse<String> foreign = send("GET", "/api/talks?limit=1", "http://elsewhere.example");
    assertThat(foreign.statusCode()).isEqualTo(200);
    assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    HttpResponse<String> refused = send("OPTIONS", "/api/events", "http://elsewhere.example");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("--cors-origin http://elsewhere.example");
  }
}
