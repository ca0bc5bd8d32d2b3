package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.avro.AgreementKind;
import org.parley.avro.AgreementReached;
import org.parley.avro.CommitmentMade;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.DeadlineSet;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkConfirmed;
import org.parley.avro.TalkState;
import org.parley.avro.TalkStatus;
import org.parley.avro.Tone;
import org.parley.model.EventScript;
import org.parley.model.RecordCodec;

class TalkFoldTest {

  private final TalkFold fold = new TalkFold(DeadlineClock.standard());
  private final EventScript script = new EventScript("geneva", "2016-09-07T12:00:00Z");

  private TalkState foldAll(DiplomaticEvent... events) {
    return foldAll(null, events);
  }

  private TalkState foldAll(TalkState from, DiplomaticEvent... events) {
    TalkState talk = from;
    for (DiplomaticEvent event : events) {
      talk = fold.apply(talk, event);
    }
    return talk;
  }

  @Test
  void anAnnouncementCreatesTheTalkAndAConfirmationMovesItToConfirmed() {
    TalkState talk =
        foldAll(
            script.announced("Kerry-Lavrov talks", "Russia", "United States"),
            script.confirmed("U.S. State Department"));

    assertThat(talk.getTitle()).isEqualTo("Kerry-Lavrov talks");
    assertThat(talk.getParties()).containsExactly("Russia", "United States");
    assertThat(talk.getAnnouncedBy()).isEqualTo("Russia");
    assertThat(talk.getConfirmedBy()).isEqualTo("U.S. State Department");
    assertThat(talk.getStatus()).isEqualTo(TalkStatus.CONFIRMED);
    assertThat(talk.getEventCount()).isEqualTo(2);
    assertThat(talk.getLastEventId()).isEqualTo("e2");
  }

  @Test
  void aConfirmationDoesNotPullATalkUnderWayBackToConfirmed() {
    TalkState talk =
        foldAll(
            script.announced("T", "A", "B"),
            script.status(TalkStatus.IN_PROGRESS),
            script.confirmed("B"));

    assertThat(talk.getStatus()).isEqualTo(TalkStatus.IN_PROGRESS);
  }

  @Test
  void aConfirmationWithATitleCreatesATalkNobodyAnnounced() {
    TalkState talk =
        foldAll(
            script.event(new TalkConfirmed("State Department", "Talks", List.of("A"), null, null)));

    assertThat(talk.getStatus()).isEqualTo(TalkStatus.CONFIRMED);
    assertThat(talk.getAnnouncedBy()).isNull();
  }

  @Test
  void eventsForATalkNeverAnnouncedAreRefusedWithWhatToDo() {
    assertThat(fold.check(null, script.pledge("c1", "Russia", "Halt airstrikes")))
        .contains(
            "talk 'geneva' has not been announced: publish TalkAnnounced (or TalkConfirmed) for it first");
    assertThat(fold.check(null, script.confirmed("State Department")))
        .contains(
            "talk 'geneva' is not known, so TalkConfirmed must carry a title to create it"
                + " (or publish TalkAnnounced first)");
    assertThatThrownBy(() -> fold.apply(null, script.status(TalkStatus.COLLAPSED)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has not been announced");
  }

  @Test
  void referencesToUnknownCommitmentsDeadlinesAndStickingPointsAreRefusedNamingTheKnownOnes() {
    TalkState talk =
        foldAll(
            script.announced("T", "A"),
            script.pledge("c1", "A", "Act"),
            script.deadline("d1", "Vote", "2016-10-01T00:00:00Z"));

    assertThat(fold.check(talk, script.commitmentStatus("c9", CommitmentStatus.BREACHED)))
        .contains("commitment 'c9' is not known in talk 'geneva' (known: c1)");
    assertThat(fold.check(talk, script.moveDeadline("d9", "2016-10-02T00:00:00Z")))
        .contains("deadline 'd9' is not known in talk 'geneva' (known: d1)");
    assertThat(
            fold.check(
                talk,
                script.commitment(
                    "c2", "B", "Follow", CommitmentStatus.CONDITIONAL, List.of("c7"))))
        .contains(
            "conditionalOn names commitment 'c7', which talk 'geneva' does not have (known: c1)");
    assertThat(fold.check(talk, script.agreement("a1", AgreementKind.CEASE_FIRE, "Truce", "c3")))
        .contains("inEffect names commitment 'c3', which talk 'geneva' does not have (known: c1)");
    assertThat(fold.check(talk, script.resolved("s1", "settled")))
        .contains("sticking point 's1' is not known in talk 'geneva' (known: none)");
  }

  @Test
  void aCommitmentRestatedWithTheSameTermsChangesNothingButWithOtherTermsIsRefused() {
    TalkState talk = foldAll(script.announced("T", "A"), script.pledge("c1", "A", "Act"));

    TalkState restated = fold.apply(talk, script.pledge("c1", "A", "Act"));
    assertThat(restated.getCommitments()).isEqualTo(talk.getCommitments());
    assertThat(fold.check(talk, script.pledge("c1", "A", "Do something else")))
        .contains(
            "commitment 'c1' already exists with other terms: use CommitmentAmended to change its terms"
                + " or CommitmentStatusChanged to change its status");
  }

  @Test
  void commitmentsKeepTheirHistoryOfAmendmentsAndStatusChanges() {
    TalkState talk =
        foldAll(
            script.announced("T", "A"),
            script.pledge("c1", "Russia", "Halt airstrikes"),
            script.amendAction("c1", "Halt airstrikes on Aleppo"),
            script.commitmentStatus("c1", CommitmentStatus.BREACHED));

    var commitment = talk.getCommitments().get(0);
    assertThat(commitment.getAction()).isEqualTo("Halt airstrikes on Aleppo");
    assertThat(commitment.getStatus()).isEqualTo(CommitmentStatus.BREACHED);
    assertThat(commitment.getHistory())
        .extracting(c -> c.getChange())
        .containsExactly("made", "amended action", "PLEDGED -> BREACHED");
    assertThat(commitment.getHistory())
        .extracting(c -> c.getEventId())
        .containsExactly("e2", "e3", "e4");
  }

  /** The {@code i}th flip of commitment c1: breached, pledged again, breached... */
  private DiplomaticEvent flip(int i) {
    return script.commitmentStatus(
        "c1", i % 2 == 0 ? CommitmentStatus.BREACHED : CommitmentStatus.PLEDGED);
  }

  @Test
  void aCommitmentKeepsItsLatestTwentyChangesAndCountsTheOnesBefore() {
    TalkState talk = foldAll(script.announced("T", "A"), script.pledge("c1", "A", "Hold fire"));
    for (int i = 0; i < 30; i++) {
      talk = fold.apply(talk, flip(i));
    }

    // 31 changes (e2 made it, e3 to e32 flipped it): the latest 20 are kept, 11 counted.
    var commitment = talk.getCommitments().get(0);
    assertThat(commitment.getHistory()).hasSize(TalkFold.KEPT_CHANGES);
    assertThat(commitment.getEarlierChanges()).isEqualTo(11);
    assertThat(commitment.getHistory().get(0).getEventId()).isEqualTo("e13");
    assertThat(commitment.getHistory().get(TalkFold.KEPT_CHANGES - 1).getEventId())
        .isEqualTo("e32");
  }

  @Test
  void aStateAnOlderVersionStoredWithEveryChangeIsTrimmedAtItsNextChangeToWhatAFoldGives() {
    TalkState talk = foldAll(script.announced("T", "A"), script.pledge("c1", "A", "Hold fire"));
    // Every change, as a version that kept them all would have stored them.
    var every = new java.util.ArrayList<>(talk.getCommitments().get(0).getHistory());
    for (int i = 0; i < 29; i++) {
      talk = fold.apply(talk, flip(i));
      List<org.parley.avro.CommitmentChange> kept = talk.getCommitments().get(0).getHistory();
      every.add(kept.get(kept.size() - 1));
    }
    TalkState stored = TalkState.newBuilder(talk).build();
    stored.setCommitments(
        List.of(
            org.parley.avro.Commitment.newBuilder(talk.getCommitments().get(0))
                .setHistory(every)
                .setEarlierChanges(0)
                .build()));
    assertThat(every).hasSize(30);

    DiplomaticEvent next = script.commitmentStatus("c1", CommitmentStatus.PLEDGED);
    TalkState fromStored = fold.apply(stored, next);
    TalkState fromFold = fold.apply(talk, next);

    // 31 changes (e2 to e32): the latest 20 (e13 to e32) kept, 11 counted, as folding the log
    // gives.
    var commitment = fromStored.getCommitments().get(0);
    assertThat(commitment).isEqualTo(fromFold.getCommitments().get(0));
    assertThat(commitment.getEarlierChanges()).isEqualTo(11);
    assertThat(commitment.getHistory().get(0).getEventId()).isEqualTo("e13");
    assertThat(commitment.getHistory().get(TalkFold.KEPT_CHANGES - 1).getEventId())
        .isEqualTo("e32");
  }

  @Test
  void aDeadlineKeepsItsLatestTwentyMovesAndCountsTheOnesBefore() {
    TalkState talk =
        foldAll(script.announced("T", "A"), script.deadline("d1", "Vote", "2016-10-01T00:00:00Z"));
    for (int day = 2; day <= 31; day++) {
      talk =
          fold.apply(talk, script.moveDeadline("d1", String.format("2016-10-%02dT00:00:00Z", day)));
    }

    var deadline = talk.getDeadlines().get(0);
    assertThat(deadline.getMoves()).hasSize(TalkFold.KEPT_CHANGES);
    assertThat(deadline.getEarlierMoves()).isEqualTo(10);
    assertThat(deadline.getMoves().get(0).getFrom()).hasToString("2016-10-11T00:00:00Z");
    assertThat(deadline.getDueAt()).hasToString("2016-10-31T00:00:00Z");
  }

  @Test
  void aMovedDeadlineRecordsTheMoveAndAMissedOneMovedIsOpenAgain() {
    TalkState talk =
        foldAll(
            script.announced("T", "A"),
            script.deadline("d1", "Vote", "2016-10-01T00:00:00Z"),
            script.deadlineStatus("d1", DeadlineStatus.MISSED),
            script.moveDeadline("d1", "2016-10-08T00:00:00Z"));

    var deadline = talk.getDeadlines().get(0);
    assertThat(deadline.getStatus()).isEqualTo(DeadlineStatus.OPEN);
    assertThat(deadline.getDueAt()).hasToString("2016-10-08T00:00:00Z");
    assertThat(deadline.getMoves())
        .singleElement()
        .satisfies(
            move -> {
              assertThat(move.getFrom()).hasToString("2016-10-01T00:00:00Z");
              assertThat(move.getTo()).hasToString("2016-10-08T00:00:00Z");
              assertThat(move.getEventId()).isEqualTo("e4");
            });
  }

  @Test
  void anAgreementPutsItsCommitmentsIntoEffectAndMarksTheTalk() {
    TalkState talk =
        foldAll(
            script.announced("T", "A", "B"),
            script.pledge("c1", "A", "Stop firing"),
            script.agreement("truce", AgreementKind.CEASE_FIRE, "Nationwide truce", "c1"));

    assertThat(talk.getStatus()).isEqualTo(TalkStatus.AGREEMENT_REACHED);
    assertThat(talk.getCommitments().get(0).getStatus()).isEqualTo(CommitmentStatus.IN_EFFECT);
    assertThat(talk.getAgreements())
        .singleElement()
        .satisfies(a -> assertThat(a.getKind()).isEqualTo(AgreementKind.CEASE_FIRE));
  }

  @Test
  void onlyTheLatestTenStatementsAreKept() {
    TalkState talk = foldAll(script.announced("T", "A"));
    for (int i = 1; i <= 12; i++) {
      talk = fold.apply(talk, script.statement("Speaker", "Statement " + i, Tone.NEUTRAL));
    }

    assertThat(talk.getRecentStatements()).hasSize(TalkFold.RECENT_STATEMENTS);
    assertThat(talk.getRecentStatements().get(0).getText()).isEqualTo("Statement 3");
    assertThat(talk.getRecentStatements().get(9).getText()).isEqualTo("Statement 12");
  }

  @Test
  void sessionsAreScheduledAndRescheduledUnderTheirId() {
    TalkState talk =
        foldAll(
            script.announced("T", "A"),
            script.session("round-1", "2016-09-09T09:00:00Z"),
            script.session("round-1", "2016-09-10T09:00:00Z"),
            script.session("round-2", "2016-09-20T09:00:00Z"));

    assertThat(talk.getSessions())
        .extracting(s -> s.getSessionId() + "@" + s.getStartsAt())
        .containsExactly("round-1@2016-09-10T09:00:00Z", "round-2@2016-09-20T09:00:00Z");
  }

  @Test
  void stickingPointsAreRaisedAndResolvedOnce() {
    TalkState talk =
        foldAll(
            script.announced("T", "A"),
            script.stickingPoint("targets", "Legitimate targets"),
            script.resolved("targets", "Map agreed"),
            script.resolved("targets", "Another resolution"));

    assertThat(talk.getStickingPoints())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getResolution()).isEqualTo("Map agreed");
              assertThat(p.getResolvedAt()).isNotNull();
            });
  }

  @Test
  void theStatePassedInIsNeverModifiedByAnyKindOfEvent() {
    TalkState before =
        foldAll(
            script.announced("T", "A"),
            script.pledge("c1", "A", "Act"),
            script.pledge("c2", "B", "Follow"),
            script.deadline("d1", "Vote", "2016-10-01T00:00:00Z"),
            script.session("s1", "2016-09-09T09:00:00Z"),
            script.stickingPoint("p1", "Targets"),
            script.statement("Toner", "Still pursuing", Tone.CAUTIOUS));
    String copy = org.parley.model.JsonForm.toJson(before);
    List<DiplomaticEvent> everyKind =
        List.of(
            script.announced("T", "A", "C"),
            script.confirmed("C"),
            script.status(TalkStatus.IN_PROGRESS),
            script.session("s1", "2016-09-10T09:00:00Z"),
            script.session("s2", "2016-09-11T09:00:00Z"),
            script.statement("Carter", "Then and only then", Tone.CAUTIOUS),
            script.pledge("c3", "C", "New"),
            script.amendAction("c1", "Act faster"),
            script.commitmentStatus("c1", CommitmentStatus.BREACHED),
            script.deadline("d2", "Review", "2016-11-01T00:00:00Z"),
            script.moveDeadline("d1", "2016-10-08T00:00:00Z"),
            script.deadlineStatus("d1", DeadlineStatus.MISSED),
            script.agreement("a1", AgreementKind.CEASE_FIRE, "Truce", "c1", "c2"),
            script.stickingPoint("p2", "Aid"),
            script.resolved("p1", "Map"),
            script.tick("2016-09-30T12:00:00Z"),
            script.tick("2016-12-01T00:00:00Z"));

    for (DiplomaticEvent event : everyKind) {
      TalkState after = fold.apply(before, event);
      assertThat(after).isNotSameAs(before);
    }

    assertThat(org.parley.model.JsonForm.toJson(before)).isEqualTo(copy);
  }

  @Test
  void aTalkWarnedByTimeOrChangedOnceIsLeftAsItWasByTheNextChange() {
    // Time passing copies the deadlines it warns, and a change the commitments it changes; the
    // copies share the lists of moves and changes, which the next change must replace, not extend.
    TalkState talk =
        foldAll(
            script.announced("T", "A"),
            script.pledge("c1", "A", "Act"),
            script.deadline("d1", "Vote", "2016-09-30T00:00:00Z"),
            script.moveDeadline("d1", "2016-10-01T00:00:00Z")); // moves now a list that can grow
    String talkJson = org.parley.model.JsonForm.toJson(talk);
    TalkState warned = fold.apply(talk, script.tick("2016-09-30T12:00:00Z"));
    TalkState breached =
        fold.apply(warned, script.commitmentStatus("c1", CommitmentStatus.BREACHED));
    String warnedJson = org.parley.model.JsonForm.toJson(warned);
    String breachedJson = org.parley.model.JsonForm.toJson(breached);

    TalkState moved = fold.apply(warned, script.moveDeadline("d1", "2016-10-08T00:00:00Z"));
    TalkState kept = fold.apply(breached, script.commitmentStatus("c1", CommitmentStatus.PLEDGED));

    assertThat(warned.getDeadlines().get(0).getWarnedWithinSeconds()).isNotNull();
    assertThat(moved.getDeadlines().get(0).getMoves()).hasSize(2);
    assertThat(org.parley.model.JsonForm.toJson(talk)).isEqualTo(talkJson);
    assertThat(kept.getCommitments().get(0).getHistory()).hasSize(3);
    assertThat(org.parley.model.JsonForm.toJson(warned)).isEqualTo(warnedJson);
    assertThat(org.parley.model.JsonForm.toJson(breached)).isEqualTo(breachedJson);
  }

  @Test
  void itemsWhoseIdsShareAHashAreEachFoundByTheirOwnIdAlsoInATalkReadBackFromAStore()
      throws Exception {
    // What the lookups compare first: the same hash for all three.
    assertThat(List.of("Aa".hashCode(), "BB".hashCode(), "C#".hashCode())).containsOnly(2112);
    TalkState talk =
        foldAll(
            script.announced("T", "A", "B"),
            script.pledge("Aa", "A", "Halt airstrikes"),
            script.pledge("BB", "B", "Open corridors"),
            script.deadline("Aa", "first", "2016-09-10T12:00:00Z"),
            script.deadline("BB", "second", "2016-09-11T12:00:00Z"));
    // As the fold made it, and as Avro reads it back from a store, with Avro's own lists: the
    // fold's first change to each list makes it one of its own, in which the next events look up.
    TalkState stored = RecordCodec.talks().decode(RecordCodec.talks().encode(talk));
    assertThat(stored).isEqualTo(talk);
    for (TalkState before : List.of(talk, stored)) {
      assertThat(fold.check(before, script.commitmentStatus("C#", CommitmentStatus.BREACHED)))
          .hasValueSatisfying(reason -> assertThat(reason).contains("'C#' is not known"));
      TalkState after =
          foldAll(
              before,
              script.commitmentStatus("BB", CommitmentStatus.FULFILLED),
              script.commitmentStatus("Aa", CommitmentStatus.WITHDRAWN),
              script.tick("2016-09-10T13:00:00Z"), // Aa missed, BB within a day: both replaced
              script.moveDeadline("BB", "2016-09-12T12:00:00Z"),
              script.deadlineStatus("Aa", DeadlineStatus.CANCELLED));
      assertThat(after.getCommitments())
          .extracting(c -> c.getCommitmentId() + " " + c.getStatus())
          .containsExactly("Aa WITHDRAWN", "BB FULFILLED");
      assertThat(after.getDeadlines())
          .extracting(d -> d.getDeadlineId() + " " + d.getStatus() + " " + d.getDueAt())
          .containsExactly("Aa CANCELLED 2016-09-10T12:00:00Z", "BB OPEN 2016-09-12T12:00:00Z");
      assertThat(fold.check(after, script.pledge("BB", "B", "Open corridors"))).isEmpty();
      assertThat(fold.check(after, script.commitmentStatus("C#", CommitmentStatus.BREACHED)))
          .hasValueSatisfying(reason -> assertThat(reason).contains("'C#' is not known"));
      assertThat(fold.check(after, script.moveDeadline("C#", "2016-09-12T12:00:00Z")))
          .hasValueSatisfying(reason -> assertThat(reason).contains("'C#' is not known"));
    }
  }

  @Test
  void anItemRestatedDifferentlyIsRefusedForThatBeforeWhatItNamesIsChecked() {
    // Each rule checks and changes in one place; the refusal a person reads must still be the
    // first thing wrong, as it was when checking came first.
    TalkState talk =
        foldAll(
            script.announced("T", "A"),
            script.pledge("c1", "A", "Act"),
            script.deadline("d1", "Vote", "2016-10-01T00:00:00Z"),
            script.agreement("a1", AgreementKind.CEASE_FIRE, "Truce", "c1"));

    assertThat(
            fold.check(
                talk,
                script.event(
                    new CommitmentMade(
                        "c1",
                        "A",
                        "Other",
                        null,
                        CommitmentStatus.PLEDGED,
                        List.of(),
                        List.of("c9"),
                        null))))
        .hasValueSatisfying(reason -> assertThat(reason).contains("already exists with other"));
    assertThat(
            fold.check(
                talk,
                script.event(
                    new DeadlineSet("d1", "Vote", Instant.parse("2016-10-02T00:00:00Z"), "c9"))))
        .hasValueSatisfying(
            reason -> assertThat(reason).startsWith("deadline 'd1' already exists"));
    assertThat(
            fold.check(
                talk,
                script.event(
                    new AgreementReached(
                        "a1", AgreementKind.CEASE_FIRE, "Other", List.of(), List.of("c9")))))
        .hasValueSatisfying(reason -> assertThat(reason).contains("another summary or kind"));
    assertThat(
            fold.check(
                talk,
                script.event(
                    new CommitmentMade(
                        "c2",
                        "A",
                        "New",
                        null,
                        CommitmentStatus.PLEDGED,
                        List.of(),
                        List.of("c9"),
                        null))))
        .hasValueSatisfying(reason -> assertThat(reason).contains("names commitment 'c9'"));
  }
}
