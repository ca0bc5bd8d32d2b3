package org.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.parley.avro.Alert;
import org.parley.avro.Severity;
import org.parley.avro.TalkState;
import org.parley.avro.TalkStatus;
import org.parley.ingest.feed.Feed;
import org.parley.model.JsonForm;

/**
 * Search and filters over talks and alerts: by text (title, parties), status, party and origin
 * (curated by a desk, or derived from a GDELT or ICEWS feed), alerts also by talk and minimum
 * severity. Every parameter is checked: an unknown one, or a value outside what is allowed, is a
 * 400 that names the parameter and what it takes, never a silent empty list.
 */
final class TalkSearch {
  static final Set<String> TALK_FILTERS = Set.of("q", "status", "party", "origin");
  static final Set<String> TALK_PARAMS = union(TALK_FILTERS, Set.of("limit", "offset"));
  static final Set<String> ALERT_PARAMS =
      union(TALK_FILTERS, Set.of("talk", "severity", "since", "limit"));
  static final Set<String> STREAM_PARAMS = union(TALK_FILTERS, Set.of("talk", "severity", "after"));
  static final int DEFAULT_TALKS = 500;
  static final int MAX_TALKS = 1000;

  /** Where a talk came from: entered by people (curated) or derived from a coded feed. */
  enum Origin {
    CURATED,
    FEED;

    static Origin of(String talkId) {
      for (Feed feed : Feed.values()) {
        if (talkId.startsWith(feed.prefix() + ":")) {
          return FEED;
        }
      }
      return CURATED;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a talk must match; null fields match everything. */
  record TalkFilter(String text, TalkStatus status, String party, Origin origin) {
    static final TalkFilter ANY = new TalkFilter(null, null, null, null);

    /**
     * Whether matching needs more than the talk id (text, status and party need the talk itself).
     */
    boolean needsTalk() {
      return text != null || status != null || party != null;
    }

    boolean matchesId(String talkId) {
      return origin == null || Origin.of(talkId) == origin;
    }

    boolean matches(JsonNode summary) {
      if (!matchesId(summary.get("talkId").asText())) {
        return false;
      }
      if (status != null && !status.name().equals(summary.get("status").asText())) {
        return false;
      }
      List<String> parties = TalkSearch.strings(summary.get("parties"));
      if (party != null && parties.stream().noneMatch(p -> p.equalsIgnoreCase(party))) {
        return false;
      }
      if (text != null) {
        String haystack =
            (summary.get("talkId").asText()
                    + "\n"
                    + summary.get("title").asText()
                    + "\n"
                    + String.join("\n", parties))
                .toLowerCase(Locale.ROOT);
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("\\s+"))
            .allMatch(haystack::contains);
      }
      return true;
    }
  }

  /** What an alert must match: its talk's filter, one talk, a minimum severity. */
  record AlertFilter(TalkFilter talks, String talkId, Severity minimum) {
    /**
     * The alert's own fields; its talk is checked by the caller when {@link
     * TalkFilter#needsTalk()}.
     */
    boolean matchesAlert(Alert alert) {
      return (talkId == null || talkId.equals(alert.getTalkId()))
          && (minimum == null || alert.getSeverity().ordinal() >= minimum.ordinal())
          && talks.matchesId(alert.getTalkId());
    }
  }

  private final TalkQueries queries;

  TalkSearch(TalkQueries queries) {
    this.queries = queries;
  }

  /**
   * GET /api/talks: the matching talks, newest change first, a page at a time (X-Total-Count, Link:
   * next).
   */
  void talks(Context ctx) {
    Map<String, List<String>> params = ctx.queryParamMap();
    check(params, TALK_PARAMS);
    TalkFilter filter = talkFilter(params);
    int limit = number(params, "limit", DEFAULT_TALKS, 1, MAX_TALKS);
    int offset = number(params, "offset", 0, 0, Integer.MAX_VALUE);
    List<ObjectNode> matching = queries.allSummaries().stream().filter(filter::matches).toList();
    ArrayNode page = JsonForm.MAPPER.createArrayNode();
    matching.stream().skip(offset).limit(limit).forEach(page::add);
    ctx.header("X-Total-Count", Integer.toString(matching.size()));
    if (offset + limit < matching.size()) {
      String query =
          params.entrySet().stream()
              .filter(e -> !e.getKey().equals("offset") && !e.getValue().isEmpty())
              .map(
                  e ->
                      e.getKey()
                          + "="
                          + java.net.URLEncoder.encode(
                              e.getValue().get(0), java.nio.charset.StandardCharsets.UTF_8))
              .collect(Collectors.joining("&"));
      ctx.header(
          "Link",
          "</api/talks?"
              + (query.isEmpty() ? "" : query + "&")
              + "offset="
              + (offset + limit)
              + ">; rel=\"next\"");
    }
    ctx.status(200).contentType("application/json").result(page.toString());
  }

  /**
   * The filter of GET /api/alerts, with a test for the alert's talk resolved once over every talk.
   */
  java.util.function.Predicate<Alert> alertsQuery(Context ctx) {
    Map<String, List<String>> params = ctx.queryParamMap();
    check(params, ALERT_PARAMS);
    AlertFilter filter = alertFilter(params);
    if (!filter.talks().needsTalk()) {
      return filter::matchesAlert;
    }
    Set<String> talks =
        queries.allSummaries().stream()
            .filter(filter.talks()::matches)
            .map(s -> s.get("talkId").asText())
            .collect(Collectors.toSet());
    return alert -> filter.matchesAlert(alert) && talks.contains(alert.getTalkId());
  }

  /**
   * The filter of the live stream: each alert's talk is looked up as it comes (it may have just
   * changed).
   */
  java.util.function.Predicate<Alert> streamQuery(Context ctx) {
    Map<String, List<String>> params = ctx.queryParamMap();
    check(params, STREAM_PARAMS);
    AlertFilter filter = alertFilter(params);
    return alert ->
        filter.matchesAlert(alert)
            && (!filter.talks().needsTalk() || talkMatches(filter.talks(), alert));
  }

  private boolean talkMatches(TalkFilter filter, Alert alert) {
    try {
      Optional<TalkState> talk = queries.talk(alert.getTalkId()).talk();
      return talk.isPresent() && filter.matches(TalkQueries.summary(talk.get()));
    } catch (RuntimeException e) {
      return false; // the talk is moving between instances: the page reloads its list anyway
    }
  }

  static TalkFilter talkFilter(Map<String, List<String>> params) {
    String text = text(params, "q");
    TalkStatus status = choice(params, "status", TalkStatus.class, TalkStatus::valueOf, Enum::name);
    String party = text(params, "party");
    Origin origin = choice(params, "origin", Origin.class, Origin::valueOf, Origin::label);
    return new TalkFilter(text, status, party, origin);
  }

  static AlertFilter alertFilter(Map<String, List<String>> params) {
    Severity minimum = choice(params, "severity", Severity.class, Severity::valueOf, Enum::name);
    return new AlertFilter(talkFilter(params), text(params, "talk"), minimum);
  }

  /** Unknown parameters are refused: a misspelt filter must not quietly return everything. */
  static void check(Map<String, List<String>> params, Set<String> allowed) {
    for (String name : params.keySet()) {
      if (!allowed.contains(name)) {
        throw new Gateway.ApiError(
            400,
            "unknown parameter '"
                + name
                + "'; this endpoint takes "
                + String.join(", ", new TreeSet<>(allowed)),
            List.of());
      }
    }
  }

  private static String text(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty() || values.get(0).isBlank()) {
      return null;
    }
    return values.get(0).strip();
  }

  private static <E extends Enum<E>> E choice(
      Map<String, List<String>> params,
      String name,
      Class<E> type,
      Function<String, E> parse,
      Function<E, String> label) {
    String value = text(params, name);
    if (value == null) {
      return null;
    }
    try {
      return parse.apply(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      String allowed =
          Arrays.stream(type.getEnumConstants()).map(label).collect(Collectors.joining(", "));
      throw new Gateway.ApiError(
          400, name + ": '" + value + "' is not one of " + allowed, List.of());
    }
  }

  static int number(Map<String, List<String>> params, String name, int fallback, int min, int max) {
    String value = text(params, name);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new Gateway.ApiError(
          400,
          name
              + ": '"
              + value
              + "' is not a whole number from "
              + min
              + (max == Integer.MAX_VALUE ? " up" : " to " + max),
          List.of());
    }
  }

  static Instant time(Map<String, List<String>> params, String name) {
    String value = text(params, name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (RuntimeException e) {
      throw new Gateway.ApiError(
          400,
          name + ": '" + value + "' is not an ISO-8601 time such as 2016-09-08T16:00:00Z",
          List.of());
    }
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    if (array != null) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
