package org.parley.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
   * unknown talk; it is never modified). Each event is checked once, then applied. A ClockTick only
   * lets time pass (deadlines come due); it is not counted as an event.
   */
  public Folded fold(TalkState before, DiplomaticEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof ClockTick) {
      return new Folded(clock.passTime(before, event.getOccurredAt()), null);
    }
    Optional<String> refusal = before == null ? checkNewTalk(event) : Optional.empty();
    if (refusal.isPresent()) {
      return Folded.refused(refusal.get());
    }
    Rule<Object> rule = rule(payload);
    if (before != null) {
      refusal = rule.check(before, payload);
      if (refusal.isPresent()) {
        return Folded.refused(refusal.get());
      }
    }
    TalkState talk = before == null ? newTalk(event) : Copies.of(before);
    Instant at = event.getOccurredAt();
    String eventId = event.getEventId();
    rule.apply(talk, payload, at, eventId);
    Consequences.follow(before, talk, at, eventId);
    talk.setEventCount(talk.getEventCount() + 1);
    talk.setLastEventId(eventId);
    talk.setUpdatedAt(before == null ? at : max(before.getUpdatedAt(), at));
    return new Folded(talk, null);
  }

  /** Why the event cannot apply to this talk ({@code before} is null for an unknown talk). */
  public Optional<String> check(TalkState before, DiplomaticEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof ClockTick) {
      return Optional.empty();
    }
    if (before == null) {
      return checkNewTalk(event);
    }
    Rule<Object> rule = RULES.get(payload.getClass());
    return rule == null ? Optional.empty() : rule.check(before, payload);
  }

  /** The talk after the event; an event that cannot apply ({@link #check}) throws. */
  public TalkState apply(TalkState before, DiplomaticEvent event) {
    Folded folded = fold(before, event);
    if (folded.refusal() != null) {
      throw new IllegalArgumentException(folded.refusal());
    }
    return folded.talk();
  }

  /** Only TalkAnnounced and TalkConfirmed (with a title) create a talk. */
  private static Optional<String> checkNewTalk(DiplomaticEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof TalkAnnounced) {
      return Optional.empty();
    }
    if (payload instanceof TalkConfirmed confirmed) {
      return confirmed.getTitle() == null
          ? refuse(
              "talk '%s' is not known, so TalkConfirmed must carry a title to create it"
                  + " (or publish TalkAnnounced first)",
              event.getTalkId())
          : Optional.empty();
    }
    return refuse(
        "talk '%s' has not been announced: publish TalkAnnounced (or TalkConfirmed) for it first",
        event.getTalkId());
  }

  // ---------------------------------------------------------------- the rules, one per event type

  /**
   * One event type's rule: whether it can apply to a talk (which exists), and what it does to a
   * fresh copy of the talk (copy-on-write: replace the lists and items it changes, never mutate
   * what the copy shares with the talk before).
   */
  private interface Rule<P> {
    Optional<String> check(TalkState talk, P payload);

    void apply(TalkState talk, P payload, Instant at, String eventId);
  }

  @SuppressWarnings("unchecked")
  private static Rule<Object> rule(Object payload) {
    Rule<Object> rule = RULES.get(payload.getClass());
    if (rule == null) {
      throw new IllegalStateException("no fold for " + payload.getClass().getSimpleName());
    }
    return rule;
  }

  private static final Map<Class<?>, Rule<Object>> RULES = new HashMap<>();

  @SuppressWarnings("unchecked")
  private static <P> void rule(
      Class<P> type,
      java.util.function.BiFunction<TalkState, P, Optional<String>> check,
      Change<P> apply) {
    RULES.put(
        type,
        (Rule<Object>)
            (Rule<?>)
                new Rule<P>() {
                  @Override
                  public Optional<String> check(TalkState talk, P payload) {
                    return check.apply(talk, payload);
                  }

                  @Override
                  public void apply(TalkState talk, P payload, Instant at, String eventId) {
                    apply.apply(talk, payload, at, eventId);
                  }
                });
  }

  @FunctionalInterface
  private interface Change<P> {
    void apply(TalkState talk, P payload, Instant at, String eventId);
  }

  private static Optional<String> anything(TalkState talk, Object payload) {
    return Optional.empty();
  }

  static {
    rule(
        TalkAnnounced.class,
        TalkFold::anything,
        (talk, announced, at, id) -> announce(talk, announced, at));
    rule(
        TalkConfirmed.class,
        TalkFold::anything,
        (talk, confirmed, at, id) -> confirm(talk, confirmed, at));
    rule(
        TalkStatusChanged.class,
        TalkFold::anything,
        (talk, changed, at, id) -> talk.setStatus(changed.getStatus()));
    rule(
        SessionScheduled.class,
        TalkFold::anything,
        (talk, scheduled, at, id) -> schedule(talk, scheduled));
    rule(
        StatementIssued.class,
        TalkFold::anything,
        (talk, statement, at, id) -> {
          List<Statement> statements =
              Copies.plus(
                  talk.getRecentStatements(),
                  new Statement(
                      id, statement.getSpeaker(), statement.getText(), statement.getTone(), at));
          talk.setRecentStatements(
              new ArrayList<>(
                  statements.subList(
                      Math.max(0, statements.size() - RECENT_STATEMENTS), statements.size())));
        });

    rule(
        CommitmentMade.class,
        (talk, made) -> {
          Commitment existing = commitment(talk, made.getCommitmentId());
          if (existing != null && !sameTerms(existing, made)) {
            return refuse(
                "commitment '%s' already exists with other terms: use CommitmentAmended to change its terms"
                    + " or CommitmentStatusChanged to change its status",
                made.getCommitmentId());
          }
          return unknownCommitments(talk, made.getConditionalOn(), "conditionalOn");
        },
        (talk, made, at, id) -> {
          if (commitment(talk, made.getCommitmentId()) == null) {
            talk.setCommitments(
                Copies.plus(
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
                        List.of(new CommitmentChange(at, id, made.getStatus(), "made")),
                        null,
                        0)));
          }
        });
    rule(
        CommitmentAmended.class,
        (talk, amended) ->
            unknownCommitment(talk, amended.getCommitmentId())
                .or(
                    () ->
                        amended.getConditionalOn() == null
                            ? Optional.empty()
                            : unknownCommitments(
                                talk, amended.getConditionalOn(), "conditionalOn")),
        (talk, amended, at, id) ->
            amend(editCommitment(talk, amended.getCommitmentId()), amended, at, id));
    rule(
        CommitmentStatusChanged.class,
        (talk, changed) -> unknownCommitment(talk, changed.getCommitmentId()),
        (talk, changed, at, id) -> {
          Commitment commitment = commitment(talk, changed.getCommitmentId());
          if (commitment.getStatus() != changed.getStatus()) {
            changeStatus(
                editCommitment(talk, changed.getCommitmentId()),
                changed.getStatus(),
                changed.getReason(),
                at,
                id);
          }
        });

    rule(
        DeadlineSet.class,
        (talk, set) -> {
          Deadline existing = deadline(talk, set.getDeadlineId());
          if (existing != null
              && !(existing.getDueAt().equals(set.getDueAt())
                  && existing.getDescription().equals(set.getDescription())
                  && Objects.equals(existing.getCommitmentId(), set.getCommitmentId()))) {
            return refuse(
                "deadline '%s' already exists: use DeadlineMoved to give it a new due time",
                set.getDeadlineId());
          }
          return set.getCommitmentId() == null
              ? Optional.empty()
              : unknownCommitment(talk, set.getCommitmentId());
        },
        (talk, set, at, id) -> {
          if (deadline(talk, set.getDeadlineId()) == null) {
            talk.setDeadlines(
                Copies.plus(
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
        });
    rule(
        DeadlineMoved.class,
        (talk, moved) -> unknownDeadline(talk, moved.getDeadlineId()),
        (talk, moved, at, id) -> {
          if (!deadline(talk, moved.getDeadlineId()).getDueAt().equals(moved.getDueAt())) {
            move(editDeadline(talk, moved.getDeadlineId()), moved, at, id);
          }
        });
    rule(
        DeadlineStatusChanged.class,
        (talk, changed) -> unknownDeadline(talk, changed.getDeadlineId()),
        (talk, changed, at, id) -> {
          if (deadline(talk, changed.getDeadlineId()).getStatus() != changed.getStatus()) {
            editDeadline(talk, changed.getDeadlineId()).setStatus(changed.getStatus());
          }
        });

    rule(
        AgreementReached.class,
        (talk, reached) -> {
          Agreement existing = agreement(talk, reached.getAgreementId());
          if (existing != null
              && !(existing.getSummary().equals(reached.getSummary())
                  && existing.getKind() == reached.getKind())) {
            return refuse(
                "agreement '%s' already exists with another summary or kind",
                reached.getAgreementId());
          }
          return unknownCommitments(talk, reached.getInEffect(), "inEffect");
        },
        TalkFold::reach);
    rule(
        AgreementStatusChanged.class,
        (talk, changed) ->
            agreement(talk, changed.getAgreementId()) == null
                ? refuse(
                    "agreement '%s' is not known in talk '%s' (known: %s)",
                    changed.getAgreementId(),
                    talk.getTalkId(),
                    ids(talk.getAgreements(), Agreement::getAgreementId))
                : Optional.empty(),
        (talk, changed, at, id) -> {
          Agreement agreement = agreement(talk, changed.getAgreementId());
          if (agreement.getStatus() != changed.getStatus()) {
            Agreement copy =
                Copies.edit(
                    talk.getAgreements(),
                    indexOfAgreement(talk.getAgreements(), changed.getAgreementId()),
                    Copies::of,
                    talk::setAgreements);
            copy.setStatus(changed.getStatus());
            copy.setStatusReason(
                changed.getReason() == null
                    ? "declared " + changed.getStatus()
                    : changed.getReason());
            copy.setStatusChangedAt(at);
          }
        });

    rule(
        StickingPointRaised.class,
        (talk, raised) -> {
          StickingPoint existing = stickingPoint(talk, raised.getStickingPointId());
          if (existing != null && !existing.getDescription().equals(raised.getDescription())) {
            return refuse(
                "sticking point '%s' already exists with another description",
                raised.getStickingPointId());
          }
          return Optional.empty();
        },
        (talk, raised, at, id) -> {
          if (stickingPoint(talk, raised.getStickingPointId()) == null) {
            talk.setStickingPoints(
                Copies.plus(
                    talk.getStickingPoints(),
                    new StickingPoint(
                        raised.getStickingPointId(),
                        raised.getDescription(),
                        raised.getRaisedBy(),
                        at,
                        null,
                        null)));
          }
        });
    rule(
        StickingPointResolved.class,
        (talk, resolved) ->
            stickingPoint(talk, resolved.getStickingPointId()) == null
                ? refuse(
                    "sticking point '%s' is not known in talk '%s' (known: %s)",
                    resolved.getStickingPointId(),
                    talk.getTalkId(),
                    ids(talk.getStickingPoints(), StickingPoint::getStickingPointId))
                : Optional.empty(),
        (talk, resolved, at, id) -> {
          StickingPoint point = stickingPoint(talk, resolved.getStickingPointId());
          if (point.getResolvedAt() == null) {
            StickingPoint copy =
                Copies.edit(
                    talk.getStickingPoints(),
                    indexOfStickingPoint(talk.getStickingPoints(), resolved.getStickingPointId()),
                    Copies::of,
                    talk::setStickingPoints);
            copy.setResolvedAt(at);
            copy.setResolution(resolved.getResolution());
          }
        });
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

  /**
   * An agreement puts the commitments it names into effect and marks the talk AGREEMENT_REACHED.
   */
  private static void reach(TalkState talk, AgreementReached reached, Instant at, String eventId) {
    if (agreement(talk, reached.getAgreementId()) != null) {
      return;
    }
    talk.setAgreements(
        Copies.plus(
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
      if (commitment(talk, id).getStatus() != CommitmentStatus.IN_EFFECT) {
        changeStatus(
            editCommitment(talk, id),
            CommitmentStatus.IN_EFFECT,
            "agreement " + reached.getAgreementId(),
            at,
            eventId);
      }
    }
    if (talk.getStatus() != TalkStatus.CONCLUDED) {
      talk.setStatus(TalkStatus.AGREEMENT_REACHED);
    }
  }

  // ---------------------------------------------------------------- commitments

  /** The commitment, copied into a copy of the talk's list, ready to change. */
  static Commitment editCommitment(TalkState talk, String id) {
    return Copies.edit(
        talk.getCommitments(),
        indexOfCommitment(talk.getCommitments(), id),
        Copies::of,
        talk::setCommitments);
  }

  private static Deadline editDeadline(TalkState talk, String id) {
    return Copies.edit(
        talk.getDeadlines(),
        indexOfDeadline(talk.getDeadlines(), id),
        Copies::of,
        talk::setDeadlines);
  }

  private static void amend(
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
   * Adds a change to a commitment's history (a copy, free to change), keeping the latest. A state
   * an older version stored holds every change; this trims it at the commitment's next change to
   * what folding the log again gives. Until then it differs from a rebuild's (its full history, a
   * count of 0), which changes no alert.
   */
  private static void addChange(Commitment commitment, CommitmentChange change) {
    commitment.getHistory().add(change);
    commitment.setEarlierChanges(commitment.getEarlierChanges() + trim(commitment.getHistory()));
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

  /**
   * A moved deadline is warned afresh against its new time; a missed one that is moved is open
   * again.
   */
  private static void move(Deadline deadline, DeadlineMoved moved, Instant at, String eventId) {
    deadline
        .getMoves()
        .add(
            new DeadlineMove(
                at, eventId, deadline.getDueAt(), moved.getDueAt(), moved.getReason()));
    deadline.setEarlierMoves(deadline.getEarlierMoves() + trim(deadline.getMoves()));
    deadline.setDueAt(moved.getDueAt());
    deadline.setWarnedWithinSeconds(null);
    if (deadline.getStatus() == DeadlineStatus.MISSED) {
      deadline.setStatus(DeadlineStatus.OPEN);
    }
  }

  // ---------------------------------------------------------------- lookups and refusals

  // One loop per kind of item rather than one generic loop given an id getter: a generic loop's
  // getter call sees four kinds of item and is not inlined, and these loops run over every
  // commitment of a talk several times an event. Ids kept in a talk have their hash cached:
  // comparing it first passes over most items without reading their characters.

  /** The talk's commitment with this id, or null. */
  static Commitment commitment(TalkState talk, String id) {
    int i = indexOfCommitment(talk.getCommitments(), id);
    return i < 0 ? null : talk.getCommitments().get(i);
  }

  static int indexOfCommitment(List<Commitment> items, String id) {
    int hash = id.hashCode();
    for (int i = 0; i < items.size(); i++) {
      if (same(items.get(i).getCommitmentId(), hash, id)) {
        return i;
      }
    }
    return -1;
  }

  /** The talk's deadline with this id, or null. */
  static Deadline deadline(TalkState talk, String id) {
    int i = indexOfDeadline(talk.getDeadlines(), id);
    return i < 0 ? null : talk.getDeadlines().get(i);
  }

  static int indexOfDeadline(List<Deadline> items, String id) {
    int hash = id.hashCode();
    for (int i = 0; i < items.size(); i++) {
      if (same(items.get(i).getDeadlineId(), hash, id)) {
        return i;
      }
    }
    return -1;
  }

  private static Agreement agreement(TalkState talk, String id) {
    int i = indexOfAgreement(talk.getAgreements(), id);
    return i < 0 ? null : talk.getAgreements().get(i);
  }

  static int indexOfAgreement(List<Agreement> items, String id) {
    int hash = id.hashCode();
    for (int i = 0; i < items.size(); i++) {
      if (same(items.get(i).getAgreementId(), hash, id)) {
        return i;
      }
    }
    return -1;
  }

  private static StickingPoint stickingPoint(TalkState talk, String id) {
    int i = indexOfStickingPoint(talk.getStickingPoints(), id);
    return i < 0 ? null : talk.getStickingPoints().get(i);
  }

  private static int indexOfStickingPoint(List<StickingPoint> items, String id) {
    int hash = id.hashCode();
    for (int i = 0; i < items.size(); i++) {
      if (same(items.get(i).getStickingPointId(), hash, id)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean same(String itemId, int wantedHash, String wanted) {
    return itemId.hashCode() == wantedHash && itemId.equals(wanted);
  }

  private static Optional<String> unknownCommitment(TalkState talk, String id) {
    return commitment(talk, id) == null
        ? refuse(
            "commitment '%s' is not known in talk '%s' (known: %s)",
            id, talk.getTalkId(), ids(talk.getCommitments(), Commitment::getCommitmentId))
        : Optional.empty();
  }

  private static Optional<String> unknownCommitments(
      TalkState talk, List<String> ids, String field) {
    for (String id : ids) {
      if (commitment(talk, id) == null) {
        return refuse(
            "%s names commitment '%s', which talk '%s' does not have (known: %s)",
            field, id, talk.getTalkId(), ids(talk.getCommitments(), Commitment::getCommitmentId));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> unknownDeadline(TalkState talk, String id) {
    return deadline(talk, id) == null
        ? refuse(
            "deadline '%s' is not known in talk '%s' (known: %s)",
            id, talk.getTalkId(), ids(talk.getDeadlines(), Deadline::getDeadlineId))
        : Optional.empty();
  }

  private static <T> String ids(List<T> items, Function<T, String> id) {
    if (items.isEmpty()) {
      return "none";
    }
    List<String> names = items.stream().map(id).limit(10).toList();
    return String.join(", ", names)
        + (items.size() > 10 ? " and " + (items.size() - 10) + " more" : "");
  }

  private static Optional<String> refuse(String format, Object... args) {
    return Optional.of(String.format(format, args));
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
