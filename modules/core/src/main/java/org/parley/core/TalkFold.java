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
import org.parley.avro.EventCorrected;
import org.parley.avro.EventRetracted;
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
 * announced, or naming a commitment, deadline or sticking point the talk does not have, is refused
 * with a reason a person can act on. Only TalkAnnounced and TalkConfirmed create a talk, so a
 * mistyped talk id cannot silently start a new one.
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

  /**
   * What folding one event gave: the talk after it, or why it cannot apply (then {@code talk} is
   * null).
   */
  public record Folded(TalkState talk, String refusal) {
    static Folded refused(String reason) {
      return new Folded(null, reason);
    }
  }

  /**
   * Folds one event: the talk after it, or why it cannot apply ({@code before} is null for an
   * unknown talk; it is never modified). A ClockTick only lets time pass (deadlines come due); it
   * is not counted as an event.
   */
  public Folded fold(TalkState before, DiplomaticEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof ClockTick) {
      return new Folded(clock.passTime(before, event.getOccurredAt()), null);
    }
    String refusal = before == null ? refusalOfNewTalk(event) : null;
    if (refusal != null) {
      return Folded.refused(refusal);
    }
    TalkState talk = before == null ? newTalk(event) : Copies.of(before);
    Instant at = event.getOccurredAt();
    String eventId = event.getEventId();
    refusal = applyOrRefuse(talk, payload, at, eventId);
    if (refusal != null) {
      return Folded.refused(refusal); // the copy, changed or not, is dropped
    }
    Consequences.follow(before, talk, at, eventId);
    talk.setEventCount(talk.getEventCount() + 1);
    talk.setLastEventId(eventId);
    // Both times are whole milliseconds already (Avro's setters and builders, its decoding and
    // JsonForm truncate an event's times; a talk's time is one of them), so not truncated again.
    Copies.setUpdatedAt(talk, before == null ? at : max(before.getUpdatedAt(), at));
    return new Folded(talk, null);
  }

  /**
   * Why the event cannot apply to this talk ({@code before} is null for an unknown talk): what
   * {@link #fold} would say, because it is what fold says. A retraction or correction is checked
   * against the history, not here ({@code PartitionFold}).
   */
  public Optional<String> check(TalkState before, DiplomaticEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof ClockTick
        || before != null
            && (payload instanceof EventRetracted || payload instanceof EventCorrected)) {
      return Optional.empty();
    }
    return Optional.ofNullable(fold(before, event).refusal());
  }

  /** The talk after the event; an event that cannot apply ({@link #check}) throws. */
  public TalkState apply(TalkState before, DiplomaticEvent event) {
    Folded folded = fold(before, event);
    if (folded.refusal() != null) {
      throw new IllegalArgumentException(folded.refusal());
    }
    return folded.talk();
  }

  /** Only TalkAnnounced and TalkConfirmed (with a title) create a talk: why not, or null. */
  private static String refusalOfNewTalk(DiplomaticEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof TalkAnnounced) {
      return null;
    }
    if (payload instanceof TalkConfirmed confirmed) {
      return confirmed.getTitle() == null
          ? refusal(
              "talk '%s' is not known, so TalkConfirmed must carry a title to create it"
                  + " (or publish TalkAnnounced first)",
              event.getTalkId())
          : null;
    }
    return refusal(
        "talk '%s' has not been announced: publish TalkAnnounced (or TalkConfirmed) for it first",
        event.getTalkId());
  }

  // ---------------------------------------------------------------- the rules, one per event type

  /**
   * The event's change, made to {@code talk}, a fresh copy of the talk before it (copy-on-write:
   * replace the lists and items it changes, never mutate what the copy shares with the talk
   * before). Returns why the event cannot apply, found before anything is changed, or null.
   *
   * <p>Each rule looks its item up once, to check the event and to change the item: until the
   * seventeenth round of issue 14 checking and changing each looked it up again (three scans of a
   * talk's commitments for a status change).
   */
  private static String applyOrRefuse(TalkState talk, Object payload, Instant at, String eventId) {
    // A chain of type tests rather than a map of rules by class: a call through a map's rule sees
    // every rule and is never inlined, and the lookup itself costs more than the tests.
    if (payload instanceof TalkAnnounced announced) {
      announce(talk, announced, at);
    } else if (payload instanceof TalkConfirmed confirmed) {
      confirm(talk, confirmed, at);
    } else if (payload instanceof TalkStatusChanged changed) {
      talk.setStatus(changed.getStatus());
    } else if (payload instanceof SessionScheduled scheduled) {
      schedule(talk, scheduled);
    } else if (payload instanceof StatementIssued statement) {
      addStatement(talk, statement, at, eventId);
    } else if (payload instanceof CommitmentMade made) {
      return make(talk, made, at, eventId);
    } else if (payload instanceof CommitmentAmended amended) {
      return amend(talk, amended, at, eventId);
    } else if (payload instanceof CommitmentStatusChanged changed) {
      return changeCommitmentStatus(talk, changed, at, eventId);
    } else if (payload instanceof DeadlineSet set) {
      return setDeadline(talk, set, at);
    } else if (payload instanceof DeadlineMoved moved) {
      return moveDeadline(talk, moved, at, eventId);
    } else if (payload instanceof DeadlineStatusChanged changed) {
      return changeDeadlineStatus(talk, changed);
    } else if (payload instanceof AgreementReached reached) {
      return reach(talk, reached, at, eventId);
    } else if (payload instanceof AgreementStatusChanged changed) {
      return changeAgreementStatus(talk, changed, at);
    } else if (payload instanceof StickingPointRaised raised) {
      return raise(talk, raised, at);
    } else if (payload instanceof StickingPointResolved resolved) {
      return resolve(talk, resolved, at);
    } else {
      throw new IllegalStateException("no fold for " + payload.getClass().getSimpleName());
    }
    return null;
  }

  // ---------------------------------------------------------------- the talk

  private static TalkState newTalk(DiplomaticEvent event) {
    String title =
        event.getPayload() instanceof TalkAnnounced announced
            ? announced.getTitle()
            : ((TalkConfirmed) event.getPayload()).getTitle();
    TalkState talk = new TalkState();
    talk.setTalkId(event.getTalkId());
    talk.setTitle(title);
    talk.setParties(new ArrayList<>());
    talk.setMediators(new ArrayList<>());
    talk.setStatus(TalkStatus.ANNOUNCED);
    talk.setSessions(new ArrayList<>());
    talk.setCommitments(Items.empty());
    talk.setDeadlines(Items.empty());
    talk.setAgreements(Items.empty());
    talk.setStickingPoints(Items.empty());
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

  /**
   * Confirmation moves an announced talk to CONFIRMED; a talk already under way keeps its status.
   */
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
    Session session =
        new Session(
            scheduled.getSessionId(),
            scheduled.getStartsAt(),
            scheduled.getVenue(),
            List.copyOf(scheduled.getParticipants()),
            scheduled.getAgenda());
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

  /** A statement joins the talk's latest {@link #RECENT_STATEMENTS}. */
  private static void addStatement(
      TalkState talk, StatementIssued statement, Instant at, String eventId) {
    List<Statement> recent = talk.getRecentStatements();
    int kept = Math.min(recent.size(), RECENT_STATEMENTS - 1);
    List<Statement> statements = new ArrayList<>(kept + 1);
    statements.addAll(recent.subList(recent.size() - kept, recent.size()));
    statements.add(
        new Statement(
            eventId, statement.getSpeaker(), statement.getText(), statement.getTone(), at));
    talk.setRecentStatements(statements);
  }

  /**
   * An agreement puts the commitments it names into effect and marks the talk AGREEMENT_REACHED.
   * Reached again with the same summary and kind, it changes nothing.
   */
  private static String reach(
      TalkState talk, AgreementReached reached, Instant at, String eventId) {
    int existing = Items.indexOfId(talk.getAgreements(), reached.getAgreementId());
    if (existing >= 0) {
      Agreement agreement = talk.getAgreements().get(existing);
      if (!(agreement.getSummary().equals(reached.getSummary())
          && agreement.getKind() == reached.getKind())) {
        return refusal(
            "agreement '%s' already exists with another summary or kind", reached.getAgreementId());
      }
    }
    // Each commitment it names is looked up twice, here and below: agreements are few, and name
    // few commitments.
    String unknown = unknownCommitments(talk, reached.getInEffect(), "inEffect");
    if (unknown != null || existing >= 0) {
      return unknown; // refused, or reached again: accepted, and nothing changes
    }
    talk.setAgreements(
        Items.plus(
            talk.getAgreements(),
            new Agreement(
                reached.getAgreementId(),
                reached.getKind(),
                reached.getSummary(),
                List.copyOf(reached.getParties()),
                at,
                eventId,
                List.copyOf(reached.getInEffect()),
                AgreementStatus.IN_EFFECT,
                List.of(),
                null,
                null)));
    for (String id : reached.getInEffect()) {
      int i = Items.indexOfId(talk.getCommitments(), id);
      if (talk.getCommitments().get(i).getStatus() != CommitmentStatus.IN_EFFECT) {
        changeStatus(
            editCommitment(talk, i),
            CommitmentStatus.IN_EFFECT,
            "agreement " + reached.getAgreementId(),
            at,
            eventId);
      }
    }
    if (talk.getStatus() != TalkStatus.CONCLUDED) {
      talk.setStatus(TalkStatus.AGREEMENT_REACHED);
    }
    return null;
  }

  private static String changeAgreementStatus(
      TalkState talk, AgreementStatusChanged changed, Instant at) {
    int i = Items.indexOfId(talk.getAgreements(), changed.getAgreementId());
    if (i < 0) {
      return refusal(
          "agreement '%s' is not known in talk '%s' (known: %s)",
          changed.getAgreementId(),
          talk.getTalkId(),
          ids(talk.getAgreements(), Agreement::getAgreementId));
    }
    if (talk.getAgreements().get(i).getStatus() != changed.getStatus()) {
      Agreement copy = Copies.edit(talk.getAgreements(), i, Copies::of, talk::setAgreements);
      copy.setStatus(changed.getStatus());
      copy.setStatusReason(
          changed.getReason() == null ? "declared " + changed.getStatus() : changed.getReason());
      copy.setStatusChangedAt(at);
    }
    return null;
  }

  // ---------------------------------------------------------------- sticking points

  /** Raised again with the same description, a sticking point changes nothing. */
  private static String raise(TalkState talk, StickingPointRaised raised, Instant at) {
    int existing = Items.indexOfId(talk.getStickingPoints(), raised.getStickingPointId());
    if (existing >= 0) {
      return talk.getStickingPoints().get(existing).getDescription().equals(raised.getDescription())
          ? null
          : refusal(
              "sticking point '%s' already exists with another description",
              raised.getStickingPointId());
    }
    talk.setStickingPoints(
        Items.plus(
            talk.getStickingPoints(),
            new StickingPoint(
                raised.getStickingPointId(),
                raised.getDescription(),
                raised.getRaisedBy(),
                at,
                null,
                null)));
    return null;
  }

  /** A sticking point is resolved once; resolving it again changes nothing. */
  private static String resolve(TalkState talk, StickingPointResolved resolved, Instant at) {
    int i = Items.indexOfId(talk.getStickingPoints(), resolved.getStickingPointId());
    if (i < 0) {
      return refusal(
          "sticking point '%s' is not known in talk '%s' (known: %s)",
          resolved.getStickingPointId(),
          talk.getTalkId(),
          ids(talk.getStickingPoints(), StickingPoint::getStickingPointId));
    }
    if (talk.getStickingPoints().get(i).getResolvedAt() == null) {
      StickingPoint copy =
          Copies.edit(talk.getStickingPoints(), i, Copies::of, talk::setStickingPoints);
      copy.setResolvedAt(at);
      copy.setResolution(resolved.getResolution());
    }
    return null;
  }

  // ---------------------------------------------------------------- commitments

  /** Made again with the same terms, a commitment changes nothing. */
  private static String make(TalkState talk, CommitmentMade made, Instant at, String eventId) {
    int existing = Items.indexOfId(talk.getCommitments(), made.getCommitmentId());
    if (existing >= 0 && !sameTerms(talk.getCommitments().get(existing), made)) {
      return refusal(
          "commitment '%s' already exists with other terms: use CommitmentAmended to change its terms"
              + " or CommitmentStatusChanged to change its status",
          made.getCommitmentId());
    }
    String unknown = unknownCommitments(talk, made.getConditionalOn(), "conditionalOn");
    if (unknown != null || existing >= 0) {
      return unknown; // refused, or restated: accepted, and nothing changes
    }
    talk.setCommitments(
        Items.plus(
            talk.getCommitments(),
            new Commitment(
                made.getCommitmentId(),
                made.getParty(),
                made.getAction(),
                made.getCounterparty(),
                List.copyOf(made.getConditions()),
                List.copyOf(made.getConditionalOn()),
                made.getDueAt(),
                made.getStatus(),
                at,
                List.of(new CommitmentChange(at, eventId, made.getStatus(), "made")),
                null,
                0)));
    return null;
  }

  private static String amend(
      TalkState talk, CommitmentAmended amended, Instant at, String eventId) {
    int i = Items.indexOfId(talk.getCommitments(), amended.getCommitmentId());
    if (i < 0) {
      return unknownCommitment(talk, amended.getCommitmentId());
    }
    if (amended.getConditionalOn() != null) {
      String unknown = unknownCommitments(talk, amended.getConditionalOn(), "conditionalOn");
      if (unknown != null) {
        return unknown;
      }
    }
    amendTerms(editCommitment(talk, i), amended, at, eventId);
    return null;
  }

  private static String changeCommitmentStatus(
      TalkState talk, CommitmentStatusChanged changed, Instant at, String eventId) {
    int i = Items.indexOfId(talk.getCommitments(), changed.getCommitmentId());
    if (i < 0) {
      return unknownCommitment(talk, changed.getCommitmentId());
    }
    if (talk.getCommitments().get(i).getStatus() != changed.getStatus()) {
      changeStatus(editCommitment(talk, i), changed.getStatus(), changed.getReason(), at, eventId);
    }
    return null;
  }

  /** The commitment at {@code index}, copied into a copy of the talk's list, ready to change. */
  static Commitment editCommitment(TalkState talk, int index) {
    return Copies.edit(talk.getCommitments(), index, Copies::of, talk::setCommitments);
  }

  private static void amendTerms(
      Commitment commitment, CommitmentAmended amended, Instant at, String eventId) {
    List<String> changes = new ArrayList<>();
    if (amended.getAction() != null && !amended.getAction().equals(commitment.getAction())) {
      commitment.setAction(amended.getAction());
      changes.add("action");
    }
    if (amended.getCounterparty() != null
        && !amended.getCounterparty().equals(commitment.getCounterparty())) {
      commitment.setCounterparty(amended.getCounterparty());
      changes.add("counterparty");
    }
    if (amended.getConditions() != null
        && !amended.getConditions().equals(commitment.getConditions())) {
      commitment.setConditions(List.copyOf(amended.getConditions()));
      changes.add("conditions");
    }
    if (amended.getConditionalOn() != null
        && !amended.getConditionalOn().equals(commitment.getConditionalOn())) {
      commitment.setConditionalOn(List.copyOf(amended.getConditionalOn()));
      changes.add("conditionalOn");
    }
    if (amended.getDueAt() != null && !amended.getDueAt().equals(commitment.getDueAt())) {
      commitment.setDueAt(amended.getDueAt());
      changes.add("dueAt");
    }
    if (!changes.isEmpty()) {
      String reason = amended.getReason() == null ? "" : " (" + amended.getReason() + ")";
      addChange(
          commitment,
          new CommitmentChange(
              at,
              eventId,
              commitment.getStatus(),
              "amended " + String.join(", ", changes) + reason));
    }
  }

  static void changeStatus(
      Commitment commitment, CommitmentStatus status, String reason, Instant at, String eventId) {
    if (commitment.getStatus() == status) {
      return;
    }
    String change =
        commitment.getStatus() + " -> " + status + (reason == null ? "" : " (" + reason + ")");
    commitment.setStatus(status);
    addChange(commitment, new CommitmentChange(at, eventId, status, change));
  }

  /**
   * How many changes of a commitment, and moves of a deadline, a talk's state keeps: the latest,
   * newest last, with a count of the ones before. Talks last as long as their negotiations, and a
   * commitment that changes every day would otherwise grow its talk's state, and with it every
   * write of the talk and every state published, without end, until the talk is full. The events
   * topic keeps every change (and the talk's timeline up to its latest {@link
   * PartitionFold#HISTORY_LIMIT} events).
   */
  public static final int KEPT_CHANGES = 20;

  /**
   * Adds a change to a commitment (a copy, free to change) as a new history, keeping the latest. A
   * state an older version stored holds every change; this trims it at the commitment's next change
   * to what folding the log again gives. Until then it differs from a rebuild's (its full history,
   * a count of 0), which changes no alert.
   */
  private static void addChange(Commitment commitment, CommitmentChange change) {
    List<CommitmentChange> history = Copies.plus(commitment.getHistory(), change);
    commitment.setEarlierChanges(commitment.getEarlierChanges() + trim(history));
    commitment.setHistory(history); // replaced, never changed: copies share it (Copies.of)
  }

  /**
   * Drops a list's oldest items past {@link #KEPT_CHANGES} and says how many went: all the excess,
   * not one, so that a state an older version stored whole is trimmed at once.
   */
  private static int trim(List<?> items) {
    int over = items.size() - KEPT_CHANGES;
    if (over <= 0) {
      return 0;
    }
    items.subList(0, over).clear();
    return over;
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

  /** Set again with the same due time, description and commitment, a deadline changes nothing. */
  private static String setDeadline(TalkState talk, DeadlineSet set, Instant at) {
    int existing = Items.indexOfId(talk.getDeadlines(), set.getDeadlineId());
    if (existing >= 0) {
      Deadline deadline = talk.getDeadlines().get(existing);
      if (!(deadline.getDueAt().equals(set.getDueAt())
          && deadline.getDescription().equals(set.getDescription())
          && Objects.equals(deadline.getCommitmentId(), set.getCommitmentId()))) {
        return refusal(
            "deadline '%s' already exists: use DeadlineMoved to give it a new due time",
            set.getDeadlineId());
      }
    }
    if (set.getCommitmentId() != null
        && Items.indexOfId(talk.getCommitments(), set.getCommitmentId()) < 0) {
      return unknownCommitment(talk, set.getCommitmentId());
    }
    if (existing < 0) {
      talk.setDeadlines(
          Items.plus(
              talk.getDeadlines(),
              new Deadline(
                  set.getDeadlineId(),
                  set.getCommitmentId(),
                  set.getDescription(),
                  set.getDueAt(),
                  DeadlineStatus.OPEN,
                  null,
                  at,
                  List.of(),
                  0)));
    }
    return null;
  }

  private static String moveDeadline(
      TalkState talk, DeadlineMoved moved, Instant at, String eventId) {
    int i = Items.indexOfId(talk.getDeadlines(), moved.getDeadlineId());
    if (i < 0) {
      return unknownDeadline(talk, moved.getDeadlineId());
    }
    if (!talk.getDeadlines().get(i).getDueAt().equals(moved.getDueAt())) {
      moveDueTime(editDeadline(talk, i), moved, at, eventId);
    }
    return null;
  }

  private static String changeDeadlineStatus(TalkState talk, DeadlineStatusChanged changed) {
    int i = Items.indexOfId(talk.getDeadlines(), changed.getDeadlineId());
    if (i < 0) {
      return unknownDeadline(talk, changed.getDeadlineId());
    }
    if (talk.getDeadlines().get(i).getStatus() != changed.getStatus()) {
      editDeadline(talk, i).setStatus(changed.getStatus());
    }
    return null;
  }

  private static Deadline editDeadline(TalkState talk, int index) {
    return Copies.edit(talk.getDeadlines(), index, Copies::of, talk::setDeadlines);
  }

  /**
   * A moved deadline is warned afresh against its new time; a missed one that is moved is open
   * again.
   */
  private static void moveDueTime(
      Deadline deadline, DeadlineMoved moved, Instant at, String eventId) {
    List<DeadlineMove> moves =
        Copies.plus(
            deadline.getMoves(),
            new DeadlineMove(
                at, eventId, deadline.getDueAt(), moved.getDueAt(), moved.getReason()));
    deadline.setEarlierMoves(deadline.getEarlierMoves() + trim(moves));
    deadline.setMoves(moves); // replaced, never changed: copies share it (Copies.of)
    deadline.setDueAt(moved.getDueAt());
    deadline.setWarnedWithinSeconds(null);
    if (deadline.getStatus() == DeadlineStatus.MISSED) {
      deadline.setStatus(DeadlineStatus.OPEN);
    }
  }

  // ---------------------------------------------------------------- lookups and refusals

  // Lookups by id go through Items.indexOfId: by the ids' hashes in a list the fold made, by a scan
  // in a list as Avro read it.

  /** The talk's commitment with this id, or null. */
  static Commitment commitment(TalkState talk, String id) {
    int i = Items.indexOfId(talk.getCommitments(), id);
    return i < 0 ? null : talk.getCommitments().get(i);
  }

  /** The refusal of an event naming a commitment the talk does not have. */
  private static String unknownCommitment(TalkState talk, String id) {
    return refusal(
        "commitment '%s' is not known in talk '%s' (known: %s)",
        id, talk.getTalkId(), ids(talk.getCommitments(), Commitment::getCommitmentId));
  }

  /** Why an event naming these commitments (in {@code field}) cannot apply, or null. */
  private static String unknownCommitments(TalkState talk, List<String> ids, String field) {
    for (String id : ids) {
      if (Items.indexOfId(talk.getCommitments(), id) < 0) {
        return refusal(
            "%s names commitment '%s', which talk '%s' does not have (known: %s)",
            field, id, talk.getTalkId(), ids(talk.getCommitments(), Commitment::getCommitmentId));
      }
    }
    return null;
  }

  /** The refusal of an event naming a deadline the talk does not have. */
  private static String unknownDeadline(TalkState talk, String id) {
    return refusal(
        "deadline '%s' is not known in talk '%s' (known: %s)",
        id, talk.getTalkId(), ids(talk.getDeadlines(), Deadline::getDeadlineId));
  }

  private static <T> String ids(List<T> items, Function<T, String> id) {
    if (items.isEmpty()) {
      return "none";
    }
    List<String> names = items.stream().map(id).limit(10).toList();
    return String.join(", ", names)
        + (items.size() > 10 ? " and " + (items.size() - 10) + " more" : "");
  }

  private static String refusal(String format, Object... args) {
    return String.format(format, args);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
