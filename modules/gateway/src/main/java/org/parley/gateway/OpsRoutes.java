package org.parley.gateway;

import static org.parley.gateway.Gateway.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiResponse;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.parley.model.JsonForm;

/**
 * For operators: health (the pipeline and the alert feed), Prometheus metrics (Kafka Streams', the
 * JVM's, and every request the gateway answers, timed), and where the API's description is.
 */
final class OpsRoutes implements AutoCloseable {
  static final String HEALTH = "/health";
  static final String METRICS = "/metrics";

  /**
   * Served by the OpenAPI plugin, generated from the {@code @OpenApi} annotations of the routes.
   */
  static final String OPENAPI = "/openapi.json";

  /** The browsable description (Swagger UI) over {@link #OPENAPI}. */
  static final String API_DOCS = "/api/docs";

  private final KafkaStreams streams;
  private final AlertFeed feed;
  private final String instance;
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final KafkaStreamsMetrics streamsMetrics;

  OpsRoutes(KafkaStreams streams, AlertFeed feed, String instance) {
    this.streams = streams;
    this.feed = feed;
    this.instance = instance;
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(metrics);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new UptimeMetrics().bindTo(metrics);
  }

  /** Times every request; install first, so that every answer is counted. */
  void timeRequests(Javalin app) {
    app.before(ctx -> ctx.attribute("started", System.nanoTime()));
    app.after(
        ctx -> {
          Long started = ctx.attribute("started");
          if (started != null) {
            Timer.builder("parley.http.requests")
                .tag("method", ctx.method().name())
                .tag("route", ctx.endpointHandlerPath())
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(metrics)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          }
        });
  }

  void install(Javalin app) {
    app.get(HEALTH, this::health);
    app.get(METRICS, this::metrics);
  }

  @OpenApi(
      path = HEALTH,
      methods = HttpMethod.GET,
      tags = "operations",
      summary = "UP when the pipeline is running",
      description =
          "The pipeline's state, and the alert feed's: running, caught up, live streams served, records"
              + " on the alerts topic skipped as not alerts.",
      responses = {
        @OpenApiResponse(
            status = "200",
            description = "Up",
            content = @OpenApiContent(type = "object", mimeType = "application/json")),
        @OpenApiResponse(
            status = "503",
            description = "Down",
            content = @OpenApiContent(type = "object", mimeType = "application/json"))
      })
  void health(Context ctx) {
    KafkaStreams.State state = streams.state();
    ObjectNode health = JsonForm.MAPPER.createObjectNode();
    AlertFeed.Health alerts = feed.health();
    boolean up = state == KafkaStreams.State.RUNNING && alerts.running();
    health.put("status", up ? "UP" : "DOWN");
    health.put("pipeline", state.toString());
    health.put("alertFeedCaughtUp", alerts.caughtUp());
    ObjectNode alertFeed = health.putObject("alertFeed");
    alertFeed.put("running", alerts.running());
    alertFeed.put("streams", feed.subscriberCount());
    // Records on the alerts topic that are not alerts: skipped, but someone should look.
    alertFeed.put("skippedRecords", alerts.skipped());
    if (alerts.lastSkipped() != null) {
      alertFeed.put("lastSkipped", alerts.lastSkipped());
    }
    health.put("instance", instance);
    json(ctx, up ? 200 : 503, health);
  }

  @OpenApi(
      path = METRICS,
      methods = HttpMethod.GET,
      tags = "operations",
      summary =
          "Prometheus metrics: Kafka Streams', the JVM's and the gateway's own (parley_http_requests)",
      responses =
          @OpenApiResponse(
              status = "200",
              description = "Metrics",
              content = @OpenApiContent(type = "string", mimeType = "text/plain")))
  void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  /**
   * Not a handler: the OpenAPI plugin serves this path; the annotation puts it in the description
   * it serves.
   */
  @OpenApi(
      path = OPENAPI,
      methods = HttpMethod.GET,
      tags = "operations",
      summary = "This description (OpenAPI 3), generated from the routes; browse it at " + API_DOCS,
      responses =
          @OpenApiResponse(
              status = "200",
              description = "OpenAPI 3",
              content = @OpenApiContent(type = "object", mimeType = "application/json")))
  static void describedByThePlugin() {}

  @Override
  public void close() {
    streamsMetrics.close();
    metrics.close();
  }
}
