package org.parley.gateway;

import static org.parley.gateway.Gateway.error;
import static org.parley.gateway.Gateway.intParam;
import static org.parley.gateway.Gateway.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.parley.avro.Alert;
import org.parley.model.JsonForm;

/**
 * The alerts: the recent ones, and the live stream (server-sent events), a bounded number of
 * streams at once.
 */
final class AlertRoutes {
  static final String ALERTS = "/api/alerts";
  static final String STREAM = "/api/alerts/stream";

  private final AlertFeed feed;
  private final TalkSearch search;
  private final Semaphore streamSlots = new Semaphore(Gateway.MAX_ALERT_STREAMS);

  AlertRoutes(AlertFeed feed, TalkSearch search) {
    this.feed = feed;
    this.search = search;
  }

  void install(Javalin app) {
    app.get(ALERTS, this::alerts);
    // Admission happens before the stream starts, while a 503 can still be sent.
    app.before(STREAM, this::admit);
    app.after(STREAM, ctx -> releaseSlot(ctx));
    app.sse(STREAM, this::stream);
  }

  @OpenApi(
      path = ALERTS,
      methods = HttpMethod.GET,
      tags = "alerts",
      summary = "Recent alerts (this instance keeps the latest 10,000), oldest first",
      description =
          "The filters of /api/talks apply to each alert's talk. An unknown parameter or a bad value is a 400.",
      queryParams = {
        @OpenApiParam(name = "since", description = "Only alerts of this log time or later"),
        @OpenApiParam(name = "talk", description = "Only alerts of this talk"),
        @OpenApiParam(
            name = "limit",
            type = Integer.class,
            description = "How many (100 unless given)"),
        @OpenApiParam(name = "q", description = ApiDoc.Q),
        @OpenApiParam(name = "status", description = ApiDoc.STATUS),
        @OpenApiParam(name = "party", description = ApiDoc.PARTY),
        @OpenApiParam(name = "origin", description = ApiDoc.ORIGIN),
        @OpenApiParam(name = "severity", description = ApiDoc.SEVERITY)
      },
      responses = {
        @OpenApiResponse(
            status = "200",
            description = "Alerts (Alert in JSON form), each with its feedId",
            content = @OpenApiContent(from = Object[].class)),
        @OpenApiResponse(
            status = "400",
            description = "A bad parameter",
            content = @OpenApiContent(from = ApiDoc.Error.class))
      })
  void alerts(Context ctx) {
    Predicate<Alert> filter = search.alertsQuery(ctx);
    ArrayNode list = JsonForm.MAPPER.createArrayNode();
    for (AlertFeed.Entry entry :
        feed.recent(
            TalkSearch.time(ctx.queryParamMap(), "since"), filter, intParam(ctx, "limit", 100))) {
      ObjectNode node = JsonForm.toNode(entry.alert());
      node.put("feedId", entry.id());
      list.add(node);
    }
    json(ctx, 200, list);
  }

  private void admit(Context ctx) {
    if (!streamSlots.tryAcquire()) {
      ctx.header("Retry-After", "10");
      throw error(
          503,
          "this gateway already serves "
              + Gateway.MAX_ALERT_STREAMS
              + " live alert streams; try again"
              + " later or another instance");
    }
    ctx.attribute("stream-slot", new AtomicBoolean(true));
  }

  @OpenApi(
      path = STREAM,
      methods = HttpMethod.GET,
      tags = "alerts",
      summary =
          "Alerts as they happen: server-sent events named 'alert', data an Alert in JSON form, id a feed"
              + " position. Reconnect with Last-Event-ID to get what was missed, from any instance.",
      queryParams = {
        @OpenApiParam(name = "talk", description = "Only alerts of this talk"),
        @OpenApiParam(
            name = "after",
            description =
                "A feedId from /api/alerts: start just after it"
                    + " (Last-Event-ID, when sent, wins)"),
        @OpenApiParam(name = "q", description = ApiDoc.Q),
        @OpenApiParam(name = "status", description = ApiDoc.STATUS),
        @OpenApiParam(name = "party", description = ApiDoc.PARTY),
        @OpenApiParam(name = "origin", description = ApiDoc.ORIGIN),
        @OpenApiParam(name = "severity", description = ApiDoc.SEVERITY)
      },
      headers =
          @OpenApiParam(name = "Last-Event-ID", description = "The id of the last alert received"),
      responses = {
        @OpenApiResponse(
            status = "200",
            description = "An event stream",
            content = @OpenApiContent(type = "string", mimeType = "text/event-stream")),
        @OpenApiResponse(
            status = "400",
            description = "A bad parameter",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "503",
            description =
                "This instance serves as many live streams as it can;"
                    + " retry (Retry-After) or use another",
            content = @OpenApiContent(from = ApiDoc.Error.class))
      })
  void stream(SseClient client) {
    // This thread is the client's own: a client that does not read blocks only itself, never the
    // feed.
    Predicate<Alert> filter = search.streamQuery(client.ctx());
    String talk = client.ctx().queryParam("talk");
    // A reconnecting browser sends Last-Event-ID; a page that loaded recent alerts first says where
    // it stopped.
    String last = client.ctx().header("Last-Event-ID");
    AlertFeed.Subscription subscription =
        feed.subscribe(last != null ? last : client.ctx().queryParam("after"), talk);
    client.onClose(subscription::close);
    try {
      client.sendComment("parley alerts; reconnect with Last-Event-ID to resume");
      while (!client.terminated() && !subscription.closed()) {
        AlertFeed.Entry entry = subscription.next(Duration.ofSeconds(15));
        if (entry != null) {
          if (filter.test(entry.alert())) {
            client.sendEvent("alert", entry.json(), entry.id());
          }
        } else if (!subscription.closed()) {
          client.sendComment("keep-alive"); // also how a client that left is noticed
        }
      }
      if (subscription.overflowed() && !client.terminated()) {
        client.sendComment(
            "this client fell more than "
                + AlertFeed.SUBSCRIBER_QUEUE
                + " alerts behind and is dropped; reconnect with Last-Event-ID to resume");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      subscription.close();
      releaseSlot(client.ctx());
    }
  }

  private void releaseSlot(Context ctx) {
    AtomicBoolean held = ctx.attribute("stream-slot");
    if (held != null && held.getAndSet(false)) {
      streamSlots.release();
    }
  }
}
