package org.parley.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.parley.avro.Agreement;
import org.parley.avro.Alert;
import org.parley.avro.AlertType;
import org.parley.avro.Commitment;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.Deadline;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.DeadlineStatusChanged;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.EventCorrected;
import org.parley.avro.EventRetracted;
import org.parley.avro.Severity;
import org.parley.avro.StickingPoint;
import org.parley.avro.TalkState;
import org.parley.avro.TalkStatus;
import org.parley.model.Events;

/**
 * {@code alerts(before, after, event) -> alerts}: what a newsroom should hear about, derived only
 * from the difference between a talk before and after one event. An event that changes nothing
 * alerts nothing, whatever its type.
 *
 * <p>Alerts come in a fixed order (the talk, then commitments, deadlines, agreements and sticking
 * points, each in the talk's own order), and each alert's id is derived from the talk, the causing
 * event, the alert type and the subject, so a replay of the same log yields the same alerts with
 * the same ids, byte for byte.
 */
public final class AlertRules {

  private AlertRules() {}

  public static List<Alert> alerts(TalkState before, TalkState after, DiplomaticEvent event) {
    List<Alert> alerts = new ArrayList<>();
    addAlerts(before, after, event, alerts, AlertIds.mine());
    return alerts;
  }

  /**
   * {@link #alerts}, added to {@code list}: the fold collects an event's alerts in one list, and
   * writes their ids with its own {@code ids}.
   */
  static void addAlerts(
      TalkState before, TalkState after, DiplomaticEvent event, List<Alert> list, AlertIds ids) {
    if (after == null || after == before) {
      return;
    }
    Alerts alerts = new Alerts(after.getTalkId(), event, after.getUpdatedAt(), list, ids);
    talk(before, after, alerts);
    // Copy-on-write: a list the event did not touch is the same list, and an item it did not touch
    // the same object at the same place, so most of a talk is passed over without a lookup.
    // The items at the head of a list that the event left as they were are passed over too.
    if (before == null || before.getCommitments() != after.getCommitments()) {
      List<Commitment> now = after.getCommitments();
      Matches<Commitment> then =
          new Matches<>(
              before == null ? null : before.getCommitments(), now, Commitment::getCommitmentId);
      for (int i = then.untouched(); i < now.size(); i++) {
        commitment(then.at(i, now.get(i)), now.get(i), alerts);
      }
    }
    if (before == null || before.getDeadlines() != after.getDeadlines()) {
      List<Deadline> now = after.getDeadlines();
      Matches<Deadline> then =
          new Matches<>(
              before == null ? null : before.getDeadlines(), now, Deadline::getDeadlineId);
      for (int i = then.untouched(); i < now.size(); i++) {
        deadline(then.at(i, now.get(i)), now.get(i), alerts);
      }
    }
    if (before == null || before.getAgreements() != after.getAgreements()) {
      List<Agreement> now = after.getAgreements();
      Matches<Agreement> then =
          new Matches<>(
              before == null ? null : before.getAgreements(), now, Agreement::getAgreementId);
      for (int i = then.untouched(); i < now.size(); i++) {
        agreement(then.at(i, now.get(i)), now.get(i), alerts);
      }
    }
    if (before == null || before.getStickingPoints() != after.getStickingPoints()) {
      List<StickingPoint> points = after.getStickingPoints();
      Matches<StickingPoint> earlier =
          new Matches<>(
              before == null ? null : before.getStickingPoints(),
              points,
              StickingPoint::getStickingPointId);
      for (int i = earlier.untouched(); i < points.size(); i++) {
        StickingPoint now = points.get(i);
        StickingPoint then = earlier.at(i, now);
        if (then == now) {
          continue; // copy-on-write: untouched
        }
        if (then == null) {
          alerts.add(
              AlertType.STICKING_POINT_RAISED,
              now.getStickingPointId(),
              Severity.INFO,
              null,
              "OPEN",
              "Sticking point raised: " + now.getDescription());
        }
        if (now.getResolvedAt() != null && (then == null || then.getResolvedAt() == null)) {
          alerts.add(
              AlertType.STICKING_POINT_RESOLVED,
              now.getStickingPointId(),
              Severity.NOTICE,
              "OPEN",
              "RESOLVED",
              "Sticking point resolved: "
                  + now.getDescription()
                  + (now.getResolution() == null ? "" : ": " + now.getResolution()));
        }
      }
    }
  }

  private static void talk(TalkState before, TalkState after, Alerts alerts) {
    TalkStatus was = before == null ? null : before.getStatus();
    if (was == after.getStatus()) {
      return;
    }
    String message =
        before == null
            ? "New talk: "
                + after.getTitle()
                + (after.getAnnouncedBy() != null
                    ? " (announced by " + after.getAnnouncedBy() + ")"
                    : " (confirmed by " + after.getConfirmedBy() + ")")
            : after.getTitle()
                + ": "
                + was
                + " -> "
                + after.getStatus()
                + (after.getStatus() == TalkStatus.CONFIRMED && after.getConfirmedBy() != null
                    ? " (confirmed by " + after.getConfirmedBy() + ")"
                    : "");
    Severity severity =
        switch (after.getStatus()) {
          case COLLAPSED, CANCELLED, SUSPENDED -> Severity.HIGH;
          default -> Severity.NOTICE;
        };
    alerts.add(
        AlertType.TALK_STATUS_CHANGED,
        after.getTalkId(),
        severity,
        name(was),
        after.getStatus().toString(),
        message);
  }

  private static void agreement(Agreement before, Agreement after, Alerts alerts) {
    if (before == after) {
      return;
    }
    if (before == null) {
      alerts.add(
          AlertType.AGREEMENT_REACHED,
          after.getAgreementId(),
          Severity.HIGH,
          null,
          after.getKind().toString(),
          "Agreement reached (" + after.getKind() + "): " + after.getSummary());
      return;
    }
    if (before.getStatus() == after.getStatus()) {
      return;
    }
    String what = after.getKind() + " " + after.getAgreementId() + " (" + after.getSummary() + ")";
    String why =
        after.getBreachedBy().isEmpty()
            ? (after.getStatusReason() == null ? "" : ": " + after.getStatusReason())
            : ": commitments breached or withdrawn: " + String.join(", ", after.getBreachedBy());
    switch (after.getStatus()) {
      case PARTIALLY_BREACHED ->
          alerts.add(
              AlertType.AGREEMENT_BREACHED,
              after.getAgreementId(),
              Severity.HIGH,
              before.getStatus().toString(),
              after.getStatus().toString(),
              "Agreement breached: " + what + why);
      case BROKEN ->
          alerts.add(
              AlertType.AGREEMENT_BROKEN,
              after.getAgreementId(),
              Severity.CRITICAL,
              before.getStatus().toString(),
              after.getStatus().toString(),
              "Agreement broken: " + what + why);
      case ENDED, SUPERSEDED ->
          alerts.add(
              AlertType.AGREEMENT_ENDED,
              after.getAgreementId(),
              Severity.HIGH,
              before.getStatus().toString(),
              after.getStatus().toString(),
              "Agreement "
                  + after.getStatus().toString().toLowerCase(java.util.Locale.ROOT)
                  + ": "
                  + what
                  + why);
      default ->
          alerts.add(
              AlertType.AGREEMENT_REACHED,
              after.getAgreementId(),
              Severity.HIGH,
              before.getStatus().toString(),
              after.getStatus().toString(),
              "Agreement in effect again: " + what + why);
    }
  }

  private static void commitment(Commitment before, Commitment after, Alerts alerts) {
    if (before == after) {
      return; // copy-on-write: an item the event did not touch is the same object
    }
    if (before == null) {
      alerts.add(
          AlertType.COMMITMENT_MADE,
          after.getCommitmentId(),
          Severity.NOTICE,
          null,
          after.getStatus().toString(),
          "Commitment " + after.getStatus() + ": " + who(after) + conditions(after));
      return;
    }
    // Most changes are of status: the terms are compared field by field before any text is made.
    if (!sameTerms(before, after)) {
      String termsBefore = terms(before);
      String termsAfter = terms(after);
      if (!termsBefore.equals(termsAfter)) {
        alerts.add(
            AlertType.COMMITMENT_CHANGED,
            after.getCommitmentId(),
            Severity.NOTICE,
            termsBefore,
            termsAfter,
            "Commitment terms changed: " + who(after) + conditions(after));
      }
    }
    if (after.getFailedCondition() != null && before.getFailedCondition() == null) {
      alerts.add(
          AlertType.CONDITION_FAILED,
          after.getCommitmentId(),
          Severity.HIGH,
          before.getStatus().toString(),
          "VOID",
          "Condition failed: commitment "
              + after.getFailedCondition()
              + " was breached or withdrawn, so this"
              + " no longer holds: "
              + who(after));
      return;
    }
    if (before.getStatus() == CommitmentStatus.CONDITIONAL
        && after.getStatus() == CommitmentStatus.PLEDGED
        && !alerts.declaresStatusOf(after.getCommitmentId())) {
      alerts.add(
          AlertType.CONDITIONS_MET,
          after.getCommitmentId(),
          Severity.NOTICE,
          "CONDITIONAL",
          "PLEDGED",
          "Conditions met: every commitment it waited for was fulfilled, so it is due: "
              + who(after));
      return;
    }
    if (before.getStatus() != after.getStatus()) {
      Severity severity =
          switch (after.getStatus()) {
            case BREACHED -> Severity.CRITICAL;
            case WITHDRAWN -> Severity.HIGH;
            default -> Severity.NOTICE;
          };
      alerts.add(
          AlertType.COMMITMENT_STATUS_CHANGED,
          after.getCommitmentId(),
          severity,
          before.getStatus().toString(),
          after.getStatus().toString(),
          "Commitment " + before.getStatus() + " -> " + after.getStatus() + ": " + who(after));
    }
  }

  private static void deadline(Deadline before, Deadline after, Alerts alerts) {
    if (before == after) {
      return;
    }
    String what = after.getDescription();
    if (before == null) {
      String due = InstantText.of(after.getDueAt());
      alerts.add(
          AlertType.DEADLINE_SET,
          after.getDeadlineId(),
          Severity.NOTICE,
          null,
          due,
          "Deadline set: " + what + ", due " + due);
      return;
    }
    if (!before.getDueAt().equals(after.getDueAt())) {
      Duration shift = Duration.between(before.getDueAt(), after.getDueAt());
      String to = InstantText.of(after.getDueAt());
      alerts.addMoved(
          after.getDeadlineId(),
          InstantText.of(before.getDueAt()),
          to,
          shift,
          "Deadline moved "
              + Durations.describe(shift.abs())
              + (shift.isNegative() ? " earlier" : " later")
              + ": "
              + what
              + ", now due "
              + to);
    }
    Long warnedBefore = before.getWarnedWithinSeconds();
    if (after.getWarnedWithinSeconds() != null
        && !after.getWarnedWithinSeconds().equals(warnedBefore)
        && after.getStatus() == DeadlineStatus.OPEN) {
      Horizon within = Horizon.of(after.getWarnedWithinSeconds());
      alerts.addPassing(
          AlertType.DEADLINE_APPROACHING,
          after,
          Severity.HIGH,
          warnedBefore == null ? null : Horizon.of(warnedBefore).iso(),
          within.iso(),
          "Deadline within "
              + within.words()
              + ": "
              + what
              + ", due "
              + InstantText.of(after.getDueAt()));
    }
    DeadlineStatus was = before.getStatus();
    if (was != after.getStatus()) {
      switch (after.getStatus()) {
        case MISSED -> {
          String message =
              "Deadline missed: " + what + ", was due " + InstantText.of(after.getDueAt());
          if (alerts.declares(after.getDeadlineId())) {
            alerts.add(
                AlertType.DEADLINE_MISSED,
                after.getDeadlineId(),
                Severity.CRITICAL,
                name(was),
                "MISSED",
                message);
          } else {
            alerts.addPassing(
                AlertType.DEADLINE_MISSED, after, Severity.CRITICAL, name(was), "MISSED", message);
          }
        }
        case MET ->
            alerts.add(
                AlertType.DEADLINE_MET,
                after.getDeadlineId(),
                Severity.NOTICE,
                name(was),
                "MET",
                "Deadline met: " + what);
        case CANCELLED ->
            alerts.add(
                AlertType.DEADLINE_CANCELLED,
                after.getDeadlineId(),
                Severity.NOTICE,
                name(was),
                "CANCELLED",
                "Deadline cancelled: " + what);
        case OPEN -> {} // reopened by a move, which has its own alert
        default ->
            throw new IllegalStateException("unhandled deadline status " + after.getStatus());
      }
    }
  }

  private static String who(Commitment c) {
    return c.getParty() + ": " + c.getAction();
  }

  /** Whether the fields {@link #terms} are made of are equal: then so are the terms. */
  private static boolean sameTerms(Commitment a, Commitment b) {
    return a.getAction().equals(b.getAction())
        && Objects.equals(a.getCounterparty(), b.getCounterparty())
        && a.getConditions().equals(b.getConditions())
        && a.getConditionalOn().equals(b.getConditionalOn())
        && Objects.equals(a.getDueAt(), b.getDueAt());
  }

  /**
   * The terms of a commitment as one line, for before/after of COMMITMENT_CHANGED. (A field added
   * here must be added to {@link #sameTerms(Commitment, Commitment)} too, or its changes go
   * unannounced.)
   */
  private static String terms(Commitment c) {
    // Room for the usual terms from the start: sized by the action alone, the builder's buffer was
    // grown (and copied) once or twice for each commitment.
    StringBuilder terms = new StringBuilder(c.getAction().length() + 96).append(c.getAction());
    if (c.getCounterparty() != null) {
      terms.append("; counterparty: ").append(c.getCounterparty());
    }
    if (!c.getConditions().isEmpty()) {
      terms.append("; conditions: ").append(String.join(" | ", c.getConditions()));
    }
    if (!c.getConditionalOn().isEmpty()) {
      terms.append("; conditional on: ").append(String.join(", ", c.getConditionalOn()));
    }
    if (c.getDueAt() != null) {
      terms.append("; due ").append(InstantText.of(c.getDueAt()));
    }
    return terms.toString();
  }

  private static String conditions(Commitment c) {
    if (c.getConditions().isEmpty() && c.getConditionalOn().isEmpty()) {
      return "";
    }
    List<String> all = new ArrayList<>(c.getConditions());
    c.getConditionalOn().forEach(id -> all.add("commitment " + id));
    return " (conditions: " + String.join("; ", all) + ")";
  }

  private static String name(Enum<?> value) {
    return value == null ? null : value.toString();
  }

  /** The alert id: a name-based UUID of talk, causing event, type and subject. */
  public static String alertId(
      String talkId, String causeEventId, AlertType type, String subjectId) {
    return alertId(AlertIds.mine(), talkId, causeEventId, type, subjectId);
  }

  private static String alertId(
      AlertIds ids, String talkId, String causeEventId, AlertType type, String subjectId) {
    return ids.start()
        .text(talkId)
        .text('\n')
        .text(causeEventId)
        .text('\n')
        .text(type.toString())
        .text('\n')
        .text(subjectId)
        .id();
  }

  /**
   * The id of an alert raised by time passing over a deadline: from the deadline, its due time, how
   * often it moved and the threshold crossed, not from what revealed it. Whether a clock tick or
   * the talk's next event notices a miss, it is the same miss, with the same id.
   */
  public static String passingId(String talkId, Deadline deadline, AlertType type) {
    return passingId(
        AlertIds.mine(), talkId, deadline, type, DeadlineClock.thresholdCrossed(deadline));
  }

  /** {@link #passingId}, given the threshold the deadline crossed. */
  private static String passingId(
      AlertIds ids, String talkId, Deadline deadline, AlertType type, Instant threshold) {
    // The name: talk, newline, "deadline <id> due <due> after <n> moves, threshold <threshold>"
    // (the cause, as alertId has it), newline, type, newline, deadline id.
    return ids.start()
        .text(talkId)
        .text("\ndeadline ")
        .text(deadline.getDeadlineId())
        .text(" due ")
        .instant(deadline.getDueAt())
        .text(" after ")
        .number(deadline.getEarlierMoves() + deadline.getMoves().size()) // every move, kept or not
        .text(" moves, threshold ")
        .instant(threshold)
        .text('\n')
        .text(type.toString())
        .text('\n')
        .text(deadline.getDeadlineId())
        .id();
  }

  /** The alert that opens a correction's alerts: what was corrected, and why. */
  static Alert correction(
      String talkId, DiplomaticEvent correction, DiplomaticEvent original, AlertIds ids) {
    Alerts alerts =
        new Alerts(talkId, correction, correction.getOccurredAt(), new ArrayList<>(1), ids);
    String type = Events.type(original);
    if (correction.getPayload() instanceof EventRetracted retracted) {
      alerts.add(
          AlertType.CORRECTION,
          original.getEventId(),
          Severity.NOTICE,
          type,
          "RETRACTED",
          "Correction: "
              + type
              + " '"
              + original.getEventId()
              + "' of "
              + original.getOccurredAt()
              + " is retracted: "
              + retracted.getReason());
    } else {
      EventCorrected corrected = (EventCorrected) correction.getPayload();
      String newType =
          ((org.apache.avro.specific.SpecificRecord) corrected.getPayload()).getSchema().getName();
      alerts.add(
          AlertType.CORRECTION,
          original.getEventId(),
          Severity.NOTICE,
          type,
          newType,
          "Correction: "
              + type
              + " '"
              + original.getEventId()
              + "' of "
              + original.getOccurredAt()
              + " is corrected: "
              + corrected.getReason());
    }
    return alerts.list.get(0);
  }

  /** The event a correction retracts or corrects; null for any other cause. */
  static String correctionOf(DiplomaticEvent cause) {
    if (cause.getPayload() instanceof EventRetracted retracted) {
      return retracted.getRetractedEventId();
    }
    return cause.getPayload() instanceof EventCorrected corrected
        ? corrected.getCorrectedEventId()
        : null;
  }

  /**
   * Finds the item of the list before the event that an item after it stands for. It must be asked
   * for every item after it, in order, from the first or from the first past the {@link #untouched}
   * head: what it has found so far decides whether an item past the end of the list before can be
   * new without a lookup. Within one event, lists only grow at the end or have an item replaced in
   * place: the item at the same place, when it has the same id, is the one; and while every item so
   * far was found at its own place, an item past the end of the list before is new, with no lookup
   * (ids are unique within a list: the fold refuses a second item with an id it has). A correction
   * folds the talk again and may move items: then by id, in a short list by a scan, in a longer one
   * in a map built only if needed.
   */
  private static final class Matches<T> {
    /** Up to this many items, a scan ({@link Items#indexOfId}) is cheaper than a map. */
    private static final int SCANNED = 16;

    private final List<T> before;
    private final List<T> after;
    private final Function<T, String> id;
    private Map<String, T> byId;

    /** Whether every item asked for so far was found at its own place. */
    private boolean inPlace = true;

    /**
     * Whether the list after the event has, at each place the list before has, an item with the
     * same id ({@link Items#sameIdsKnown}): the event only replaced items. Then the item at the
     * same place is the one, and neither id is read (the item before the event is often read
     * nowhere else: 1 to 2 % of the fold in memory, issue 14, twentieth round).
     */
    private final boolean sameIds;

    /** The items of {@code before} (null: none) that those of {@code after} stand for. */
    Matches(List<T> before, List<T> after, Function<T, String> id) {
      this.before = before == null ? List.of() : before;
      this.after = after;
      this.id = id;
      this.sameIds = Items.sameIdsKnown(this.before, after);
    }

    /**
     * How many items at the head of the list after the event are those before it, untouched: each
     * would be found at its own place ({@link Items#sharedPrefix}). Asking {@link #at} from there
     * on finds what asking from the first item would.
     */
    int untouched() {
      return Items.sharedPrefix(before, after);
    }

    T at(int index, T now) {
      if (index < before.size()) {
        T then = before.get(index);
        if (then == now || sameIds || id.apply(then).equals(id.apply(now))) {
          return then;
        }
        inPlace = false;
      } else if (inPlace) {
        // Each item before the event is matched to a different item after it, which has its id:
        // no other item after it can have that id too. (Until the seventeenth round of issue 14,
        // each new commitment of a talk with more than 16 built a map of them all.)
        return null;
      }
      if (before.size() <= SCANNED) {
        int i = Items.indexOfId(before, id.apply(now));
        return i < 0 ? null : before.get(i);
      }
      if (byId == null) {
        byId = new HashMap<>(before.size() * 2);
        for (T item : before) {
          byId.put(id.apply(item), item);
        }
      }
      return byId.get(id.apply(now));
    }
  }

  /**
   * A warning horizon in the two ways alerts write it: ISO 8601 ({@code PT24H}) and in words
   * ({@code 1 day}). A deadline is warned at each horizon, so the same few are written again and
   * again; each is worked out once. (Horizons are whole seconds set in the configuration: a
   * handful, though a state stored under another configuration may name others.)
   */
  private record Horizon(long seconds, String iso, String words) {
    /**
     * The horizons worked out so far, replaced whole when one is added (rarely): a scan of a few
     * primitives. (A concurrent map by boxed seconds until the twentieth round of issue 14: a box
     * and a lookup a warning, 1.6 % of the fold in memory.)
     */
    private static volatile Horizon[] known = new Horizon[0];

    static Horizon of(long seconds) {
      Horizon[] horizons = known;
      for (Horizon horizon : horizons) {
        if (horizon.seconds == seconds) {
          return horizon;
        }
      }
      Duration duration = Duration.ofSeconds(seconds);
      Horizon horizon = new Horizon(seconds, duration.toString(), Durations.describe(duration));
      remember(horizon);
      return horizon;
    }

    private static synchronized void remember(Horizon horizon) {
      Horizon[] horizons = known;
      if (horizons.length >= 64) {
        return; // a state stored under many configurations: the rest are worked out each time
      }
      for (Horizon other : horizons) {
        if (other.seconds == horizon.seconds) {
          return;
        }
      }
      Horizon[] more = java.util.Arrays.copyOf(horizons, horizons.length + 1);
      more[horizons.length] = horizon;
      known = more;
    }
  }

  /** Collects the alerts of one event, in order, each stamped with the event's id and time. */
  private static final class Alerts {
    private final String talkId;
    private final DiplomaticEvent cause;

    /** The talk's time after the change: when Parley noticed. */
    private final Instant noticedAt;

    /** Where the alerts are added, after any raised before (by time passing, say). */
    private final List<Alert> list;

    private final AlertIds ids;

    Alerts(
        String talkId, DiplomaticEvent cause, Instant noticedAt, List<Alert> list, AlertIds ids) {
      this.talkId = talkId;
      this.cause = cause;
      this.noticedAt = noticedAt;
      this.list = list;
      this.ids = ids;
    }

    boolean declaresStatusOf(String commitmentId) {
      return cause.getPayload() instanceof org.parley.avro.CommitmentStatusChanged changed
          && changed.getCommitmentId().equals(commitmentId);
    }

    /**
     * Whether the cause is an explicit status declaration for this deadline, rather than time
     * passing.
     */
    boolean declares(String deadlineId) {
      return cause.getPayload() instanceof DeadlineStatusChanged changed
          && changed.getDeadlineId().equals(deadlineId);
    }

    void add(
        AlertType type,
        String subject,
        Severity severity,
        String before,
        String after,
        String message) {
      list.add(
          build(
              alertId(ids, talkId, cause.getEventId(), type, subject),
              type,
              subject,
              severity,
              before,
              after,
              null,
              message,
              cause.getOccurredAt()));
    }

    /**
     * A threshold of a deadline crossed as time passed: stamped with the threshold, in story time.
     */
    void addPassing(
        AlertType type,
        Deadline deadline,
        Severity severity,
        String before,
        String after,
        String message) {
      Instant threshold = DeadlineClock.thresholdCrossed(deadline);
      list.add(
          build(
              passingId(ids, talkId, deadline, type, threshold),
              type,
              deadline.getDeadlineId(),
              severity,
              before,
              after,
              null,
              message,
              threshold));
    }

    void addMoved(String subject, String from, String to, Duration shift, String message) {
      list.add(
          build(
              alertId(ids, talkId, cause.getEventId(), AlertType.DEADLINE_MOVED, subject),
              AlertType.DEADLINE_MOVED,
              subject,
              Severity.HIGH,
              from,
              to,
              shift.getSeconds(),
              message,
              cause.getOccurredAt()));
    }

    private Alert build(
        String id,
        AlertType type,
        String subject,
        Severity severity,
        String before,
        String after,
        Long shiftSeconds,
        String message,
        Instant eventTime) {
      Objects.requireNonNull(subject);
      // The constructor, not Avro's builder: a builder deep-copies and validates every field, and
      // an alert is built from values already checked.
      return new Alert(
          id,
          talkId,
          type,
          subject,
          severity,
          before,
          after,
          shiftSeconds,
          message,
          cause.getEventId(),
          eventTime,
          noticedAt,
          correctionOf(cause));
    }
  }
}
