package org.parley.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.parley.avro.AgreementKind;
import org.parley.avro.AgreementReached;
import org.parley.avro.ClockTick;
import org.parley.avro.CommitmentAmended;
import org.parley.avro.CommitmentMade;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.CommitmentStatusChanged;
import org.parley.avro.DeadlineMoved;
import org.parley.avro.DeadlineSet;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.DeadlineStatusChanged;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.SessionScheduled;
import org.parley.avro.Source;
import org.parley.avro.StatementIssued;
import org.parley.avro.StickingPointRaised;
import org.parley.avro.StickingPointResolved;
import org.parley.avro.TalkAnnounced;
import org.parley.avro.TalkConfirmed;
import org.parley.avro.TalkStatus;
import org.parley.avro.TalkStatusChanged;
import org.parley.avro.Tone;

/**
 * Writes events for tests the way a desk editor would tell a story: one talk, events numbered e1,
 * e2... in order, each a minute after the last unless told {@link #at} a time.
 */
public final class EventScript {
  private final String talkId;
  private Instant now;
  private int count;

  public EventScript(String talkId, String start) {
    this.talkId = talkId;
    this.now = Instant.parse(start);
  }

  public EventScript at(String time) {
    now = Instant.parse(time);
    return this;
  }

  public EventScript after(Duration duration) {
    now = now.plus(duration);
    return this;
  }

  public Instant now() {
    return now;
  }

  public DiplomaticEvent announced(String title, String... parties) {
    return event(new TalkAnnounced(title, List.of(parties), List.of(), "Geneva", parties[0], null));
  }

  public DiplomaticEvent confirmed(String by) {
    return event(new TalkConfirmed(by, null, List.of(), null, null));
  }

  public DiplomaticEvent status(TalkStatus status) {
    return event(new TalkStatusChanged(status, null));
  }

  public DiplomaticEvent session(String sessionId, String startsAt) {
    return event(
        new SessionScheduled(sessionId, Instant.parse(startsAt), "Geneva", List.of(), null));
  }

  public DiplomaticEvent statement(String speaker, String text, Tone tone) {
    return event(new StatementIssued(speaker, text, tone));
  }

  public DiplomaticEvent pledge(String commitmentId, String party, String action) {
    return commitment(commitmentId, party, action, CommitmentStatus.PLEDGED, List.of());
  }

  public DiplomaticEvent commitment(
      String commitmentId,
      String party,
      String action,
      CommitmentStatus status,
      List<String> conditionalOn) {
    return event(
        new CommitmentMade(
            commitmentId, party, action, null, status, List.of(), conditionalOn, null));
  }

  public DiplomaticEvent amendAction(String commitmentId, String action) {
    return event(new CommitmentAmended(commitmentId, action, null, null, null, null, null));
  }

  public DiplomaticEvent commitmentStatus(String commitmentId, CommitmentStatus status) {
    return event(new CommitmentStatusChanged(commitmentId, status, null));
  }

  public DiplomaticEvent deadline(String deadlineId, String description, String dueAt) {
    return event(new DeadlineSet(deadlineId, description, Instant.parse(dueAt), null));
  }

  public DiplomaticEvent moveDeadline(String deadlineId, String dueAt) {
    return event(new DeadlineMoved(deadlineId, Instant.parse(dueAt), null));
  }

  public DiplomaticEvent deadlineStatus(String deadlineId, DeadlineStatus status) {
    return event(new DeadlineStatusChanged(deadlineId, status, null));
  }

  public DiplomaticEvent agreement(
      String agreementId, AgreementKind kind, String summary, String... inEffect) {
    return event(new AgreementReached(agreementId, kind, summary, List.of(), List.of(inEffect)));
  }

  public DiplomaticEvent stickingPoint(String id, String description) {
    return event(new StickingPointRaised(id, description, null));
  }

  public DiplomaticEvent resolved(String id, String resolution) {
    return event(new StickingPointResolved(id, resolution));
  }

  /** A clock tick at the given time (the script's time does not move). */
  public DiplomaticEvent tick(String time) {
    Instant at = Instant.parse(time);
    return DiplomaticEvent.newBuilder()
        .setEventId("tick-" + at.toEpochMilli())
        .setTalkId("clock")
        .setOccurredAt(at)
        .setRecordedAt(at)
        .setSource(new Source("parley ticker", null, null))
        .setPayload(new ClockTick())
        .build();
  }

  /** Any payload, as the next event of this talk. */
  public DiplomaticEvent event(Object payload) {
    count++;
    DiplomaticEvent event =
        DiplomaticEvent.newBuilder()
            .setEventId("e" + count)
            .setTalkId(talkId)
            .setOccurredAt(now)
            .setRecordedAt(now)
            .setSource(new Source("desk", "Parley tests", null))
            .setPayload(payload)
            .build();
    now = now.plus(Duration.ofMinutes(1));
    return event;
  }
}
