package org.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.ingest.EventLines;
import org.parley.ingest.EventPublisher;
import org.parley.model.Events;
import org.parley.model.InvalidRecord;
import org.parley.model.JsonForm;
import org.parley.model.Problem;
import org.parley.topology.Pipeline;
import org.parley.topology.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley over HTTP, for browsers and anything that does not speak Kafka: talks (read through
 * interactive queries, from whichever instance holds them), alerts (also live, as server-sent
 * events), a door for events (validated, then published), health, Prometheus metrics, the OpenAPI
 * description, and the newsroom dashboard.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  public static final int DEFAULT_PORT = 8080;
  public static final long MAX_BODY_BYTES = 1024 * 1024;

  /**
   * @param bindHost the address to listen on (0.0.0.0 for every interface)
   * @param advertisedHost how other instances and browsers reach this one (its application.server)
   * @param token the bearer token required to publish events
   * @param corsOrigins the origins (https://desk.example.org) whose pages may call the API; none by default
   */
  public record Settings(String bindHost, int port, String advertisedHost, String token, List<String> corsOrigins) {
    public Settings(String bindHost, int port, String advertisedHost, String token) {
      this(bindHost, port, advertisedHost, token, List.of());
    }

    public String applicationServer() {
      return advertisedHost + ":" + port;
    }
  }

  /** The talk as it stood at a past moment, folded from the log (time travel is not the gateway's business). */
  public interface TalkHistory {
    Optional<TalkState> talkAsOf(String talkId, Instant asOf);
  }

  private final Javalin app;
  private final AlertFeed feed;
  private final PrometheusMeterRegistry metrics;
  private final KafkaStreamsMetrics streamsMetrics;
  private final Newsroom newsroom;

  private Gateway(Javalin app, AlertFeed feed, PrometheusMeterRegistry metrics, KafkaStreamsMetrics streamsMetrics,
      Newsroom newsroom) {
    this.newsroom = newsroom;
    this.app = app;
    this.feed = feed;
    this.metrics = metrics;
    this.streamsMetrics = streamsMetrics;
  }

  public static Gateway start(Settings settings, Pipeline pipeline, EventPublisher publisher, TalkHistory history) {
    Pipeline.Settings ps = pipeline.settings();
    KafkaStreams streams = pipeline.streams();
    Topics topics = ps.topics();
    TalkQueries talks = new TalkQueries(streams, new HostInfo(settings.advertisedHost(), settings.port()));
    TalkSearch search = new TalkSearch(talks);
    AlertFeed feed = new AlertFeed(ps.bootstrapServers(), ps.clientProperties(), topics.alerts(), 10_000);
    EventLines lines = new EventLines(java.time.Clock.systemUTC(), pipeline.settings().rules().futureTolerance());

    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(metrics);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new UptimeMetrics().bindTo(metrics);

    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.http.maxRequestSize = MAX_BODY_BYTES;
      config.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/parley/dashboard";
        files.location = Location.CLASSPATH;
      });
    });

    app.before(ctx -> ctx.attribute("started", System.nanoTime()));
    app.after(ctx -> {
      Long started = ctx.attribute("started");
      if (started != null) {
        Timer.builder("parley.http.requests").tag("method", ctx.method().name())
            .tag("route", ctx.endpointHandlerPath()).tag("status", Integer.toString(ctx.statusCode()))
            .register(metrics).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
      }
    });

    Newsroom newsroom = Newsroom.install(app, settings, ps.bootstrapServers(), ps.clientProperties(),
        ps.applicationId(), topics.alerts(), talks, settings.token());
    app.get("/api/talks", search::talks);
    app.get("/api/talks/{id}", ctx -> {
      String id = ctx.pathParam("id");
      String asOf = ctx.queryParam("asOf");
      Optional<TalkState> talk;
      if (asOf != null) {
        talk = history.talkAsOf(id, time(asOf, "asOf"));
        ctx.header("X-Parley-As-Of", asOf);
      } else {
        TalkQueries.Answer answer = talks.talk(id);
        ctx.header("X-Parley-Served-By", answer.servedBy());
        talk = answer.talk();
      }
      if (talk.isEmpty()) {
        throw error(404, "no talk '" + id + "'" + (asOf == null ? "" : " as of " + asOf));
      }
      json(ctx, 200, JsonForm.toNode(talk.get()));
    });
    app.get("/api/talks/{id}/timeline", ctx -> {
      String id = ctx.pathParam("id");
      List<DiplomaticEvent> events = talks.history(id);
      if (events.isEmpty()) {
        throw error(404, "no talk '" + id + "'");
      }
      int from = intParam(ctx, "after", 0);
      List<org.parley.avro.Alert> raised = feed.recent(null, id, Integer.MAX_VALUE).stream()
          .map(AlertFeed.Entry::alert).toList();
      json(ctx, 200, org.parley.model.TalkTimeline.page(id, events, raised, from, intParam(ctx, "limit", 100)));
    });
    app.get("/api/alerts", ctx -> {
      java.util.function.Predicate<org.parley.avro.Alert> filter = search.alertsQuery(ctx);
      ArrayNode list = JsonForm.MAPPER.createArrayNode();
      for (AlertFeed.Entry entry : feed.recent(TalkSearch.time(ctx.queryParamMap(), "since"), filter,
          intParam(ctx, "limit", 100))) {
        ObjectNode node = JsonForm.toNode(entry.alert());
        node.put("feedId", entry.id());
        list.add(node);
      }
      json(ctx, 200, list);
    });
    app.sse("/api/alerts/stream", client -> {
      client.keepAlive();
      java.util.function.Predicate<org.parley.avro.Alert> filter = search.streamQuery(client.ctx());
      Consumer<AlertFeed.Entry> send = entry -> {
        if (filter.test(entry.alert())) {
          client.sendEvent("alert", entry.json(), entry.id());
        }
      };
      client.onClose(() -> feed.unsubscribe(send));
      client.sendComment("parley alerts; reconnect with Last-Event-ID to resume");
      // A reconnecting browser sends Last-Event-ID; a page that loaded recent alerts first says where it stopped.
      String last = client.ctx().header("Last-Event-ID");
      feed.subscribe(last != null ? last : client.ctx().queryParam("after"), send);
    });
    app.post("/api/events", ctx -> {
      authorize(ctx, settings.token());
      long length = ctx.contentLength();
      if (length > MAX_BODY_BYTES) {
        throw error(413, "the body is " + length + " bytes; the limit is " + MAX_BODY_BYTES
            + " (send events in smaller batches)");
      }
      List<DiplomaticEvent> events = parseEvents(ctx.body(), lines);
      int published;
      synchronized (publisher) {
        published = publisher.publish(events);
      }
      ObjectNode result = JsonForm.MAPPER.createObjectNode();
      result.put("published", published);
      result.put("topic", topics.events().name());
      json(ctx, 202, result);
    });
    app.get("/health", ctx -> {
      KafkaStreams.State state = streams.state();
      ObjectNode health = JsonForm.MAPPER.createObjectNode();
      boolean up = state == KafkaStreams.State.RUNNING;
      health.put("status", up ? "UP" : "DOWN");
      health.put("pipeline", state.toString());
      health.put("alertFeedCaughtUp", feed.caughtUp());
      health.put("instance", settings.applicationServer());
      json(ctx, up ? 200 : 503, health);
    });
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(resource("/parley/openapi.json")));
    app.get(TalkQueries.INTERNAL, ctx -> {
      ArrayNode list = JsonForm.MAPPER.createArrayNode();
      talks.localSummaries().forEach(list::add);
      json(ctx, 200, list);
    });
    app.get(TalkQueries.INTERNAL + "/{id}/history", ctx -> {
      ArrayNode list = JsonForm.MAPPER.createArrayNode();
      talks.localHistory(ctx.pathParam("id")).forEach(e -> list.add(JsonForm.toNode(e)));
      json(ctx, 200, list);
    });
    app.get(TalkQueries.INTERNAL + "/{id}", ctx -> {
      Optional<TalkState> talk = talks.localTalk(ctx.pathParam("id"));
      if (talk.isEmpty()) {
        throw error(404, "no talk '" + ctx.pathParam("id") + "' here");
      }
      json(ctx, 200, JsonForm.toNode(talk.get()));
    });

    app.exception(ApiError.class, (e, ctx) -> problem(ctx, e.status, e.getMessage(), e.problems));
    app.exception(TalkQueries.NotReady.class, (e, ctx) -> {
      ctx.header("Retry-After", "2");
      problem(ctx, 503, e.getMessage(), List.of());
    });
    app.exception(InvalidStateStoreException.class, (e, ctx) -> {
      ctx.header("Retry-After", "2");
      problem(ctx, 503, "the talks are being restored or moved between instances; try again in a moment", List.of());
    });
    app.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, e.getStatus(),
        e.getStatus() == 413 ? "the body is over the limit of " + MAX_BODY_BYTES + " bytes" : e.getMessage(), List.of()));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      problem(ctx, 500, "internal error: " + e.getMessage(), List.of());
    });
    app.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty()) {
        problem(ctx, 404, "no such resource: " + ctx.path() + " (see /openapi.json)", List.of());
      }
    });

    app.start(settings.bindHost(), settings.port());
    LOG.info("gateway listening on http://{}:{} (dashboard at /, API under /api)", settings.bindHost(), settings.port());
    return new Gateway(app, feed, metrics, streamsMetrics, newsroom);
  }

  /** The body: one event or a list of them, each in the JSON form; every problem of every event reported at once. */
  static List<DiplomaticEvent> parseEvents(String body, EventLines lines) {
    JsonNode root;
    try {
      root = JsonForm.MAPPER.readTree(body);
    } catch (IOException e) {
      throw error(400, "the body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !(root.isObject() || root.isArray())) {
      throw error(400, "send one event (a JSON object) or a list of events (a JSON array)");
    }
    List<JsonNode> nodes = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(nodes::add);
    } else {
      nodes.add(root);
    }
    if (nodes.isEmpty()) {
      throw error(400, "the list of events is empty");
    }
    List<DiplomaticEvent> events = new ArrayList<>();
    List<ObjectNode> problems = new ArrayList<>();
    java.util.Map<String, Integer> firstOfId = new java.util.HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      try {
        DiplomaticEvent event = lines.parse(nodes.get(i));
        Integer earlier = firstOfId.putIfAbsent(Events.identity(event), i);
        if (earlier != null) {
          throw new InvalidRecord(List.of(new Problem("eventId", "'" + event.getEventId() + "' of talk '"
              + event.getTalkId() + "' is already used by event " + earlier + " of this request")));
        }
        events.add(event);
      } catch (InvalidRecord e) {
        for (Problem p : e.problems()) {
          ObjectNode problem = JsonForm.MAPPER.createObjectNode();
          problem.put("event", i);
          problem.put("field", p.field());
          problem.put("message", p.message());
          problems.add(problem);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ApiError(400, problems.size() + " problem(s); nothing was published", problems);
    }
    return events;
  }

  static void authorize(Context ctx, String token) {
    String header = ctx.header("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"parley\"");
      throw error(401, "publishing needs a bearer token: send 'Authorization: Bearer <token>'");
    }
    byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8))) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"parley\", error=\"invalid_token\"");
      throw error(401, "the bearer token is not the one this gateway was started with");
    }
  }

  private static Instant time(String value, String name) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (RuntimeException e) {
      throw error(400, name + ": '" + value + "' is not an ISO-8601 time such as 2016-09-08T16:00:00Z");
    }
  }

  private static int intParam(Context ctx, String name, int fallback) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw error(400, name + ": '" + value + "' is not a positive whole number");
    }
  }

  private static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType("application/json").result(body.toString());
  }

  private static void problem(Context ctx, int status, String message, List<ObjectNode> problems) {
    ObjectNode body = JsonForm.MAPPER.createObjectNode();
    body.put("status", status);
    body.put("error", message);
    if (!problems.isEmpty()) {
      body.putArray("problems").addAll(problems);
    }
    json(ctx, status, body);
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = Gateway.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static ApiError error(int status, String message) {
    return new ApiError(status, message, List.of());
  }

  /** An answer other than 200, with a message for a person and, for bad events, every problem by field. */
  static final class ApiError extends RuntimeException {
    final int status;
    final List<ObjectNode> problems;

    ApiError(int status, String message, List<ObjectNode> problems) {
      super(message, null, false, false);
      this.status = status;
      this.problems = problems;
    }
  }

  public int port() {
    return app.port();
  }

  /** Exposed for tests and wiring: the registry behind /metrics. */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  @Override
  public void close() {
    app.stop();
    newsroom.close();
    feed.close();
    streamsMetrics.close();
    metrics.close();
  }
}
