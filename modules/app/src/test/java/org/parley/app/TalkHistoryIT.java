package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.runtime.TopicAdmin;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventPublisher;
import org.parley.model.SeedStory;

/**
 * A talk's history on a real broker: the seed story and what followed in September 2016, read back
 * as a timeline over HTTP and on the command line, then a newsroom's correction.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TalkHistoryIT {
  static final String TOKEN = "history-token";
  private TestCluster cluster;
  private ParleyInstance parley;
  private Http http;

  @TempDir static Path dir;

  @BeforeAll
  void start() throws Exception {
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
                new Gateway.Settings("localhost", port, "localhost", TOKEN)));
    http = new Http("http://localhost:" + port);
    try (EventPublisher publisher =
        new EventPublisher(
            cluster.bootstrapServers(), Map.of(), Topics.standard().events(), "it")) {
      publisher.publish(SeedStory.events());
      publisher.publish(SeedStory.aftermath());
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              Http.Response talk = http.get("/api/talks/" + SeedStory.TALK_ID);
              return talk.status() == 200 && talk.json().get("status").asText().equals("SUSPENDED");
            });
  }

  @AfterAll
  void stop() throws Exception {
    parley.close();
    cluster.close();
  }

  @Test
  @Order(1)
  void theTimelineListsEveryEventInStoryOrderWithItsSourceAndTheAlertsItRaised() throws Exception {
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                http.get("/api/alerts?talk=" + SeedStory.TALK_ID + "&limit=1000").json().size()
                    >= 28);

    JsonNode first = http.get("/api/talks/" + SeedStory.TALK_ID + "/timeline?limit=20").json();
    assertThat(first.get("total").asInt()).isEqualTo(27);
    assertThat(first.get("items")).hasSize(20);
    assertThat(first.get("next").asText()).isEqualTo("20");
    JsonNode rest =
        http.get("/api/talks/" + SeedStory.TALK_ID + "/timeline?limit=20&after=20").json();
    assertThat(rest.get("next").isNull()).isTrue();

    List<JsonNode> items = new ArrayList<>();
    first.get("items").forEach(items::add);
    rest.get("items").forEach(items::add);
    assertThat(items).extracting(i -> i.get("occurredAt").asText()).isSorted();
    JsonNode convoy =
        items.stream()
            .filter(i -> i.get("eventId").asText().equals("geneva-2016-after-09"))
            .findFirst()
            .orElseThrow();
    assertThat(convoy.get("source").get("outlet").asText()).isEqualTo("Associated Press");
    assertThat(convoy.get("summary").asText())
        .contains("humanitarian-access: BREACHED")
        .contains("Urum al-Kubra");
    List<String> raised = new ArrayList<>();
    convoy.get("alerts").forEach(a -> raised.add(a.get("type").asText()));
    assertThat(raised)
        .containsExactly("COMMITMENT_STATUS_CHANGED", "CONDITION_FAILED", "AGREEMENT_BREACHED");

    Cli cli = Cli.run("talk", SeedStory.TALK_ID, "--timeline", "-b", cluster.bootstrapServers());
    assertThat(cli.exit()).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains("Agreement reached (CEASE_FIRE)")
        .contains("-> CRITICAL AGREEMENT_BROKEN");
  }

  @Test
  @Order(2)
  void retractingAMisreportedBreachRefoldsTheTalkAndTheAlertsSayItIsACorrection() throws Exception {
    String retraction =
        "{\"type\":\"EventRetracted\",\"eventId\":\"correction-1\",\"talkId\":\""
            + SeedStory.TALK_ID
            + "\",\"occurredAt\":\"2016-10-04T09:00:00Z\",\"source\":{\"actor\":\"Desk editor\",\"outlet\":\"Parley\"},"
            + "\"payload\":{\"retractedEventId\":\"geneva-2016-after-12\",\"reason\":\"Misattributed: the claim was a"
            + " Syrian army statement, not Russia's foreign minister\"}}";

    Http.Response posted = http.post("/api/events", retraction, TOKEN);
    assertThat(posted.status()).as(posted.body()).isEqualTo(202);

    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                http
                    .get("/api/alerts?talk=" + SeedStory.TALK_ID + "&limit=1000")
                    .json()
                    .findValues("correctionOf")
                    .stream()
                    .anyMatch(v -> v.asText().equals("geneva-2016-after-12")));
    JsonNode talk = http.get("/api/talks/" + SeedStory.TALK_ID).json();
    assertThat(talk.get("agreements").get(0).get("status").asText())
        .isEqualTo("PARTIALLY_BREACHED");
    List<String> corrections = new ArrayList<>();
    http.get("/api/alerts?talk=" + SeedStory.TALK_ID + "&limit=1000")
        .json()
        .forEach(
            a -> {
              if (a.get("correctionOf").asText("").equals("geneva-2016-after-12")) {
                corrections.add(a.get("type").asText());
              }
            });
    assertThat(corrections)
        .containsExactly("CORRECTION", "COMMITMENT_STATUS_CHANGED", "AGREEMENT_BREACHED");
  }
}
