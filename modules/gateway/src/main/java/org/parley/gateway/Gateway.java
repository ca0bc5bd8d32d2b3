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
import org.parley.topology.TalkLimit;
import org.parley.client.Topics;
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
  /** How many events one request may carry: what bounds the work of checking a body, whatever it holds. */
  public static final int MAX_EVENTS_PER_REQUEST = 10_000;
  /** How many problems a refused body lists; the rest are counted ("and 499,900 more"). */
  public static final int MAX_PROBLEMS_LISTED = 100;
  /** How many live alert streams (SSE) one gateway serves at once; each holds a thread while it is open. */
  public static final int MAX_ALERT_STREAMS = 200;
  /** How many {@code asOf} folds run at once; more are answered 429 at once, not queued. */
  public static final int MAX_AS_OF_FOLDS = 2;
  /** How long one {@code asOf} fold may take before it is stopped and answered 503. */
  public static final java.time.Duration AS_OF_TIME_LIMIT = java.time.Duration.ofSeconds(30);

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
  private final AsOfFolds asOfFolds;
  private final PrometheusMeterRegistry metrics;
  private final KafkaStreamsMetrics streamsMetrics;
  private final Newsroom newsroom;

  private Gateway(Javalin app, AlertFeed feed, AsOfFolds asOfFolds, PrometheusMeterRegistry metrics,
      KafkaStreamsMetrics streamsMetrics, Newsroom newsroom) {
    this.newsroom = newsroom;
    this.app = app;
    this.feed = feed;
    this.asOfFolds = asOfFolds;
    this.metrics = metrics;
    this.streamsMetrics = streamsMetrics;
  }

  /** How much an asOf question may cost: folds at once, and time per fold. */
  public record AsOfLimits(int concurrent, java.time.Duration timeLimit) {
    public static final AsOfLimits DEFAULT = new AsOfLimits(MAX_AS_OF_FOLDS, AS_OF_TIME_LIMIT);
  }

  public static Gateway start(Settings settings, Pipeline pipeline, EventPublisher publisher, TalkHistory history) {
    return start(settings, pipeline, publisher, history, AsOfLimits.DEFAULT);
  }

  public static Gateway start(Settings settings, Pipeline pipeline, EventPublisher publisher, TalkHistory history,
      AsOfLimits asOfLimits) {
    Pipeline.Settings ps = pipeline.settings();
    KafkaStreams streams = pipeline.streams();
    Topics topics = ps.topics();
    TalkQueries talks = new TalkQueries(streams, new HostInfo(settings.advertisedHost(), settings.port()));
    TalkSearch search = new TalkSearch(talks);
    AlertFeed feed = new AlertFeed(ps.bootstrapServers(), ps.clientProperties(), topics.alerts(), 10_000);
    EventLines lines = new EventLines(java.time.Clock.systemUTC(), pipeline.settings().rules().futureTolerance());
    AsOfFolds asOfFolds = new AsOfFolds(history, asOfLimits.concurrent(), asOfLimits.timeLimit());
    java.util.concurrent.Semaphore streamSlots = new java.util.concurrent.Semaphore(MAX_ALERT_STREAMS);

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
        talk = asOfFolds.talkAsOf(id, time(asOf, "asOf"), clientGone(ctx));
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
    // Admission happens before the stream starts, while a 503 can still be sent.
    app.before("/api/alerts/stream", ctx -> {
      if (!streamSlots.tryAcquire()) {
        ctx.header("Retry-After", "10");
        throw error(503, "this gateway already serves " + MAX_ALERT_STREAMS + " live alert streams; try again later"
            + " or another instance");
      }
      ctx.attribute("stream-slot", new java.util.concurrent.atomic.AtomicBoolean(true));
    });
    app.after("/api/alerts/stream", ctx -> releaseSlot(ctx, streamSlots));
    app.sse("/api/alerts/stream", client -> {
      // This thread is the client's own: a client that does not read blocks only itself, never the feed.
      java.util.function.Predicate<org.parley.avro.Alert> filter = search.streamQuery(client.ctx());
      String talk = client.ctx().queryParam("talk");
      // A reconnecting browser sends Last-Event-ID; a page that loaded recent alerts first says where it stopped.
      String last = client.ctx().header("Last-Event-ID");
      AlertFeed.Subscription subscription = feed.subscribe(last != null ? last : client.ctx().queryParam("after"),
          talk);
      client.onClose(subscription::close);
      try {
        client.sendComment("parley alerts; reconnect with Last-Event-ID to resume");
        while (!client.terminated() && !subscription.closed()) {
          AlertFeed.Entry entry = subscription.next(java.time.Duration.ofSeconds(15));
          if (entry != null) {
            if (filter.test(entry.alert())) {
              client.sendEvent("alert", entry.json(), entry.id());
            }
          } else if (!subscription.closed()) {
            client.sendComment("keep-alive"); // also how a client that left is noticed
          }
        }
        if (subscription.overflowed() && !client.terminated()) {
          client.sendComment("this client fell more than " + AlertFeed.SUBSCRIBER_QUEUE
              + " alerts behind and is dropped; reconnect with Last-Event-ID to resume");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        subscription.close();
        releaseSlot(client.ctx(), streamSlots);
      }
    });
    app.post("/api/events", ctx -> {
      authorize(ctx, settings.token());
      long length = ctx.contentLength();
      if (length > MAX_BODY_BYTES) {
        throw error(413, "the body is " + length + " bytes; the limit is " + MAX_BODY_BYTES
            + " (send events in smaller batches)");
      }
      requireUtf8(ctx.header("Content-Type"));
      List<DiplomaticEvent> events = parseEvents(utf8(boundedBody(ctx.req().getInputStream())), lines);
      List<TalkLimit.Overflow> full = TalkLimit.batchProblems(events, talks::localStateBytes);
      if (!full.isEmpty()) {
        List<ObjectNode> problems = new ArrayList<>();
        for (TalkLimit.Overflow o : full) {
          ObjectNode problem = JsonForm.MAPPER.createObjectNode();
          problem.put("event", o.index());
          problem.put("field", "talkId");
          problem.put("message", o.message());
          problems.add(problem);
        }
        throw new ApiError(422, "a talk's state is limited to " + TalkLimit.MAX_STATE_BYTES
            + " bytes; nothing was published", problems);
      }
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
    app.exception(AsOfFolds.Busy.class, (e, ctx) -> {
      ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
      problem(ctx, e.status, e.getMessage(), List.of());
    });
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
    return new Gateway(app, feed, asOfFolds, metrics, streamsMetrics, newsroom);
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
    if (nodes.size() > MAX_EVENTS_PER_REQUEST) {
      throw error(413, String.format("%,d events in one request; the limit is %,d (send them in smaller batches)",
          nodes.size(), MAX_EVENTS_PER_REQUEST));
    }
    List<DiplomaticEvent> events = new ArrayList<>();
    List<ObjectNode> problems = new ArrayList<>();
    int total = 0; // all problems; only the first MAX_PROBLEMS_LISTED are kept, so a hostile body costs no memory
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
          if (++total > MAX_PROBLEMS_LISTED) {
            continue;
          }
          ObjectNode problem = JsonForm.MAPPER.createObjectNode();
          problem.put("event", i);
          problem.put("field", p.field());
          problem.put("message", p.message());
          problems.add(problem);
        }
      }
    }
    if (total > 0) {
      String more = total > MAX_PROBLEMS_LISTED
          ? String.format(" (the first %d are listed, and %,d more)", MAX_PROBLEMS_LISTED, total - MAX_PROBLEMS_LISTED)
          : "";
      throw new ApiError(400, String.format("%,d problem(s)%s; nothing was published", total, more),
          problems);
    }
    return events;
  }

  /**
   * The body, read up to the limit however it is sent (with a Content-Length or chunked): a body
   * over {@link #MAX_BODY_BYTES} is refused after reading one byte more than the limit, not stored.
   */
  static byte[] boundedBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes((int) MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw error(413, "the body is over the limit of " + MAX_BODY_BYTES + " bytes (send events in smaller batches)");
    }
    return body;
  }

  /** Events are JSON, and JSON is UTF-8 (RFC 8259): a body that says it is in another charset is refused. */
  static void requireUtf8(String contentType) {
    if (contentType == null) {
      return;
    }
    for (String param : contentType.split(";")) {
      String[] pair = param.trim().split("=", 2);
      if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
        String charset = pair[1].trim().replace("\"", "");
        if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
          throw error(415, "events must be sent as UTF-8 JSON; the Content-Type says charset="
              + org.parley.topology.DeadLetter.excerpt(charset) + " (send UTF-8, or leave the charset out)");
        }
      }
    }
  }

  /** The body as text, decoded strictly: a byte that is not UTF-8 is named by its offset, not replaced. */
  static String utf8(byte[] body) {
    java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(body.length);
    java.nio.charset.CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw error(400, String.format("the body is not UTF-8: byte %d (0x%02X) cannot start or continue a UTF-8"
          + " character (send UTF-8; JSON is always UTF-8)", in.position(), body[in.position()] & 0xFF));
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /**
   * Whether the client of a request still being worked on has closed its connection. Jetty reads
   * nothing from a connection while its request is handled, so it would notice only when writing
   * the answer; this reads (without blocking) from the connection itself: end of stream means the
   * client is gone. A byte that arrives instead (a pipelined request) cannot be handed back, so
   * the connection is then closed after the answer.
   */
  static java.util.function.BooleanSupplier clientGone(Context ctx) {
    org.eclipse.jetty.io.EndPoint endPoint;
    try {
      endPoint = org.eclipse.jetty.server.Request.getBaseRequest(ctx.req()).getHttpChannel().getEndPoint();
    } catch (RuntimeException | LinkageError e) {
      return () -> false; // not Jetty's request: no way to tell
    }
    boolean[] gone = {false};
    boolean[] consumed = {false};
    return () -> {
      if (gone[0] || consumed[0]) {
        return gone[0];
      }
      java.nio.ByteBuffer one = org.eclipse.jetty.util.BufferUtil.allocate(1);
      try {
        int read = endPoint.fill(one);
        if (read < 0) {
          gone[0] = true;
        } else if (read > 0) {
          consumed[0] = true;
          ctx.header("Connection", "close");
        }
      } catch (IOException | RuntimeException e) {
        gone[0] = true;
      }
      return gone[0];
    };
  }

  private static void releaseSlot(Context ctx, java.util.concurrent.Semaphore slots) {
    java.util.concurrent.atomic.AtomicBoolean held = ctx.attribute("stream-slot");
    if (held != null && held.getAndSet(false)) {
      slots.release();
    }
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
    asOfFolds.close();
    app.stop();
    newsroom.close();
    feed.close();
    streamsMetrics.close();
    metrics.close();
  }
}
