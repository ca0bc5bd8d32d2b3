package org.parley.gateway;

import static org.parley.gateway.Gateway.error;
import static org.parley.gateway.Gateway.intParam;
import static org.parley.gateway.Gateway.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.parley.avro.Alert;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.model.JsonForm;
import org.parley.model.TalkTimeline;

/**
 * The talks: searched, one by one (now, or as of a past time), and one talk's timeline; and the
 * internal routes other instances forward talk questions to (not part of the public API).
 */
final class TalkRoutes {
  static final String TALKS = "/api/talks";
  static final String TALK = "/api/talks/{id}";
  static final String TIMELINE = "/api/talks/{id}/timeline";

  private final TalkQueries talks;
  private final TalkSearch search;
  private final AsOfFolds asOfFolds;
  private final AlertFeed feed;

  TalkRoutes(TalkQueries talks, TalkSearch search, AsOfFolds asOfFolds, AlertFeed feed) {
    this.talks = talks;
    this.search = search;
    this.asOfFolds = asOfFolds;
    this.feed = feed;
  }

  void install(Javalin app) {
    app.get(TALKS, this::talks);
    app.get(TALK, this::talk);
    app.get(TIMELINE, this::timeline);
    app.get(TalkQueries.INTERNAL, this::localSummaries);
    app.get(TalkQueries.INTERNAL + "/{id}/history", this::localHistory);
    app.get(TalkQueries.INTERNAL + "/{id}", this::localTalk);
  }

  @OpenApi(
      path = TALKS,
      methods = HttpMethod.GET,
      tags = "talks",
      summary =
          "Talks matching the filters, newest change first, from every Parley instance, a page at a time",
      description =
          "An unknown parameter, or a value not allowed, is a 400 naming the parameter and what it takes."
              + " The total is in X-Total-Count; the next page, when there is one, in Link (rel=next).",
      queryParams = {
        @OpenApiParam(name = "q", description = ApiDoc.Q),
        @OpenApiParam(name = "status", description = ApiDoc.STATUS),
        @OpenApiParam(name = "party", description = ApiDoc.PARTY),
        @OpenApiParam(name = "origin", description = ApiDoc.ORIGIN),
        @OpenApiParam(name = "limit", type = Integer.class, description = "Talks per page"),
        @OpenApiParam(name = "offset", type = Integer.class, description = "Talks to skip")
      },
      responses = {
        @OpenApiResponse(
            status = "200",
            description = "Talk summaries",
            content = @OpenApiContent(from = Object[].class),
            headers = {
              @OpenApiParam(name = "X-Total-Count", type = Integer.class),
              @OpenApiParam(
                  name = "Link",
                  description = "The next page (rel=next), when there is one")
            }),
        @OpenApiResponse(
            status = "400",
            description = "A bad parameter",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "503",
            description = "Parley is starting or rebalancing; retry (Retry-After)",
            content = @OpenApiContent(from = ApiDoc.Error.class))
      })
  void talks(Context ctx) {
    search.talks(ctx);
  }

  @OpenApi(
      path = TALK,
      methods = HttpMethod.GET,
      tags = "talks",
      summary =
          "One talk's state, from whichever instance holds it (header X-Parley-Served-By), or as of a past time",
      pathParams = @OpenApiParam(name = "id", required = true),
      queryParams =
          @OpenApiParam(
              name = "asOf",
              description =
                  "The talk as it stood at this time of its own story:"
                      + " its events up to then, and its deadlines passed against it",
              example = "2016-09-12T00:00:00Z"),
      responses = {
        @OpenApiResponse(
            status = "200",
            description = "The talk (TalkState in JSON form)",
            content = @OpenApiContent(type = "object", mimeType = "application/json")),
        @OpenApiResponse(
            status = "400",
            description = "asOf is not a time",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "404",
            description = "No such talk",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "429",
            description =
                "asOf: this instance is already folding as many talks as of a"
                    + " past time as it does at once; retry after Retry-After seconds",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "503",
            description = "Not ready; retry",
            content = @OpenApiContent(from = ApiDoc.Error.class))
      })
  void talk(Context ctx) {
    String id = ctx.pathParam("id");
    String asOf = ctx.queryParam("asOf");
    Optional<TalkState> talk;
    if (asOf != null) {
      talk = asOfFolds.talkAsOf(id, time(asOf, "asOf"), Gateway.clientGone(ctx));
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
  }

  @OpenApi(
      path = TIMELINE,
      methods = HttpMethod.GET,
      tags = "talks",
      summary =
          "One talk's history: its events in story order, each with its source and the alerts it raised (paged)",
      pathParams = @OpenApiParam(name = "id", required = true),
      queryParams = {
        @OpenApiParam(
            name = "limit",
            type = Integer.class,
            description = "Events per page (100 unless given)"),
        @OpenApiParam(
            name = "after",
            type = Integer.class,
            description = "The 'next' of the previous page")
      },
      responses = {
        @OpenApiResponse(
            status = "200",
            description =
                "A page: talkId, total, items (eventId, type, occurredAt,"
                    + " recordedAt, loggedAt, source, summary, payload, alerts) and next (null on the last page)",
            content = @OpenApiContent(type = "object", mimeType = "application/json")),
        @OpenApiResponse(
            status = "400",
            description = "limit or after is not a positive whole number",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "404",
            description = "No such talk",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "503",
            description = "Not ready; retry",
            content = @OpenApiContent(from = ApiDoc.Error.class))
      })
  void timeline(Context ctx) {
    String id = ctx.pathParam("id");
    List<DiplomaticEvent> events = talks.history(id);
    if (events.isEmpty()) {
      throw error(404, "no talk '" + id + "'");
    }
    int from = intParam(ctx, "after", 0);
    List<Alert> raised =
        feed.recent(null, id, Integer.MAX_VALUE).stream().map(AlertFeed.Entry::alert).toList();
    json(ctx, 200, TalkTimeline.page(id, events, raised, from, intParam(ctx, "limit", 100)));
  }

  private void localSummaries(Context ctx) {
    ArrayNode list = JsonForm.MAPPER.createArrayNode();
    talks.localSummaries().forEach(list::add);
    json(ctx, 200, list);
  }

  private void localHistory(Context ctx) {
    ArrayNode list = JsonForm.MAPPER.createArrayNode();
    talks.localHistory(ctx.pathParam("id")).forEach(e -> list.add(JsonForm.toNode(e)));
    json(ctx, 200, list);
  }

  private void localTalk(Context ctx) {
    Optional<TalkState> talk = talks.localTalk(ctx.pathParam("id"));
    if (talk.isEmpty()) {
      throw error(404, "no talk '" + ctx.pathParam("id") + "' here");
    }
    json(ctx, 200, JsonForm.toNode(talk.get()));
  }

  private static Instant time(String value, String name) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (RuntimeException e) {
      throw error(
          400, name + ": '" + value + "' is not an ISO-8601 time such as 2016-09-08T16:00:00Z");
    }
  }
}
