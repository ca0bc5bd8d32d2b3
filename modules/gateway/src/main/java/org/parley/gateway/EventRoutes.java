package org.parley.gateway;

import static org.parley.gateway.Gateway.error;
import static org.parley.gateway.Gateway.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiContentProperty;
import io.javalin.openapi.OpenApiRequestBody;
import io.javalin.openapi.OpenApiResponse;
import io.javalin.openapi.OpenApiSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.parley.avro.DiplomaticEvent;
import org.parley.ingest.EventLines;
import org.parley.ingest.EventPublisher;
import org.parley.ingest.Repeats;
import org.parley.model.InvalidRecord;
import org.parley.model.JsonForm;
import org.parley.model.Problem;
import org.parley.topology.DeadLetter;
import org.parley.topology.TalkLimit;

/**
 * The door for events: a body of one event or a list, checked whole (bounded, UTF-8, every problem
 * of every event, ids unique, no talk past its size limit), then published in one transaction.
 */
final class EventRoutes {
  static final String EVENTS = "/api/events";

  private final String token;
  private final EventLines lines;
  private final TalkQueries talks;
  private final EventPublisher publisher;
  private final String topic;

  /**
   * @param futureTolerance how far ahead of its recording an event may be dated: the fold's rule,
   *     checked at the door
   */
  EventRoutes(
      String token,
      Duration futureTolerance,
      TalkQueries talks,
      EventPublisher publisher,
      String topic) {
    this.token = token;
    this.lines = new EventLines(Clock.systemUTC(), futureTolerance);
    this.talks = talks;
    this.publisher = publisher;
    this.topic = topic;
  }

  void install(Javalin app) {
    app.post(EVENTS, this::publish);
  }

  @OpenApi(
      path = EVENTS,
      methods = HttpMethod.POST,
      tags = "events",
      summary = "Publish events: checked whole, then published in one transaction",
      security = @OpenApiSecurity(name = ApiDoc.BEARER),
      requestBody =
          @OpenApiRequestBody(
              required = true,
              description =
                  "One event (a JSON object) or a list of them"
                      + " (a JSON array), each in Parley's JSON form: see the schema DiplomaticEvent, generated from the Avro"
                      + " schemas",
              content = @OpenApiContent(type = "object", mimeType = "application/json")),
      responses = {
        @OpenApiResponse(
            status = "202",
            description = "Published",
            content =
                @OpenApiContent(
                    type = "object",
                    mimeType = "application/json",
                    properties = {
                      @OpenApiContentProperty(name = "published", type = "integer"),
                      @OpenApiContentProperty(name = "topic", type = "string")
                    })),
        @OpenApiResponse(
            status = "400",
            description =
                "Not JSON, or events with problems (each with its event index"
                    + " and field); nothing was published",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "401",
            description = "No bearer token, or the wrong one",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "413",
            description = "Over 1 MiB however sent (chunked too), or over 10,000 events",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "415",
            description = "The Content-Type names a charset other than UTF-8",
            content = @OpenApiContent(from = ApiDoc.Error.class)),
        @OpenApiResponse(
            status = "422",
            description =
                "An event would take its talk past the 4 MiB limit of a talk's"
                    + " state; nothing was published",
            content = @OpenApiContent(from = ApiDoc.Error.class))
      })
  void publish(Context ctx) throws IOException {
    Gateway.authorize(ctx, token);
    long length = ctx.contentLength();
    if (length > Gateway.MAX_BODY_BYTES) {
      throw error(
          413,
          "the body is "
              + length
              + " bytes; the limit is "
              + Gateway.MAX_BODY_BYTES
              + " (send events in smaller batches)");
    }
    requireUtf8(ctx.header("Content-Type"));
    List<DiplomaticEvent> events =
        parseEvents(utf8(boundedBody(ctx.req().getInputStream())), lines);
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
      throw new Gateway.ApiError(
          422,
          "a talk's state is limited to "
              + TalkLimit.MAX_STATE_BYTES
              + " bytes; nothing was published",
          problems);
    }
    int published;
    synchronized (publisher) {
      published = publisher.publish(events);
    }
    ObjectNode result = JsonForm.MAPPER.createObjectNode();
    result.put("published", published);
    result.put("topic", topic);
    json(ctx, 202, result);
  }

  /**
   * The body: one event or a list of them, each in the JSON form; every problem of every event
   * reported at once.
   */
  static List<DiplomaticEvent> parseEvents(String body, EventLines lines) {
    JsonNode root;
    try {
      root = JsonForm.MAPPER.readTree(body);
    } catch (IOException e) {
      throw error(
          400, "the body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
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
    if (nodes.size() > Gateway.MAX_EVENTS_PER_REQUEST) {
      throw error(
          413,
          String.format(
              "%,d events in one request; the limit is %,d (send them in smaller batches)",
              nodes.size(), Gateway.MAX_EVENTS_PER_REQUEST));
    }
    List<DiplomaticEvent> events = new ArrayList<>();
    List<ObjectNode> problems = new ArrayList<>();
    // All problems; only the first Gateway.MAX_PROBLEMS_LISTED are kept, so a hostile body costs
    // no memory.
    int total = 0;
    Repeats ids = new Repeats();
    for (int i = 0; i < nodes.size(); i++) {
      try {
        DiplomaticEvent event = lines.parse(nodes.get(i));
        // In one request every event has its own id: even an exact repeat is refused.
        Repeats.Verdict seen = ids.check(event, i);
        if (seen.kind() != Repeats.Kind.FIRST) {
          throw new InvalidRecord(
              List.of(
                  new Problem(
                      "eventId",
                      "'"
                          + event.getEventId()
                          + "' of talk '"
                          + event.getTalkId()
                          + "' is already used by event "
                          + seen.where()
                          + " of this request")));
        }
        events.add(event);
      } catch (InvalidRecord e) {
        for (Problem p : e.problems()) {
          if (++total > Gateway.MAX_PROBLEMS_LISTED) {
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
      String more =
          total > Gateway.MAX_PROBLEMS_LISTED
              ? String.format(
                  " (the first %d are listed, and %,d more)",
                  Gateway.MAX_PROBLEMS_LISTED, total - Gateway.MAX_PROBLEMS_LISTED)
              : "";
      throw new Gateway.ApiError(
          400, String.format("%,d problem(s)%s; nothing was published", total, more), problems);
    }
    return events;
  }

  /**
   * The body, read up to the limit however it is sent (with a Content-Length or chunked): a body
   * over {@link Gateway#MAX_BODY_BYTES} is refused after reading one byte more than the limit, not
   * stored.
   */
  static byte[] boundedBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes((int) Gateway.MAX_BODY_BYTES + 1);
    if (body.length > Gateway.MAX_BODY_BYTES) {
      throw error(
          413,
          "the body is over the limit of "
              + Gateway.MAX_BODY_BYTES
              + " bytes (send events in smaller batches)");
    }
    return body;
  }

  /**
   * Events are JSON, and JSON is UTF-8 (RFC 8259): a body that says it is in another charset is
   * refused.
   */
  static void requireUtf8(String contentType) {
    if (contentType == null) {
      return;
    }
    for (String param : contentType.split(";")) {
      String[] pair = param.trim().split("=", 2);
      if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
        String charset = pair[1].trim().replace("\"", "");
        if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
          throw error(
              415,
              "events must be sent as UTF-8 JSON; the Content-Type says charset="
                  + DeadLetter.excerpt(charset)
                  + " (send UTF-8, or leave the charset out)");
        }
      }
    }
  }

  /**
   * The body as text, decoded strictly: a byte that is not UTF-8 is named by its offset, not
   * replaced.
   */
  static String utf8(byte[] body) {
    java.nio.charset.CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(body.length);
    java.nio.charset.CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw error(
          400,
          String.format(
              "the body is not UTF-8: byte %d (0x%02X) cannot start or continue a UTF-8"
                  + " character (send UTF-8; JSON is always UTF-8)",
              in.position(), body[in.position()] & 0xFF));
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
