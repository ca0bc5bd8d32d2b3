package org.parley.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.parley.avro.Agreement;
import org.parley.avro.AgreementReached;
import org.parley.avro.AgreementStatus;
import org.parley.avro.AgreementStatusChanged;
import org.parley.avro.ClockTick;
import org.parley.avro.Commitment;
import org.parley.avro.CommitmentAmended;
import org.parley.avro.CommitmentChange;
import org.parley.avro.CommitmentMade;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.CommitmentStatusChanged;
import org.parley.avro.Deadline;
import org.parley.avro.DeadlineMove;
import org.parley.avro.DeadlineMoved;
import org.parley.avro.DeadlineSet;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.DeadlineStatusChanged;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.Session;
import org.parley.avro.SessionScheduled;
import org.parley.avro.Statement;
import org.parley.avro.StatementIssued;
import org.parley.avro.StickingPoint;
import org.parley.avro.StickingPointRaised;
import org.parley.avro.StickingPointResolved;
import org.parley.avro.TalkAnnounced;
import org.parley.avro.TalkConfirmed;
import org.parley.avro.TalkState;
import org.parley.avro.TalkStatus;
import org.parley.avro.TalkStatusChanged;

/**
 * The fold of one talk: {@code apply(state, event) -> state}. Pure: no clock but the event's own
 * time, no I/O, and the state passed in is never modified.
 *
 * <p>{@link #check} says whether an event can apply to a talk at all: an event for a talk nobody
 * announced, or naming a commitment, deadline or sticking point the talk does not have, is
 * refused with a reason a person can act on. Only TalkAnnounced and TalkConfirmed create a talk,
 * so a mistyped talk id cannot silently start a new one.
 *
 * <p>Restating something already recorded (the same commitment with the same terms, the same
 * deadline) is accepted and changes nothing but the event count.
 */
public final class TalkFold {

  /** How many statements a talk keeps; older ones live on in the event log. */
  public static final int RECENT_STATEMENTS = 10;

  private final DeadlineClock clock;

  public TalkFold(DeadlineClock clock) {
    this.clock = clock;
  }

  public DeadlineClock clock() {
    return clock;
  }

  /** Why the event cannot apply to this talk ({@code before} is null for an unknown talk). */
  public Optional<String> check(TalkState before, DiplomaticEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof ClockTick) {
      return Optional.empty();
    }
    if (before == null) {
      if (payload instanceof TalkAnnounced) {
        return Optional.empty();
      }
      if (payload instanceof TalkConfirmed confirmed) {
        return confirmed.getTitle() == null
            ? refuse("talk '%s' is not known, so TalkConfirmed must carry a title to create it"
                + " (or publish TalkAnnounced first)", event.getTalkId())
            : Optional.empty();
      }
      return refuse("talk '%s' has not been announced: publish TalkAnnounced (or TalkConfirmed) for it first",
          event.getTalkId());
    }
    if (payload instanceof CommitmentMade made) {
      Commitment existing = find(before.getCommitments(), Commitment::getCommitmentId, made.getCommitmentId());
      if (existing != null && !sameTerms(existing, made)) {
        return refuse("commitment '%s' already exists with other terms: use CommitmentAmended to change its terms"
            + " or CommitmentStatusChanged to change its status", made.getCommitmentId());
      }
      return unknownCommitments(before, made.getConditionalOn(), "conditionalOn");
    }
    if (payload instanceof CommitmentAmended amended) {
      return unknownCommitment(before, amended.getCommitmentId())
          .or(() -> amended.getConditionalOn() == null ? Optional.empty()
              : unknownCommitments(before, amended.getConditionalOn(), "conditionalOn"));
    }
    if (payload instanceof CommitmentStatusChanged changed) {
      return unknownCommitment(before, changed.getCommitmentId());
    }
    if (payload instanceof DeadlineSet set) {
      Deadline existing = find(before.getDeadlines(), Deadline::getDeadlineId, set.getDeadlineId());
      if (existing != null && !(existing.getDueAt().equals(set.getDueAt())
          && existing.getDescription().equals(set.getDescription())
          && Objects.equals(existing.getCommitmentId(), set.getCommitmentId()))) {
        return refuse("deadline '%s' already exists: use DeadlineMoved to give it a new due time",
            set.getDeadlineId());
      }
      return set.getCommitmentId() == null ? Optional.empty() : unknownCommitment(before, set.getCommitmentId());
    }
    if (payload instanceof DeadlineMoved moved) {
      return unknownDeadline(before, moved.getDeadlineId());
    }
    if (payload instanceof DeadlineStatusChanged changed) {
      return unknownDeadline(before, changed.getDeadlineId());
    }
    if (payload instanceof AgreementReached reached) {
      Agreement existing = find(before.getAgreements(), Agreement::getAgreementId, reached.getAgreementId());
      if (existing != null && !(existing.getSummary().equals(reached.getSummary())
          && existing.getKind() == reached.getKind())) {
        return refuse("agreement '%s' already exists with another summary or kind", reached.getAgreementId());
      }
      return unknownCommitments(before, reached.getInEffect(), "inEffect");
    }
    if (payload instanceof AgreementStatusChanged changed) {
      return find(before.getAgreements(), Agreement::getAgreementId, changed.getAgreementId()) == null
          ? refuse("agreement '%s' is not known in talk '%s' (known: %s)", changed.getAgreementId(),
              before.getTalkId(), ids(before.getAgreements(), Agreement::getAgreementId))
          : Optional.empty();
    }
    if (payload instanceof StickingPointRaised raised) {
      StickingPoint existing = find(before.getStickingPoints(), StickingPoint::getStickingPointId,
          raised.getStickingPointId());
      if (existing != null && !existing.getDescription().equals(raised.getDescription())) {
        return refuse("sticking point '%s' already exists with another description", raised.getStickingPointId());
      }
      return Optional.empty();
    }
    if (payload instanceof StickingPointResolved resolved) {
      return find(before.getStickingPoints(), StickingPoint::getStickingPointId, resolved.getStickingPointId()) == null
          ? refuse("sticking point '%s' is not known in talk '%s' (known: %s)", resolved.getStickingPointId(),
              before.getTalkId(), ids(before.getStickingPoints(), StickingPoint::getStickingPointId))
          : Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The talk after the event. Call {@link #check} first: an event that does not pass it throws.
   * A ClockTick only lets time pass (deadlines come due); it is not counted as an event.
   */
  public TalkState apply(TalkState before, DiplomaticEvent event) {
    check(before, event).ifPresent(reason -> {
      throw new IllegalArgumentException(reason);
    });
    Object payload = event.getPayload();
    if (payload instanceof ClockTick) {
      return clock.passTime(before, event.getOccurredAt());
    }
    TalkState talk = before == null ? newTalk(event) : Copies.of(before);
    Instant at = event.getOccurredAt();
    String eventId = event.getEventId();

    if (payload instanceof TalkAnnounced announced) {
      announce(talk, announced, at);
    } else if (payload instanceof TalkConfirmed confirmed) {
      confirm(talk, confirmed, at);
    } else if (payload instanceof TalkStatusChanged changed) {
      talk.setStatus(changed.getStatus());
    } else if (payload instanceof SessionScheduled scheduled) {
      schedule(talk, scheduled);
    } else if (payload instanceof StatementIssued statement) {
      List<Statement> statements = Copies.plus(talk.getRecentStatements(),
          new Statement(eventId, statement.getSpeaker(), statement.getText(), statement.getTone(), at));
      talk.setRecentStatements(new ArrayList<>(
          statements.subList(Math.max(0, statements.size() - RECENT_STATEMENTS), statements.size())));
    } else if (payload instanceof CommitmentMade made) {
      if (find(talk.getCommitments(), Commitment::getCommitmentId, made.getCommitmentId()) == null) {
        talk.setCommitments(Copies.plus(talk.getCommitments(), new Commitment(made.getCommitmentId(),
            made.getParty(), made.getAction(), made.getCounterparty(), List.copyOf(made.getConditions()),
            List.copyOf(made.getConditionalOn()), made.getDueAt(), made.getStatus(), at,
            List.of(new CommitmentChange(at, eventId, made.getStatus(), "made")), null)));
      }
    } else if (payload instanceof CommitmentAmended amended) {
      amend(editCommitment(talk, amended.getCommitmentId()), amended, at, eventId);
    } else if (payload instanceof CommitmentStatusChanged changed) {
      Commitment commitment = find(talk.getCommitments(), Commitment::getCommitmentId, changed.getCommitmentId());
      if (commitment.getStatus() != changed.getStatus()) {
        changeStatus(editCommitment(talk, changed.getCommitmentId()), changed.getStatus(), changed.getReason(), at,
            eventId);
      }
    } else if (payload instanceof DeadlineSet set) {
      if (find(talk.getDeadlines(), Deadline::getDeadlineId, set.getDeadlineId()) == null) {
        talk.setDeadlines(Copies.plus(talk.getDeadlines(), new Deadline(set.getDeadlineId(), set.getCommitmentId(),
            set.getDescription(), set.getDueAt(), DeadlineStatus.OPEN, null, at, List.of())));
      }
    } else if (payload instanceof DeadlineMoved moved) {
      if (!find(talk.getDeadlines(), Deadline::getDeadlineId, moved.getDeadlineId()).getDueAt()
          .equals(moved.getDueAt())) {
        move(editDeadline(talk, moved.getDeadlineId()), moved, at, eventId);
      }
    } else if (payload instanceof DeadlineStatusChanged changed) {
      if (find(talk.getDeadlines(), Deadline::getDeadlineId, changed.getDeadlineId()).getStatus()
          != changed.getStatus()) {
        editDeadline(talk, changed.getDeadlineId()).setStatus(changed.getStatus());
      }
    } else if (payload instanceof AgreementReached reached) {
      reach(talk, reached, at, eventId);
    } else if (payload instanceof StickingPointRaised raised) {
      if (find(talk.getStickingPoints(), StickingPoint::getStickingPointId, raised.getStickingPointId()) == null) {
        talk.setStickingPoints(Copies.plus(talk.getStickingPoints(), new StickingPoint(raised.getStickingPointId(),
            raised.getDescription(), raised.getRaisedBy(), at, null, null)));
      }
    } else if (payload instanceof AgreementStatusChanged changed) {
      Agreement agreement = find(talk.getAgreements(), Agreement::getAgreementId, changed.getAgreementId());
      if (agreement.getStatus() != changed.getStatus()) {
        Agreement copy = Copies.edit(talk.getAgreements(), Agreement::getAgreementId, changed.getAgreementId(),
            Copies::of, talk::setAgreements);
        copy.setStatus(changed.getStatus());
        copy.setStatusReason(changed.getReason() == null ? "declared " + changed.getStatus() : changed.getReason());
        copy.setStatusChangedAt(at);
      }
    } else if (payload instanceof StickingPointResolved resolved) {
      StickingPoint point = find(talk.getStickingPoints(), StickingPoint::getStickingPointId,
          resolved.getStickingPointId());
      if (point.getResolvedAt() == null) {
        StickingPoint copy = Copies.edit(talk.getStickingPoints(), StickingPoint::getStickingPointId,
            resolved.getStickingPointId(), Copies::of, talk::setStickingPoints);
        copy.setResolvedAt(at);
        copy.setResolution(resolved.getResolution());
      }
    } else {
      throw new IllegalStateException("no fold for " + payload.getClass().getSimpleName());
    }

    Consequences.follow(talk, at, eventId);
    talk.setEventCount(talk.getEventCount() + 1);
    talk.setLastEventId(eventId);
    talk.setUpdatedAt(before == null ? at : max(before.getUpdatedAt(), at));
    return talk;
  }

  // ---------------------------------------------------------------- the talk

  private static TalkState newTalk(DiplomaticEvent event) {
    String title = event.getPayload() instanceof TalkAnnounced announced
        ? announced.getTitle() : ((TalkConfirmed) event.getPayload()).getTitle();
    TalkState talk = new TalkState();
    talk.setTalkId(event.getTalkId());
    talk.setTitle(title);
    talk.setParties(new ArrayList<>());
    talk.setMediators(new ArrayList<>());
    talk.setStatus(TalkStatus.ANNOUNCED);
    talk.setSessions(new ArrayList<>());
    talk.setCommitments(new ArrayList<>());
    talk.setDeadlines(new ArrayList<>());
    talk.setAgreements(new ArrayList<>());
    talk.setStickingPoints(new ArrayList<>());
    talk.setRecentStatements(new ArrayList<>());
    talk.setEventCount(0L);
    talk.setLastEventId(event.getEventId());
    talk.setUpdatedAt(event.getOccurredAt());
    return talk;
  }

  /** A first announcement fills the talk in; a later one only adds what was not known yet. */
  private static void announce(TalkState talk, TalkAnnounced announced, Instant at) {
    talk.setParties(Copies.withMissing(talk.getParties(), announced.getParties()));
    talk.setMediators(Copies.withMissing(talk.getMediators(), announced.getMediators()));
    if (talk.getVenue() == null) {
      talk.setVenue(announced.getVenue());
    }
    if (talk.getStartsAt() == null) {
      talk.setStartsAt(announced.getStartsAt());
    }
    if (talk.getAnnouncedBy() == null) {
      talk.setAnnouncedBy(announced.getAnnouncedBy());
      talk.setAnnouncedAt(at);
    }
  }

  /** Confirmation moves an announced talk to CONFIRMED; a talk already under way keeps its status. */
  private static void confirm(TalkState talk, TalkConfirmed confirmed, Instant at) {
    talk.setParties(Copies.withMissing(talk.getParties(), confirmed.getParties()));
    if (confirmed.getVenue() != null) {
      talk.setVenue(confirmed.getVenue());
    }
    if (confirmed.getStartsAt() != null) {
      talk.setStartsAt(confirmed.getStartsAt());
    }
    if (talk.getConfirmedBy() == null) {
      talk.setConfirmedBy(confirmed.getConfirmedBy());
      talk.setConfirmedAt(at);
    }
    if (talk.getStatus() == TalkStatus.ANNOUNCED) {
      talk.setStatus(TalkStatus.CONFIRMED);
    }
  }

  /** A session scheduled again under the same id is rescheduled. */
  private static void schedule(TalkState talk, SessionScheduled scheduled) {
    Session session = new Session(scheduled.getSessionId(), scheduled.getStartsAt(), scheduled.getVenue(),
        List.copyOf(scheduled.getParticipants()), scheduled.getAgenda());
    List<Session> sessions = new ArrayList<>(talk.getSessions());
    talk.setSessions(sessions);
    for (int i = 0; i < sessions.size(); i++) {
      if (sessions.get(i).getSessionId().equals(scheduled.getSessionId())) {
        sessions.set(i, session);
        return;
      }
    }
    sessions.add(session);
  }

  /** An agreement puts the commitments it names into effect and marks the talk AGREEMENT_REACHED. */
  private static void reach(TalkState talk, AgreementReached reached, Instant at, String eventId) {
    if (find(talk.getAgreements(), Agreement::getAgreementId, reached.getAgreementId()) != null) {
      return;
    }
    talk.setAgreements(Copies.plus(talk.getAgreements(), new Agreement(reached.getAgreementId(), reached.getKind(),
        reached.getSummary(), List.copyOf(reached.getParties()), at, eventId, List.copyOf(reached.getInEffect()),
        AgreementStatus.IN_EFFECT, List.of(), null, null)));
    for (String id : reached.getInEffect()) {
      if (find(talk.getCommitments(), Commitment::getCommitmentId, id).getStatus() != CommitmentStatus.IN_EFFECT) {
        changeStatus(editCommitment(talk, id), CommitmentStatus.IN_EFFECT, "agreement " + reached.getAgreementId(),
            at, eventId);
      }
    }
    if (talk.getStatus() != TalkStatus.CONCLUDED) {
      talk.setStatus(TalkStatus.AGREEMENT_REACHED);
    }
  }

  // ---------------------------------------------------------------- commitments

  /** The commitment, copied into a copy of the talk's list, ready to change. */
  static Commitment editCommitment(TalkState talk, String id) {
    return Copies.edit(talk.getCommitments(), Commitment::getCommitmentId, id, Copies::of, talk::setCommitments);
  }

  private static Deadline editDeadline(TalkState talk, String id) {
    return Copies.edit(talk.getDeadlines(), Deadline::getDeadlineId, id, Copies::of, talk::setDeadlines);
  }

  private static void amend(Commitment commitment, CommitmentAmended amended, Instant at, String eventId) {
    List<String> changes = new ArrayList<>();
    if (amended.getAction() != null && !amended.getAction().equals(commitment.getAction())) {
      commitment.setAction(amended.getAction());
      changes.add("action");
    }
    if (amended.getCounterparty() != null && !amended.getCounterparty().equals(commitment.getCounterparty())) {
      commitment.setCounterparty(amended.getCounterparty());
      changes.add("counterparty");
    }
    if (amended.getConditions() != null && !amended.getConditions().equals(commitment.getConditions())) {
      commitment.setConditions(List.copyOf(amended.getConditions()));
      changes.add("conditions");
    }
    if (amended.getConditionalOn() != null && !amended.getConditionalOn().equals(commitment.getConditionalOn())) {
      commitment.setConditionalOn(List.copyOf(amended.getConditionalOn()));
      changes.add("conditionalOn");
    }
    if (amended.getDueAt() != null && !amended.getDueAt().equals(commitment.getDueAt())) {
      commitment.setDueAt(amended.getDueAt());
      changes.add("dueAt");
    }
    if (!changes.isEmpty()) {
      String reason = amended.getReason() == null ? "" : " (" + amended.getReason() + ")";
      commitment.getHistory().add(new CommitmentChange(at, eventId, commitment.getStatus(),
          "amended " + String.join(", ", changes) + reason));
    }
  }

  static void changeStatus(Commitment commitment, CommitmentStatus status, String reason, Instant at,
      String eventId) {
    if (commitment.getStatus() == status) {
      return;
    }
    String change = commitment.getStatus() + " -> " + status + (reason == null ? "" : " (" + reason + ")");
    commitment.setStatus(status);
    commitment.getHistory().add(new CommitmentChange(at, eventId, status, change));
  }

  private static boolean sameTerms(Commitment existing, CommitmentMade made) {
    return existing.getParty().equals(made.getParty())
        && existing.getAction().equals(made.getAction())
        && Objects.equals(existing.getCounterparty(), made.getCounterparty())
        && existing.getConditions().equals(made.getConditions())
        && existing.getConditionalOn().equals(made.getConditionalOn())
        && Objects.equals(existing.getDueAt(), made.getDueAt());
  }

  // ---------------------------------------------------------------- deadlines

  /** A moved deadline is warned afresh against its new time; a missed one that is moved is open again. */
  private static void move(Deadline deadline, DeadlineMoved moved, Instant at, String eventId) {
    deadline.getMoves().add(new DeadlineMove(at, eventId, deadline.getDueAt(), moved.getDueAt(), moved.getReason()));
    deadline.setDueAt(moved.getDueAt());
    deadline.setWarnedWithinSeconds(null);
    if (deadline.getStatus() == DeadlineStatus.MISSED) {
      deadline.setStatus(DeadlineStatus.OPEN);
    }
  }

  // ---------------------------------------------------------------- lookups and refusals

  static <T> T find(List<T> items, Function<T, String> id, String wanted) {
    for (T item : items) {
      if (id.apply(item).equals(wanted)) {
        return item;
      }
    }
    return null;
  }

  private static Optional<String> unknownCommitment(TalkState talk, String id) {
    return find(talk.getCommitments(), Commitment::getCommitmentId, id) == null
        ? refuse("commitment '%s' is not known in talk '%s' (known: %s)", id, talk.getTalkId(),
            ids(talk.getCommitments(), Commitment::getCommitmentId))
        : Optional.empty();
  }

  private static Optional<String> unknownCommitments(TalkState talk, List<String> ids, String field) {
    for (String id : ids) {
      if (find(talk.getCommitments(), Commitment::getCommitmentId, id) == null) {
        return refuse("%s names commitment '%s', which talk '%s' does not have (known: %s)", field, id,
            talk.getTalkId(), ids(talk.getCommitments(), Commitment::getCommitmentId));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> unknownDeadline(TalkState talk, String id) {
    return find(talk.getDeadlines(), Deadline::getDeadlineId, id) == null
        ? refuse("deadline '%s' is not known in talk '%s' (known: %s)", id, talk.getTalkId(),
            ids(talk.getDeadlines(), Deadline::getDeadlineId))
        : Optional.empty();
  }

  private static <T> String ids(List<T> items, Function<T, String> id) {
    if (items.isEmpty()) {
      return "none";
    }
    List<String> names = items.stream().map(id).limit(10).toList();
    return String.join(", ", names) + (items.size() > 10 ? " and " + (items.size() - 10) + " more" : "");
  }

  private static Optional<String> refuse(String format, Object... args) {
    return Optional.of(String.format(format, args));
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
