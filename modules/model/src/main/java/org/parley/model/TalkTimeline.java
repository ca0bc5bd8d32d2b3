package org.parley.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.parley.avro.AgreementReached;
import org.parley.avro.AgreementStatusChanged;
import org.parley.avro.Alert;
import org.parley.avro.ClockTick;
import org.parley.avro.CommitmentAmended;
import org.parley.avro.CommitmentMade;
import org.parley.avro.CommitmentStatusChanged;
import org.parley.avro.DeadlineMoved;
import org.parley.avro.DeadlineSet;
import org.parley.avro.DeadlineStatusChanged;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.EventCorrected;
import org.parley.avro.EventRetracted;
import org.parley.avro.SessionScheduled;
import org.parley.avro.StatementIssued;
import org.parley.avro.StickingPointRaised;
import org.parley.avro.StickingPointResolved;
import org.parley.avro.TalkAnnounced;
import org.parley.avro.TalkConfirmed;
import org.parley.avro.TalkStatusChanged;

/**
 * A talk's history as a person reads it: its events in story order, each with its source and the
 * alerts it raised, so that the state (where things stand) comes with how they got there. The same
 * form serves {@code GET /api/talks/{id}/timeline} and {@code parley talk ID --timeline}.
 */
public final class TalkTimeline {
  private TalkTimeline() {}

  /** The entries in story order (by occurredAt; the log's order among equal times). */
  public static List<DiplomaticEvent> storyOrder(List<DiplomaticEvent> entries) {
    List<DiplomaticEvent> ordered = new ArrayList<>(entries);
    ordered.sort(
        Comparator.comparing(DiplomaticEvent::getOccurredAt)); // stable: ties keep log order
    return ordered;
  }

  /**
   * A page of the timeline: the items from {@code from} (an index in story order), at most {@code
   * limit}.
   */
  public static ObjectNode page(
      String talkId, List<DiplomaticEvent> entries, List<Alert> alerts, int from, int limit) {
    List<DiplomaticEvent> ordered = storyOrder(entries);
    Map<String, List<Alert>> byCause = new HashMap<>();
    for (Alert alert : alerts) {
      byCause.computeIfAbsent(alert.getCauseEventId(), k -> new ArrayList<>()).add(alert);
    }
    ObjectNode page = JsonForm.MAPPER.createObjectNode();
    page.put("talkId", talkId);
    page.put("total", ordered.size());
    ArrayNode items = page.putArray("items");
    int end = Math.min(ordered.size(), from + limit);
    for (int i = Math.max(0, from); i < end; i++) {
      DiplomaticEvent event = ordered.get(i);
      items.add(item(event, byCause.getOrDefault(event.getEventId(), List.of())));
    }
    if (end < ordered.size()) {
      page.put("next", Integer.toString(end));
    } else {
      page.putNull("next");
    }
    return page;
  }

  /** One event with what it raised. */
  public static ObjectNode item(DiplomaticEvent event, List<Alert> alerts) {
    ObjectNode item = JsonForm.MAPPER.createObjectNode();
    item.put("eventId", event.getEventId());
    item.put("type", Events.type(event));
    item.put("occurredAt", event.getOccurredAt().toString());
    item.put("recordedAt", event.getRecordedAt().toString());
    if (event.getLoggedAt() != null) {
      item.put("loggedAt", event.getLoggedAt().toString());
    }
    item.set("source", JsonForm.toNode(event.getSource()));
    item.put("summary", summary(event));
    ObjectNode payload = JsonForm.toNode((SpecificRecord) event.getPayload());
    item.set("payload", payload);
    ArrayNode raised = item.putArray("alerts");
    alerts.forEach(a -> raised.add(JsonForm.toNode(a)));
    return item;
  }

  /** One line that says what happened. */
  public static String summary(DiplomaticEvent event) {
    Object p = event.getPayload();
    if (p instanceof TalkAnnounced a) {
      return "Talk announced: "
          + a.getTitle()
          + " ("
          + String.join(", ", a.getParties())
          + ")"
          + (a.getVenue() == null ? "" : " in " + a.getVenue());
    } else if (p instanceof TalkConfirmed c) {
      return "Talk confirmed by " + c.getConfirmedBy();
    } else if (p instanceof TalkStatusChanged s) {
      return "Talk " + s.getStatus() + reason(s.getReason());
    } else if (p instanceof SessionScheduled s) {
      return "Session "
          + s.getSessionId()
          + " scheduled for "
          + s.getStartsAt()
          + (s.getVenue() == null ? "" : " in " + s.getVenue());
    } else if (p instanceof StatementIssued s) {
      return s.getSpeaker() + " (" + s.getTone() + "): " + s.getText();
    } else if (p instanceof CommitmentMade m) {
      return "Commitment " + m.getStatus() + ": " + m.getParty() + ": " + m.getAction();
    } else if (p instanceof CommitmentAmended a) {
      return "Commitment " + a.getCommitmentId() + " amended" + reason(a.getReason());
    } else if (p instanceof CommitmentStatusChanged c) {
      return "Commitment " + c.getCommitmentId() + ": " + c.getStatus() + reason(c.getReason());
    } else if (p instanceof DeadlineSet d) {
      return "Deadline set: " + d.getDescription() + ", due " + d.getDueAt();
    } else if (p instanceof DeadlineMoved d) {
      return "Deadline " + d.getDeadlineId() + " moved to " + d.getDueAt() + reason(d.getReason());
    } else if (p instanceof DeadlineStatusChanged d) {
      return "Deadline " + d.getDeadlineId() + ": " + d.getStatus() + reason(d.getReason());
    } else if (p instanceof AgreementReached a) {
      return "Agreement reached (" + a.getKind() + "): " + a.getSummary();
    } else if (p instanceof AgreementStatusChanged a) {
      return "Agreement " + a.getAgreementId() + ": " + a.getStatus() + reason(a.getReason());
    } else if (p instanceof StickingPointRaised s) {
      return "Sticking point raised: " + s.getDescription();
    } else if (p instanceof StickingPointResolved s) {
      return "Sticking point " + s.getStickingPointId() + " resolved" + reason(s.getResolution());
    } else if (p instanceof EventRetracted r) {
      return "Correction: event " + r.getRetractedEventId() + " retracted: " + r.getReason();
    } else if (p instanceof EventCorrected c) {
      return "Correction: event " + c.getCorrectedEventId() + " corrected: " + c.getReason();
    } else if (p instanceof ClockTick) {
      return "Time passed to " + event.getOccurredAt() + " (Parley's clock)";
    }
    return Events.type(event);
  }

  private static String reason(String reason) {
    return reason == null || reason.isBlank() ? "" : " (" + reason + ")";
  }
}
