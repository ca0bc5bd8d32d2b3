package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.runtime.TopicAdmin;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.gateway.Gateway;
import org.parley.ingest.EventPublisher;
import org.parley.model.JsonForm;
import org.parley.model.SeedStory;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard and the Prometheus alert rules in ops/ use only metrics a running Parley
 * serves at /metrics: checked against a live scrape, after a story and a dead letter went through.
 */
class OpsFilesIT {
  static final Path OPS = Path.of("../../ops");
  static final Pattern METRIC = Pattern.compile("\\b((?:kafka|jvm|parley|process)_[a-z0-9_]+)\\b");

  @TempDir Path dir;

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rules() throws Exception {
    Map<String, Object> file =
        new Yaml().load(Files.readString(OPS.resolve("prometheus/parley-alerts.yml")));
    return ((List<Map<String, Object>>) file.get("groups"))
        .stream().flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();
  }

  static List<String> dashboardQueries() throws Exception {
    JsonNode dashboard =
        JsonForm.MAPPER.readTree(OPS.resolve("grafana/parley-dashboard.json").toFile());
    return dashboard.get("panels").findValues("expr").stream().map(JsonNode::asText).toList();
  }

  static Set<String> metrics(List<String> queries) {
    Set<String> names = new TreeSet<>();
    for (String query : queries) {
      Matcher m = METRIC.matcher(query);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyMetricTheDashboardAndTheAlertRulesUseIsServedByARunningParley() throws Exception {
    List<Map<String, Object>> rules = rules();
    assertThat(rules)
        .extracting(r -> r.get("alert"))
        .contains("ParleyPipelineStopped", "ParleyLagHigh", "ParleyDeadLetters");
    assertThat(rules)
        .allSatisfy(
            r -> {
              assertThat(r.get("expr")).isInstanceOf(String.class);
              assertThat(((Map<String, Object>) r.get("labels")).keySet()).contains("severity");
              assertThat(((Map<String, Object>) r.get("annotations")).keySet()).contains("summary");
            });
    List<String> queries = new java.util.ArrayList<>(dashboardQueries());
    rules.forEach(r -> queries.add((String) r.get("expr")));
    Set<String> used = metrics(queries);
    assertThat(used).hasSizeGreaterThan(5);

    try (TestCluster cluster = TestCluster.single()) {
      try (TopicAdmin admin = new TopicAdmin(cluster.bootstrapServers(), Map.of())) {
        admin.create(Topics.standard(), 3, (short) 1);
      }
      int port = GatewayIT.freePort();
      try (ParleyInstance parley =
              ParleyInstance.start(
                  new ParleyInstance.Settings(
                      cluster.bootstrapServers(),
                      Map.of(),
                      dir.resolve("streams"),
                      "parley",
                      null,
                      DeadlineClock.DEFAULT_HORIZONS,
                      "it",
                      new Gateway.Settings("localhost", port, "localhost", "token-1234567890")));
          EventPublisher publisher =
              new EventPublisher(
                  cluster.bootstrapServers(), Map.of(), Topics.standard().events(), "it");
          KafkaProducer<byte[], byte[]> raw =
              new KafkaProducer<>(
                  Map.of("bootstrap.servers", cluster.bootstrapServers()),
                  new ByteArraySerializer(),
                  new ByteArraySerializer())) {
        publisher.publish(SeedStory.events());
        raw.send(
                new ProducerRecord<>(
                    Topics.EVENTS,
                    "x".getBytes(StandardCharsets.UTF_8),
                    "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8)))
            .get();
        Http http = new Http("http://localhost:" + port);
        // Kafka's metrics of a topic appear once something is sent to it; Micrometer picks new ones
        // up within a
        // minute.
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(5))
            .until(
                () -> {
                  http.get("/api/talks");
                  String scrape = http.get("/metrics").body();
                  return used.stream().allMatch(scrape::contains)
                      && scrape.contains("topic=\"parley.dead-letters.v1\"")
                      && scrape.contains("topic=\"parley.alerts.v1\"");
                });
        String scrape = http.get("/metrics").body();
        assertThat(scrape)
            .contains("kafka_stream_client_state{application_id=\"parley\"")
            .containsPattern(
                "kafka_consumer_fetch_manager_records_lag_max\\{client_id=\"[^\"]*StreamThread-1-consumer\"");
      }
    }
  }
}
