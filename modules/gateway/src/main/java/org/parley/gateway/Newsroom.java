package org.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.parley.avro.Alert;
import org.parley.model.InvalidRecord;
import org.parley.model.JsonForm;
import org.parley.model.Problem;
import org.parley.client.Topic;

/**
 * What the gateway does for newsrooms beyond the core API, kept in one place: CORS for the origins
 * allowed, the check of the live stream's filters, and webhook subscriptions (the API and their
 * delivery).
 */
final class Newsroom implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Newsroom.class);
  private final Subscriptions subscriptions;
  private final Webhooks webhooks;

  private Newsroom(Subscriptions subscriptions, Webhooks webhooks) {
    this.subscriptions = subscriptions;
    this.webhooks = webhooks;
  }

  /** Adds the routes; call before the core routes so CORS answers preflights first. */
  static Newsroom install(Javalin app, Gateway.Settings settings, String bootstrap, Map<String, Object> client,
      String applicationId, Topic<String, Alert> alerts, TalkQueries talks, String token) {
    Cors cors = new Cors(settings.corsOrigins());
    app.before(ctx -> {
      if (cors.apply(ctx)) {
        ctx.skipRemainingHandlers();
      }
    });
    // A browser opens the stream before any filter could fail inside it: check the parameters first.
    app.before("/api/alerts/stream", ctx -> {
      TalkSearch.check(ctx.queryParamMap(), TalkSearch.STREAM_PARAMS);
      TalkSearch.alertFilter(ctx.queryParamMap());
    });

    Subscriptions opened = null;
    Webhooks webhooks;
    try {
      opened = new Subscriptions(bootstrap, client, alerts.name());
      webhooks = new Webhooks(bootstrap, client, applicationId + "-webhooks", settings.applicationServer(),
          alerts, id -> talks.talk(id).talk(), Webhooks.Settings.DEFAULT);
    } catch (RuntimeException e) {
      // The rest of the gateway does not need them: run without webhooks, and say why where they are asked for.
      String why = "webhook subscriptions are off on this instance: " + e.getMessage();
      LOG.warn(why);
      if (opened != null) {
        opened.close();
      }
      app.before("/api/subscriptions*", ctx -> {
        throw new Gateway.ApiError(503, why, List.of());
      });
      return new Newsroom(null, null);
    }
    Subscriptions store = opened;

    app.post("/api/subscriptions", ctx -> {
      Gateway.authorize(ctx, token);
      JsonNode body;
      try {
        body = JsonForm.MAPPER.readTree(ctx.body());
      } catch (IOException e) {
        throw new Gateway.ApiError(400, "the body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""),
            List.of());
      }
      try {
        Subscription made = store.create(body);
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
        throw new Gateway.ApiError(400, problems.size() + " problem(s); no subscription was made", problems);
      }
    });
    app.get("/api/subscriptions", ctx -> {
      Gateway.authorize(ctx, token);
      ArrayNode list = JsonForm.MAPPER.createArrayNode();
      Webhooks.list(store).forEach(list::add);
      ctx.contentType("application/json").result(list.toString());
    });
    app.get("/api/subscriptions/{id}", ctx -> {
      Gateway.authorize(ctx, token);
      ObjectNode found = Webhooks.list(store).stream()
          .filter(s -> s.get("subscriptionId").asText().equals(ctx.pathParam("id"))).findFirst()
          .orElseThrow(() -> notFound(ctx));
      ctx.contentType("application/json").result(found.toString());
    });
    app.get("/api/subscriptions/{id}/undelivered", ctx -> {
      Gateway.authorize(ctx, token);
      if (!store.all().containsKey(ctx.pathParam("id"))) {
        throw notFound(ctx);
      }
      ArrayNode list = JsonForm.MAPPER.createArrayNode();
      store.undelivered(ctx.pathParam("id")).forEach(list::add);
      ctx.contentType("application/json").result(list.toString());
    });
    app.delete("/api/subscriptions/{id}", ctx -> {
      Gateway.authorize(ctx, token);
      if (!store.remove(ctx.pathParam("id"))) {
        throw notFound(ctx);
      }
      ctx.status(204);
    });
    return new Newsroom(store, webhooks);
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
