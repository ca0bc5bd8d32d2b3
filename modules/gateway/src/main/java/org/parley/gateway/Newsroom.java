package org.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiContentProperty;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiRequestBody;
import io.javalin.openapi.OpenApiResponse;
import io.javalin.openapi.OpenApiSecurity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.parley.avro.Alert;
import org.parley.client.Topic;
import org.parley.model.InvalidRecord;
import org.parley.model.JsonForm;
import org.parley.model.Problem;

/**
 * What the gateway does for newsrooms beyond the core API, kept in one place: CORS for the origins
 * allowed, the check of the live stream's filters, and webhook subscriptions (the API and their
 * delivery).
 */
final class Newsroom implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Newsroom.class);
  static final String SUBSCRIPTIONS = "/api/subscriptions";
  static final String SUBSCRIPTION = "/api/subscriptions/{id}";
  static final String UNDELIVERED = "/api/subscriptions/{id}/undelivered";

  private final Subscriptions subscriptions;
  private final Webhooks webhooks;
  private final String token;

  private Newsroom(Subscriptions subscriptions, Webhooks webhooks, String token) {
    this.subscriptions = subscriptions;
    this.webhooks = webhooks;
    this.token = token;
  }

  /** Adds the routes; call before the core routes so CORS answers preflights first. */
  static Newsroom install(
      Javalin app,
      Gateway.Settings settings,
      String bootstrap,
      Map<String, Object> client,
      String applicationId,
      Topic<String, Alert> alerts,
      TalkQueries talks,
      String token) {
    Cors cors = new Cors(settings.corsOrigins());
    app.before(
        ctx -> {
          if (cors.apply(ctx)) {
            ctx.skipRemainingHandlers();
          }
        });
    // A browser opens the stream before any filter could fail inside it: check the parameters
    // first.
    app.before(
        "/api/alerts/stream",
        ctx -> {
          TalkSearch.check(ctx.queryParamMap(), TalkSearch.STREAM_PARAMS);
          TalkSearch.alertFilter(ctx.queryParamMap());
        });

    Subscriptions opened = null;
    Webhooks webhooks;
    try {
      opened = new Subscriptions(bootstrap, client, alerts.name());
      webhooks =
          new Webhooks(
              bootstrap,
              client,
              applicationId + "-webhooks",
              settings.applicationServer(),
              alerts,
              id -> talks.talk(id).talk(),
              Webhooks.Settings.DEFAULT);
    } catch (RuntimeException e) {
      // The rest of the gateway does not need them: run without webhooks, and say why where they
      // are asked for.
      String why = "webhook subscriptions are off on this instance: " + e.getMessage();
      LOG.warn(why);
      if (opened != null) {
        opened.close();
      }
      app.before(
          "/api/subscriptions*",
          ctx -> {
            throw new Gateway.ApiError(503, why, List.of());
          });
      return new Newsroom(null, null, token);
    }
    Newsroom newsroom = new Newsroom(opened, webhooks, token);
    app.post(SUBSCRIPTIONS, newsroom::subscribe);
    app.get(SUBSCRIPTIONS, newsroom::subscriptions);
    app.get(SUBSCRIPTION, newsroom::subscription);
    app.get(UNDELIVERED, newsroom::undelivered);
    app.delete(SUBSCRIPTION, newsroom::unsubscribe);
    return newsroom;
  }

  @OpenApi(
      path = SUBSCRIPTIONS,
      methods = HttpMethod.POST,
      tags = "subscriptions",
      summary =
          "Subscribe a webhook to alerts (bearer token). Each matching alert is POSTed once: JSON (or Slack's"
              + " {text}), header X-Parley-Alert-Id, X-Parley-Signature: sha256=<hex HMAC-SHA256 of the body with the"
              + " secret>; retried with backoff, kept when it cannot be delivered.",
      security = @OpenApiSecurity(name = ApiDoc.BEARER),
      requestBody =
          @OpenApiRequestBody(
              required = true,
              content =
                  @OpenApiContent(
                      type = "object",
                      mimeType = "application/json",
                      properties = {
                        @OpenApiContentProperty(name = "url", type = "string"),
                        @OpenApiContentProperty(name = "secret", type = "string"),
                        @OpenApiContentProperty(name = "talk", type = "string"),
                        @OpenApiContentProperty(name = "party", type = "string"),
                        @OpenApiContentProperty(name = "minSeverity", type = "string"),
                        @OpenApiContentProperty(name = "format", type = "string")
                      }),
              description =
                  "url is required; secret (16 characters or more) is made when not given; talk, party and"
                      + " minSeverity filter the alerts; format is json or slack"),
      responses = {
        @OpenApiResponse(
            status = "201",
            description = "Made; the secret is in this answer only",
            content = @OpenApiContent(type = "object", mimeType = "application/json")),
        @OpenApiResponse(
            status = "400",
            description = "Every problem, by field",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "401",
            description = "No or wrong bearer token",
            content = @OpenApiContent(from = ApiDoc.Error.class))
      })
  void subscribe(Context ctx) {
    Gateway.authorize(ctx, token);
    JsonNode body;
    try {
      body = JsonForm.MAPPER.readTree(ctx.body());
    } catch (IOException e) {
      throw new Gateway.ApiError(
          400,
          "the body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""),
          List.of());
    }
    try {
      Subscription made = subscriptions.create(body);
      ObjectNode answer = made.publicJson();
      answer.put("secret", made.secret()); // shown once, to the one who made it
      ctx.header("Location", "/api/subscriptions/" + made.subscriptionId());
      ctx.status(201).contentType("application/json").result(answer.toString());
    } catch (InvalidRecord e) {
      List<ObjectNode> problems = new ArrayList<>();
      for (Problem p : e.problems()) {
        ObjectNode problem = JsonForm.MAPPER.createObjectNode();
        problem.put("field", p.field());
        problem.put("message", p.message());
        problems.add(problem);
      }
      throw new Gateway.ApiError(
          400, problems.size() + " problem(s); no subscription was made", problems);
    }
  }

  @OpenApi(
      path = SUBSCRIPTIONS,
      methods = HttpMethod.GET,
      tags = "subscriptions",
      summary = "Every subscription and how its delivery goes (bearer token)",
      security = @OpenApiSecurity(name = ApiDoc.BEARER),
      responses = {
        @OpenApiResponse(
            status = "200",
            description = "Subscriptions, without secrets",
            content = @OpenApiContent(from = Object[].class)),
        @OpenApiResponse(
            status = "401",
            description = "No or wrong bearer token",
            content = @OpenApiContent(from = ApiDoc.Error.class))
      })
  void subscriptions(Context ctx) {
    Gateway.authorize(ctx, token);
    ArrayNode list = JsonForm.MAPPER.createArrayNode();
    Webhooks.list(subscriptions).forEach(list::add);
    ctx.contentType("application/json").result(list.toString());
  }

  @OpenApi(
      path = SUBSCRIPTION,
      methods = HttpMethod.GET,
      tags = "subscriptions",
      summary = "One subscription (bearer token)",
      security = @OpenApiSecurity(name = ApiDoc.BEARER),
      pathParams = @OpenApiParam(name = "id", required = true),
      responses = {
        @OpenApiResponse(
            status = "200",
            description = "It",
            content = @OpenApiContent(type = "object", mimeType = "application/json")),
        @OpenApiResponse(
            status = "401",
            description = "No or wrong bearer token",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "404",
            description = "No such subscription",
            content = @OpenApiContent(from = ApiDoc.Error.class))
      })
  void subscription(Context ctx) {
    Gateway.authorize(ctx, token);
    ObjectNode found =
        Webhooks.list(subscriptions).stream()
            .filter(s -> s.get("subscriptionId").asText().equals(ctx.pathParam("id")))
            .findFirst()
            .orElseThrow(() -> notFound(ctx));
    ctx.contentType("application/json").result(found.toString());
  }

  @OpenApi(
      path = UNDELIVERED,
      methods = HttpMethod.GET,
      tags = "subscriptions",
      summary = "The alerts given up on after every retry, with the last error (bearer token)",
      security = @OpenApiSecurity(name = ApiDoc.BEARER),
      pathParams = @OpenApiParam(name = "id", required = true),
      responses = {
        @OpenApiResponse(
            status = "200",
            description = "Kept alerts, oldest first",
            content = @OpenApiContent(from = Object[].class)),
        @OpenApiResponse(
            status = "401",
            description = "No or wrong bearer token",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "404",
            description = "No such subscription",
            content = @OpenApiContent(from = ApiDoc.Error.class))
      })
  void undelivered(Context ctx) {
    Gateway.authorize(ctx, token);
    if (!subscriptions.all().containsKey(ctx.pathParam("id"))) {
      throw notFound(ctx);
    }
    ArrayNode list = JsonForm.MAPPER.createArrayNode();
    subscriptions.undelivered(ctx.pathParam("id")).forEach(list::add);
    ctx.contentType("application/json").result(list.toString());
  }

  @OpenApi(
      path = SUBSCRIPTION,
      methods = HttpMethod.DELETE,
      tags = "subscriptions",
      summary = "Remove it (bearer token)",
      security = @OpenApiSecurity(name = ApiDoc.BEARER),
      pathParams = @OpenApiParam(name = "id", required = true),
      responses = {
        @OpenApiResponse(status = "204", description = "Removed"),
        @OpenApiResponse(
            status = "401",
            description = "No or wrong bearer token",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "404",
            description = "No such subscription",
            content = @OpenApiContent(from = ApiDoc.Error.class))
      })
  void unsubscribe(Context ctx) {
    Gateway.authorize(ctx, token);
    if (!subscriptions.remove(ctx.pathParam("id"))) {
      throw notFound(ctx);
    }
    ctx.status(204);
  }

  private static Gateway.ApiError notFound(Context ctx) {
    return new Gateway.ApiError(404, "no subscription '" + ctx.pathParam("id") + "'", List.of());
  }

  @Override
  public void close() {
    if (webhooks != null) {
      webhooks.close();
      subscriptions.close();
    }
  }
}
