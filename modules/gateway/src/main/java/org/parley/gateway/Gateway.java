package org.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.openapi.BearerAuth;
import io.javalin.openapi.plugin.OpenApiPlugin;
import io.javalin.openapi.plugin.swagger.SwaggerPlugin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.parley.avro.TalkState;
import org.parley.client.EventJsonSchema;
import org.parley.client.Topics;
import org.parley.ingest.EventPublisher;
import org.parley.model.JsonForm;
import org.parley.topology.TalkStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley over HTTP, for browsers and anything that does not speak Kafka: talks (read through
 * interactive queries, from whichever instance holds them), alerts (also live, as server-sent
 * events), a door for events (validated, then published), webhook subscriptions, health, Prometheus
 * metrics, the OpenAPI description (generated from the routes' annotations, browsable at {@value
 * OpsRoutes#API_DOCS}), and the newsroom dashboard. Each group of routes is a class of its own
 * ({@link TalkRoutes}, {@link AlertRoutes}, {@link EventRoutes}, {@link Newsroom}, {@link
 * OpsRoutes}); this one wires them and turns failures into answers.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  public static final int DEFAULT_PORT = 8080;
  public static final long MAX_BODY_BYTES = 1024 * 1024;

  /**
   * How many events one request may carry: what bounds the work of checking a body, whatever it
   * holds.
   */
  public static final int MAX_EVENTS_PER_REQUEST = 10_000;

  /** How many problems a refused body lists; the rest are counted ("and 499,900 more"). */
  public static final int MAX_PROBLEMS_LISTED = 100;

  /**
   * How many live alert streams (SSE) one gateway serves at once; each holds a thread while it is
   * open.
   */
  public static final int MAX_ALERT_STREAMS = 200;

  /** How many {@code asOf} folds run at once; more are answered 429 at once, not queued. */
  public static final int MAX_AS_OF_FOLDS = 2;

  /** How long one {@code asOf} fold may take before it is stopped and answered 503. */
  public static final Duration AS_OF_TIME_LIMIT = Duration.ofSeconds(30);

  /** How many recent alerts the gateway keeps for /api/alerts and for streams that resume. */
  static final int RECENT_ALERTS = 10_000;

  /**
   * @param bindHost the address to listen on (0.0.0.0 for every interface)
   * @param advertisedHost how other instances and browsers reach this one (its application.server)
   * @param token the bearer token required to publish events
   * @param corsOrigins the origins (https://desk.example.org) whose pages may call the API; none by
   *     default
   */
  public record Settings(
      String bindHost, int port, String advertisedHost, String token, List<String> corsOrigins) {
    public Settings(String bindHost, int port, String advertisedHost, String token) {
      this(bindHost, port, advertisedHost, token, List.of());
    }

    public String applicationServer() {
      return advertisedHost + ":" + port;
    }
  }

  /**
   * What the gateway works with, handed to it by whoever wires it (it reads nothing back out of a
   * pipeline).
   *
   * @param streams the running pipeline: its talk stores are queried, its state and metrics
   *     reported
   * @param bootstrapServers the cluster the alerts are followed on and webhook subscriptions kept
   *     in
   * @param clientProperties Kafka client settings (security) for those consumers and producers
   * @param applicationId names the gateway's own consumer groups (webhooks)
   * @param topics the topic names: alerts followed, events published to
   * @param futureTolerance how far ahead of its recording an event may be dated: the fold's rule,
   *     checked at the door
   * @param publisher where POST /api/events publishes (null: an instance that takes no events)
   * @param history time travel: the talk as of a past time
   */
  public record Backend(
      KafkaStreams streams,
      String bootstrapServers,
      Map<String, Object> clientProperties,
      String applicationId,
      Topics topics,
      Duration futureTolerance,
      EventPublisher publisher,
      TalkHistory history) {}

  /**
   * The talk as it stood at a past moment, folded from the log. Time travel is not the gateway's
   * business: whoever starts the gateway says how (app folds the event log through topology).
   */
  public interface TalkHistory {
    Optional<TalkState> talkAsOf(String talkId, Instant asOf);
  }

  /** How much an asOf question may cost: folds at once, and time per fold. */
  public record AsOfLimits(int concurrent, Duration timeLimit) {
    public static final AsOfLimits DEFAULT = new AsOfLimits(MAX_AS_OF_FOLDS, AS_OF_TIME_LIMIT);
  }

  private final Javalin app;
  private final AlertFeed feed;
  private final AsOfFolds asOfFolds;
  private final OpsRoutes ops;
  private final Newsroom newsroom;

  private Gateway(
      Javalin app, AlertFeed feed, AsOfFolds asOfFolds, OpsRoutes ops, Newsroom newsroom) {
    this.app = app;
    this.feed = feed;
    this.asOfFolds = asOfFolds;
    this.ops = ops;
    this.newsroom = newsroom;
  }

  public static Gateway start(Settings settings, Backend backend) {
    return start(settings, backend, AsOfLimits.DEFAULT);
  }

  public static Gateway start(Settings settings, Backend backend, AsOfLimits asOfLimits) {
    TalkQueries talks =
        new TalkQueries(
            new TalkStore(backend.streams()),
            new HostInfo(settings.advertisedHost(), settings.port()));
    TalkSearch search = new TalkSearch(talks);
    AlertFeed feed =
        new AlertFeed(
            backend.bootstrapServers(),
            backend.clientProperties(),
            backend.topics().alerts(),
            RECENT_ALERTS);
    AsOfFolds asOfFolds =
        new AsOfFolds(backend.history(), asOfLimits.concurrent(), asOfLimits.timeLimit());
    OpsRoutes ops = new OpsRoutes(backend.streams(), feed, settings.applicationServer());

    Javalin app = Javalin.create(Gateway::configure);
    ops.timeRequests(app);
    Newsroom newsroom =
        Newsroom.install(
            app,
            settings,
            backend.bootstrapServers(),
            backend.clientProperties(),
            backend.applicationId(),
            backend.topics().alerts(),
            talks,
            settings.token());
    new TalkRoutes(talks, search, asOfFolds, feed).install(app);
    new AlertRoutes(feed, search).install(app);
    new EventRoutes(
            settings.token(),
            backend.futureTolerance(),
            talks,
            backend.publisher(),
            backend.topics().events().name())
        .install(app);
    ops.install(app);
    answerFailures(app);

    app.start(settings.bindHost(), settings.port());
    LOG.info(
        "gateway listening on http://{}:{} (dashboard at /, API under /api, its description at {})",
        settings.bindHost(),
        settings.port(),
        OpsRoutes.API_DOCS);
    return new Gateway(app, feed, asOfFolds, ops, newsroom);
  }

  /**
   * Limits, the dashboard's files, and the API's description: generated at build time from the
   * routes' annotations.
   */
  private static void configure(JavalinConfig config) {
    config.showJavalinBanner = false;
    config.http.maxRequestSize = MAX_BODY_BYTES;
    config.staticFiles.add(
        files -> {
          files.hostedPath = "/";
          files.directory = "/parley/dashboard";
          files.location = Location.CLASSPATH;
        });
    config.registerPlugin(
        new OpenApiPlugin(
            openApi ->
                openApi
                    .withDocumentationPath(OpsRoutes.OPENAPI)
                    .withDefinitionConfiguration(
                        (version, definition) ->
                            definition
                                .withInfo(
                                    info -> {
                                      info.setTitle("Parley gateway");
                                      info.setVersion(
                                          Optional.ofNullable(
                                                  Gateway.class
                                                      .getPackage()
                                                      .getImplementationVersion())
                                              .orElse("development"));
                                      info.setDescription(
                                          "Talks, alerts and events over HTTP. Records are in Parley's JSON form (times are"
                                              + " ISO-8601 text, enums their symbols, an event's payload type in 'type'); the Avro schemas in"
                                              + " schemas/ define every field. Errors are {status, error, problems?}. Generated from the"
                                              + " gateway's routes.");
                                    })
                                .withSecurity(
                                    security ->
                                        security.withSecurityScheme(
                                            ApiDoc.BEARER, new BearerAuth()))
                                .withDefinitionProcessor(Gateway::withEventSchema))));
    config.registerPlugin(
        new SwaggerPlugin(
            swagger -> {
              swagger.setDocumentationPath(OpsRoutes.OPENAPI);
              swagger.setUiPath(OpsRoutes.API_DOCS);
              swagger.setTitle("Parley gateway API");
            }));
  }

  /** The event's JSON Schema, generated from the Avro schemas, as the body of POST /api/events. */
  private static String withEventSchema(ObjectNode document) {
    ObjectNode event = EventJsonSchema.generate();
    event.remove("$schema");
    event.remove("$id");
    ObjectNode schemas = document.withObjectProperty("components").withObjectProperty("schemas");
    schemas.set("DiplomaticEvent", event);
    JsonNode body =
        document.at(
            "/paths/"
                + EventRoutes.EVENTS.replace("/", "~1")
                + "/post/requestBody/content/application~1json");
    if (body instanceof ObjectNode json) {
      ObjectNode oneOf = json.putObject("schema");
      oneOf.putArray("oneOf").addObject().put("$ref", "#/components/schemas/DiplomaticEvent");
      oneOf
          .withArray("oneOf")
          .addObject()
          .put("type", "array")
          .putObject("items")
          .put("$ref", "#/components/schemas/DiplomaticEvent");
    }
    return document.toPrettyString();
  }

  /**
   * Every failure answered as {status, error, problems?}, with Retry-After where trying again will
   * help.
   */
  private static void answerFailures(Javalin app) {
    app.exception(ApiError.class, (e, ctx) -> problem(ctx, e.status, e.getMessage(), e.problems));
    app.exception(
        AsOfFolds.Busy.class,
        (e, ctx) -> {
          ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
          problem(ctx, e.status, e.getMessage(), List.of());
        });
    app.exception(
        TalkStore.NotReady.class,
        (e, ctx) -> {
          ctx.header("Retry-After", "2");
          problem(ctx, 503, e.getMessage(), List.of());
        });
    app.exception(
        InvalidStateStoreException.class,
        (e, ctx) -> {
          ctx.header("Retry-After", "2");
          problem(
              ctx,
              503,
              "the talks are being restored or moved between instances; try again in a moment",
              List.of());
        });
    app.exception(
        HttpResponseException.class,
        (e, ctx) ->
            problem(
                ctx,
                e.getStatus(),
                e.getStatus() == 413
                    ? "the body is over the limit of " + MAX_BODY_BYTES + " bytes"
                    : e.getMessage(),
                List.of()));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
          problem(ctx, 500, "internal error: " + e.getMessage(), List.of());
        });
    app.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            problem(
                ctx,
                404,
                "no such resource: " + ctx.path() + " (see " + OpsRoutes.OPENAPI + ")",
                List.of());
          }
        });
  }

  /**
   * The routes this gateway answers, as "METHOD /path" (filters and the dashboard's files left
   * out).
   */
  public List<String> routes() {
    return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
        .map(e -> e.getEndpoint())
        .filter(e -> e.getMethod().isHttpMethod())
        .map(e -> e.getMethod().name() + " " + e.getPath())
        .toList();
  }

  /**
   * Whether the client of a request still being worked on has closed its connection. Jetty reads
   * nothing from a connection while its request is handled, so it would notice only when writing
   * the answer; this reads (without blocking) from the connection itself: end of stream means the
   * client is gone. A byte that arrives instead (a pipelined request) cannot be handed back, so the
   * connection is then closed after the answer.
   */
  static java.util.function.BooleanSupplier clientGone(Context ctx) {
    org.eclipse.jetty.io.EndPoint endPoint;
    try {
      endPoint =
          org.eclipse.jetty.server.Request.getBaseRequest(ctx.req()).getHttpChannel().getEndPoint();
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

  static int intParam(Context ctx, String name, int fallback) {
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

  static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType("application/json").result(body.toString());
  }

  static void problem(Context ctx, int status, String message, List<ObjectNode> problems) {
    ObjectNode body = JsonForm.MAPPER.createObjectNode();
    body.put("status", status);
    body.put("error", message);
    if (!problems.isEmpty()) {
      body.putArray("problems").addAll(problems);
    }
    json(ctx, status, body);
  }

  static ApiError error(int status, String message) {
    return new ApiError(status, message, List.of());
  }

  /**
   * An answer other than 200, with a message for a person and, for bad events, every problem by
   * field.
   */
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

  @Override
  public void close() {
    asOfFolds.close();
    app.stop();
    newsroom.close();
    feed.close();
    ops.close();
  }
}
