package org.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.parley.avro.Severity;
import org.parley.model.InvalidRecord;
import org.parley.model.JsonForm;
import org.parley.model.Problem;

/**
 * A webhook subscribed to alerts: where to POST, the secret that signs each body, and which alerts
 * (one talk, one party, a minimum severity). {@code from} is where the alerts topic stood when it
 * was made, partition by partition: it gets the alerts after that, never the history before.
 *
 * @param format "json" (Parley's body) or "slack" (a Slack-compatible {"text": ...} body)
 */
public record Subscription(
    String subscriptionId,
    String url,
    String secret,
    String talk,
    String party,
    Severity minSeverity,
    String format,
    Map<Integer, Long> from,
    Instant createdAt) {

  static final Set<String> FIELDS =
      Set.of("url", "secret", "talk", "party", "minSeverity", "format");
  public static final List<String> FORMATS = List.of("json", "slack");

  /** What a user asks for, checked field by field: every problem at once, each naming its field. */
  public static Subscription request(JsonNode body, Map<Integer, Long> from, Instant now)
      throws InvalidRecord {
    List<Problem> problems = new ArrayList<>();
    if (body == null || !body.isObject()) {
      throw new InvalidRecord(
          List.of(new Problem("(body)", "send a JSON object such as {\"url\": \"https://...\"}")));
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        problems.add(
            new Problem(
                name,
                "unknown field; a subscription has "
                    + String.join(", ", new java.util.TreeSet<>(FIELDS))));
      }
    }
    String url = text(body, "url");
    if (url == null) {
      problems.add(
          new Problem("url", "missing: the webhook to POST alerts to, http:// or https://"));
    } else {
      try {
        URI uri = URI.create(url);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          problems.add(new Problem("url", "'" + url + "' is not an http:// or https:// address"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(new Problem("url", "'" + url + "' is not an address: " + e.getMessage()));
      }
    }
    Severity severity = Severity.INFO;
    String given = text(body, "minSeverity");
    if (given != null) {
      try {
        severity = Severity.valueOf(given.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(
            new Problem(
                "minSeverity", "'" + given + "' is not one of INFO, NOTICE, HIGH, CRITICAL"));
      }
    }
    String format =
        text(body, "format") == null ? "json" : text(body, "format").toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      problems.add(
          new Problem("format", "'" + format + "' is not one of " + String.join(", ", FORMATS)));
    }
    String secret = text(body, "secret");
    if (secret != null && secret.length() < 16) {
      problems.add(
          new Problem(
              "secret", "at least 16 characters (or leave it out and one is made for you)"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidRecord(problems);
    }
    if (secret == null) {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
    return new Subscription(
        UUID.randomUUID().toString(),
        url,
        secret,
        text(body, "talk"),
        text(body, "party"),
        severity,
        format,
        new TreeMap<>(from),
        now);
  }

  /** The stored form, with the secret. */
  ObjectNode toJson() {
    ObjectNode node = publicJson();
    node.put("secret", secret);
    return node;
  }

  /** What the API lists: everything but the secret. */
  public ObjectNode publicJson() {
    ObjectNode node = JsonForm.MAPPER.createObjectNode();
    node.put("subscriptionId", subscriptionId);
    node.put("url", url);
    node.put("talk", talk);
    node.put("party", party);
    node.put("minSeverity", minSeverity.name());
    node.put("format", format);
    ObjectNode positions = node.putObject("from");
    from.forEach((p, o) -> positions.put(Integer.toString(p), o));
    node.put("createdAt", createdAt.toString());
    return node;
  }

  static Subscription fromJson(JsonNode node) {
    Map<Integer, Long> from = new TreeMap<>();
    node.path("from")
        .properties()
        .forEach(e -> from.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
    return new Subscription(
        node.get("subscriptionId").asText(),
        node.get("url").asText(),
        node.get("secret").asText(),
        text(node, "talk"),
        text(node, "party"),
        Severity.valueOf(node.get("minSeverity").asText()),
        node.get("format").asText(),
        from,
        Instant.parse(node.get("createdAt").asText()));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isBlank()
        ? null
        : value.asText().strip();
  }
}
