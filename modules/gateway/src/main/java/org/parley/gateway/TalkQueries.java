package org.parley.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.Deadline;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.model.InvalidRecord;
import org.parley.model.JsonForm;
import org.parley.topology.TalkStore;

/**
 * Reads talks through Kafka Streams interactive queries. Each Parley instance holds the talks of
 * the partitions it owns; a question about another instance's talk is forwarded to it (its address
 * is its {@code application.server}), so any instance answers for every talk.
 */
final class TalkQueries {
  static final String INTERNAL = "/internal/talks";

  private final TalkStore store;
  private final HostInfo self;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  TalkQueries(TalkStore store, HostInfo self) {
    this.store = store;
    this.self = self;
  }

  /** A talk, from wherever it lives, and which instance answered. */
  record Answer(Optional<TalkState> talk, String servedBy) {}

  Answer talk(String talkId) {
    HostInfo host = store.owner(talkId);
    if (host.equals(self) || host.port() < 0) {
      return new Answer(localTalk(talkId), hostName(self));
    }
    JsonNode remote = get(host, INTERNAL + "/" + URLEncoder.encode(talkId, StandardCharsets.UTF_8));
    return new Answer(
        remote == null ? Optional.empty() : Optional.of(read(remote)), hostName(host));
  }

  /**
   * How many bytes a talk's state takes, when this instance holds it (0 when it does not, or while
   * the stores are not ready): what the door can check of {@code TalkLimit} before publishing.
   */
  long localStateBytes(String talkId) {
    try {
      return store.stateBytes(talkId);
    } catch (TalkStore.NotReady | InvalidStateStoreException e) {
      return 0; // the pipeline checks it again, with the state in hand
    }
  }

  Optional<TalkState> localTalk(String talkId) {
    return store.talk(talkId);
  }

  /**
   * The events a talk was folded from (its history, as corrected), from wherever it lives; empty
   * for no such talk.
   */
  List<DiplomaticEvent> history(String talkId) {
    HostInfo host = store.owner(talkId);
    if (host.equals(self) || host.port() < 0) {
      return localHistory(talkId);
    }
    JsonNode remote =
        get(host, INTERNAL + "/" + URLEncoder.encode(talkId, StandardCharsets.UTF_8) + "/history");
    List<DiplomaticEvent> events = new ArrayList<>();
    if (remote != null) {
      for (JsonNode node : remote) {
        try {
          events.add(JsonForm.read(node, DiplomaticEvent.class));
        } catch (InvalidRecord e) {
          throw new IllegalStateException(
              "another instance sent an unreadable event: " + e.getMessage());
        }
      }
    }
    return events;
  }

  List<DiplomaticEvent> localHistory(String talkId) {
    return store.history(talkId);
  }

  /** Summaries of every talk this instance holds. */
  List<ObjectNode> localSummaries() {
    List<ObjectNode> summaries = new ArrayList<>();
    store.forEachTalk(talk -> summaries.add(summary(talk)));
    return summaries;
  }

  /** Summaries of every talk, from every instance, newest change first. */
  List<ObjectNode> allSummaries() {
    List<ObjectNode> summaries = new ArrayList<>(localSummaries());
    for (HostInfo host : store.instances()) {
      if (host.equals(self) || host.port() < 0) {
        continue;
      }
      JsonNode remote = get(host, INTERNAL);
      if (remote != null) {
        remote.forEach(node -> summaries.add((ObjectNode) node));
      }
    }
    summaries.sort(
        Comparator.comparing((ObjectNode n) -> n.get("updatedAt").asText())
            .reversed()
            .thenComparing(n -> n.get("talkId").asText()));
    return summaries;
  }

  /** What a list of talks shows: status, what is still open, what comes due next. */
  static ObjectNode summary(TalkState talk) {
    ObjectNode node = JsonForm.MAPPER.createObjectNode();
    node.put("talkId", talk.getTalkId());
    node.put("title", talk.getTitle());
    node.put("status", talk.getStatus().toString());
    node.put("origin", TalkSearch.Origin.of(talk.getTalkId()).label());
    ArrayNode parties = node.putArray("parties");
    talk.getParties().forEach(parties::add);
    node.put(
        "openCommitments", talk.getCommitments().stream().filter(c -> open(c.getStatus())).count());
    node.put(
        "breachedCommitments",
        talk.getCommitments().stream()
            .filter(c -> c.getStatus() == CommitmentStatus.BREACHED)
            .count());
    Optional<Deadline> next =
        talk.getDeadlines().stream()
            .filter(d -> d.getStatus() == DeadlineStatus.OPEN)
            .min(Comparator.comparing(Deadline::getDueAt));
    if (next.isPresent()) {
      ObjectNode deadline = node.putObject("nextDeadline");
      deadline.put("deadlineId", next.get().getDeadlineId());
      deadline.put("description", next.get().getDescription());
      deadline.put("dueAt", next.get().getDueAt().toString());
    } else {
      node.putNull("nextDeadline");
    }
    node.put("eventCount", talk.getEventCount());
    node.put("updatedAt", talk.getUpdatedAt().toString());
    return node;
  }

  private static boolean open(CommitmentStatus status) {
    return switch (status) {
      case PROPOSED, PLEDGED, CONDITIONAL, IN_EFFECT -> true;
      default -> false;
    };
  }

  private JsonNode get(HostInfo host, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + hostName(host) + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404) {
        return null;
      }
      if (response.statusCode() != 200) {
        throw new TalkStore.NotReady(
            "instance " + hostName(host) + " answered " + response.statusCode() + "; try again");
      }
      return JsonForm.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new TalkStore.NotReady(
          "instance "
              + hostName(host)
              + ", which holds this talk, cannot be reached ("
              + e.getMessage()
              + "); try again when it is back or its talks have moved");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TalkStore.NotReady("interrupted");
    }
  }

  private static TalkState read(JsonNode node) {
    try {
      return JsonForm.read(node, TalkState.class);
    } catch (InvalidRecord e) {
      throw new IllegalStateException(
          "another instance sent an unreadable talk: " + e.getMessage());
    }
  }

  static String hostName(HostInfo host) {
    return host.host() + ":" + host.port();
  }
}
