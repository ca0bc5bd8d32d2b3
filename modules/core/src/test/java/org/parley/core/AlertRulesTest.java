package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.avro.AgreementKind;
import org.parley.avro.Alert;
import org.parley.avro.AlertType;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.EventRetracted;
import org.parley.avro.Severity;
import org.parley.avro.TalkState;
import org.parley.avro.TalkStatus;
import org.parley.avro.Tone;
import org.parley.model.EventScript;

class AlertRulesTest {

  private final TalkFold fold = new TalkFold(DeadlineClock.standard());
  private final EventScript script = new EventScript("geneva", "2016-09-07T12:00:00Z");
  private TalkState talk;

  /** Applies the event to the running talk and returns the alerts it raised. */
  private List<Alert> on(DiplomaticEvent event) {
    TalkState before = talk;
    talk = fold.apply(before, event);
    return AlertRules.alerts(before, talk, event);
  }

  private void given(DiplomaticEvent... events) {
    for (DiplomaticEvent event : events) {
      on(event);
    }
  }

  @Test
  void aNewTalkAndEachStatusChangeAlert() {
    assertThat(on(script.announced("Kerry-Lavrov talks", "Russia", "United States")))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getType()).isEqualTo(AlertType.TALK_STATUS_CHANGED);
              assertThat(a.getBefore()).isNull();
              assertThat(a.getAfter()).isEqualTo("ANNOUNCED");
              assertThat(a.getMessage())
                  .isEqualTo("New talk: Kerry-Lavrov talks (announced by Russia)");
            });
    assertThat(on(script.confirmed("U.S. State Department")))
        .singleElement()
        .satisfies(
            a -> assertThat(a.getBefore() + "->" + a.getAfter()).isEqualTo("ANNOUNCED->CONFIRMED"));
    assertThat(on(script.status(TalkStatus.COLLAPSED)))
        .singleElement()
        .satisfies(a -> assertThat(a.getSeverity()).isEqualTo(Severity.HIGH));
  }

  @Test
  void aCommitmentMadeAlertsWithItsConditions() {
    given(script.announced("T", "A"), script.pledge("earlier", "Russia", "Keep earlier promises"));

    assertThat(
            on(
                script.commitment(
                    "coop",
                    "United States",
                    "Cooperate militarily",
                    CommitmentStatus.CONDITIONAL,
                    List.of("earlier"))))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getType()).isEqualTo(AlertType.COMMITMENT_MADE);
              assertThat(a.getSubjectId()).isEqualTo("coop");
              assertThat(a.getAfter()).isEqualTo("CONDITIONAL");
              assertThat(a.getMessage())
                  .isEqualTo(
                      "Commitment CONDITIONAL: United States: Cooperate militarily (conditions: commitment earlier)");
            });
  }

  @Test
  void aPledgeBreachedIsCriticalWithBeforeAndAfter() {
    given(script.announced("T", "A"), script.pledge("halt", "Russia", "Halt airstrikes"));

    assertThat(on(script.commitmentStatus("halt", CommitmentStatus.BREACHED)))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getType()).isEqualTo(AlertType.COMMITMENT_STATUS_CHANGED);
              assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
              assertThat(a.getBefore()).isEqualTo("PLEDGED");
              assertThat(a.getAfter()).isEqualTo("BREACHED");
              assertThat(a.getMessage())
                  .isEqualTo("Commitment PLEDGED -> BREACHED: Russia: Halt airstrikes");
            });
  }

  @Test
  void amendedTermsAlertWithTheOldAndNewTerms() {
    given(script.announced("T", "A"), script.pledge("halt", "Russia", "Halt airstrikes"));

    assertThat(on(script.amendAction("halt", "Halt airstrikes on Aleppo")))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getType()).isEqualTo(AlertType.COMMITMENT_CHANGED);
              assertThat(a.getBefore()).isEqualTo("Halt airstrikes");
              assertThat(a.getAfter()).isEqualTo("Halt airstrikes on Aleppo");
            });
  }

  @Test
  void aDeadlineSetAndMovedLaterOrEarlierSaysByHowMuch() {
    given(script.announced("T", "A"));
    assertThat(on(script.deadline("vote", "UN vote", "2016-10-01T00:00:00Z")))
        .singleElement()
        .satisfies(a -> assertThat(a.getType()).isEqualTo(AlertType.DEADLINE_SET));

    assertThat(on(script.moveDeadline("vote", "2016-10-04T00:00:00Z")))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getType()).isEqualTo(AlertType.DEADLINE_MOVED);
              assertThat(a.getBefore()).isEqualTo("2016-10-01T00:00:00Z");
              assertThat(a.getAfter()).isEqualTo("2016-10-04T00:00:00Z");
              assertThat(a.getShiftSeconds()).isEqualTo(3 * 86_400L);
              assertThat(a.getMessage())
                  .isEqualTo("Deadline moved 3 days later: UN vote, now due 2016-10-04T00:00:00Z");
            });
    assertThat(on(script.moveDeadline("vote", "2016-10-03T22:30:00Z")))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getShiftSeconds()).isEqualTo(-5_400L);
              assertThat(a.getMessage()).startsWith("Deadline moved 1 h 30 min earlier");
            });
  }

  @Test
  void deadlinesMetCancelledAndMissedByEventAlert() {
    given(
        script.announced("T", "A"),
        script.deadline("d1", "One", "2016-10-01T00:00:00Z"),
        script.deadline("d2", "Two", "2016-10-01T00:00:00Z"),
        script.deadline("d3", "Three", "2016-10-01T00:00:00Z"));

    assertThat(on(script.deadlineStatus("d1", DeadlineStatus.MET)))
        .extracting(Alert::getType)
        .containsExactly(AlertType.DEADLINE_MET);
    assertThat(on(script.deadlineStatus("d2", DeadlineStatus.CANCELLED)))
        .extracting(Alert::getType)
        .containsExactly(AlertType.DEADLINE_CANCELLED);
    assertThat(on(script.deadlineStatus("d3", DeadlineStatus.MISSED)))
        .singleElement()
        .satisfies(a -> assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL));
  }

  @Test
  void timePassingWarnsAtEachHorizonThenMisses() {
    given(
        script.announced("T", "A"), script.deadline("term", "End of term", "2017-01-20T17:00:00Z"));

    assertThat(on(script.tick("2017-01-19T16:59:59Z"))).isEmpty();
    assertThat(on(script.tick("2017-01-19T17:00:00Z")))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getType()).isEqualTo(AlertType.DEADLINE_APPROACHING);
              assertThat(a.getAfter()).isEqualTo("PT24H");
              assertThat(a.getMessage())
                  .isEqualTo("Deadline within 1 day: End of term, due 2017-01-20T17:00:00Z");
            });
    assertThat(on(script.tick("2017-01-20T12:00:00Z"))).isEmpty();
    assertThat(on(script.tick("2017-01-20T16:00:00Z")))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getBefore()).isEqualTo("PT24H");
              assertThat(a.getAfter()).isEqualTo("PT1H");
            });
    assertThat(on(script.tick("2017-01-20T17:00:00Z")))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getType()).isEqualTo(AlertType.DEADLINE_MISSED);
              assertThat(a.getEventTime()).hasToString("2017-01-20T17:00:00Z");
            });
    assertThat(on(script.tick("2017-02-01T00:00:00Z"))).isEmpty();
  }

  @Test
  void agreementsAndStickingPointsAlert() {
    given(script.announced("T", "A"));

    assertThat(on(script.stickingPoint("targets", "Legitimate targets")))
        .extracting(Alert::getType)
        .containsExactly(AlertType.STICKING_POINT_RAISED);
    assertThat(on(script.resolved("targets", "A map")))
        .extracting(Alert::getType)
        .containsExactly(AlertType.STICKING_POINT_RESOLVED);
    assertThat(on(script.agreement("truce", AgreementKind.CEASE_FIRE, "Nationwide truce")))
        .extracting(Alert::getType)
        .containsExactly(AlertType.TALK_STATUS_CHANGED, AlertType.AGREEMENT_REACHED);
  }

  @Test
  void aCorrectionThatMovesItemsStillComparesEachItemWithItself() {
    // A correction folds the talk again from its history, so its lists can lose an item, and have
    // the items after it move up, one of them past the end of the list before: each item must
    // still be compared with itself, found by id, not taken for new. Short lists (scanned) and long
    // ones (over 16, looked up in a map).
    for (int made : new int[] {4, 20}) {
      TalkState talk = fold.apply(null, script.announced("T", "A"));
      TalkState refolded = talk;
      for (int i = 1; i <= made; i++) {
        DiplomaticEvent pledge = script.pledge("c" + i, "A", "Act " + i);
        talk = fold.apply(talk, pledge);
        if (i > 1) {
          refolded = fold.apply(refolded, pledge);
        }
      }
      refolded = fold.apply(refolded, script.commitmentStatus("c3", CommitmentStatus.BREACHED));
      refolded = fold.apply(refolded, script.pledge("c" + (made + 1), "A", "Act " + (made + 1)));
      refolded = fold.apply(refolded, script.pledge("c1", "A", "Act 1")); // now past the end

      assertThat(AlertRules.alerts(talk, refolded, script.event(new EventRetracted("x", "typo"))))
          .extracting(a -> a.getType() + " " + a.getSubjectId())
          .as("a talk of %d commitments, c1 moved to the end", made)
          .containsExactly("COMMITMENT_STATUS_CHANGED c3", "COMMITMENT_MADE c" + (made + 1));

      // And where every item kept its place, one changed in place and one added are both seen.
      TalkState changed =
          fold.apply(talk, script.commitmentStatus("c3", CommitmentStatus.BREACHED));
      changed = fold.apply(changed, script.pledge("new", "A", "Act"));
      assertThat(AlertRules.alerts(talk, changed, script.pledge("new", "A", "Act")))
          .extracting(a -> a.getType() + " " + a.getSubjectId())
          .as("a talk of %d commitments, c3 breached and one added", made)
          .containsExactly("COMMITMENT_STATUS_CHANGED c3", "COMMITMENT_MADE new");
    }
  }

  @Test
  void eventsThatChangeNothingAlertNothing() {
    given(
        script.announced("T", "A"),
        script.pledge("c1", "A", "Act"),
        script.deadline("d1", "D", "2016-10-01T00:00:00Z"),
        script.stickingPoint("s1", "Point"),
        script.resolved("s1", "done"));

    assertThat(on(script.pledge("c1", "A", "Act"))).isEmpty();
    assertThat(on(script.commitmentStatus("c1", CommitmentStatus.PLEDGED))).isEmpty();
    assertThat(on(script.deadline("d1", "D", "2016-10-01T00:00:00Z"))).isEmpty();
    assertThat(on(script.moveDeadline("d1", "2016-10-01T00:00:00Z"))).isEmpty();
    assertThat(on(script.status(TalkStatus.ANNOUNCED))).isEmpty();
    assertThat(on(script.resolved("s1", "again"))).isEmpty();
    assertThat(on(script.statement("Toner", "Still pursuing", Tone.CAUTIOUS))).isEmpty();
  }

  @Test
  void alertIdsDependOnTalkCauseTypeAndSubjectOnly() {
    given(script.announced("T", "A"), script.pledge("c1", "A", "Act"));
    DiplomaticEvent breach = script.commitmentStatus("c1", CommitmentStatus.BREACHED);
    Alert first = on(breach).get(0);

    assertThat(first.getAlertId())
        .isEqualTo(
            AlertRules.alertId(
                "geneva", breach.getEventId(), AlertType.COMMITMENT_STATUS_CHANGED, "c1"));
    assertThat(first.getAlertId())
        .isNotEqualTo(
            AlertRules.alertId(
                "other-talk", breach.getEventId(), AlertType.COMMITMENT_STATUS_CHANGED, "c1"))
        .isNotEqualTo(
            AlertRules.alertId(
                "geneva", breach.getEventId(), AlertType.COMMITMENT_STATUS_CHANGED, "c2"));
  }

  @Test
  void alertIdsAreTheNameBasedUuidsTheyAlwaysWere() {
    String longId = "t".repeat(2_000);
    for (String[] parts :
        new String[][] {
          {"geneva", "e1", "d1"},
          {"", "", ""},
          {"talk-\u00e9\u4e2d\ud83d\ude00", "e1", "d1"},
          {"geneva", "e-\u00e9", "d1"},
          {longId, "e1", "d1"},
          {"geneva", "e1", longId}
        }) {
      String name = parts[0] + '\n' + parts[1] + "\nDEADLINE_MISSED\n" + parts[2];
      assertThat(AlertRules.alertId(parts[0], parts[1], AlertType.DEADLINE_MISSED, parts[2]))
          .as(name)
          .isEqualTo(nameUuid(name));
    }
  }

  @Test
  void aDeadlineMovedMoreTimesThanItsStateKeepsIsMissedUnderTheIdItsEveryMoveGivesIt() {
    given(script.announced("T", "A"), script.deadline("d1", "Vote", "2017-01-01T00:00:00Z"));
    for (int day = 2; day <= 26; day++) {
      given(script.moveDeadline("d1", String.format("2017-01-%02dT00:00:00Z", day)));
    }
    org.parley.avro.Deadline kept = talk.getDeadlines().get(0);
    assertThat(kept.getMoves()).hasSize(TalkFold.KEPT_CHANGES);
    assertThat(kept.getEarlierMoves()).isEqualTo(25 - TalkFold.KEPT_CHANGES);

    List<Alert> alerts = on(script.tick("2017-02-01T00:00:00Z"));

    // The same deadline as it was before states kept only the latest moves: all 25 of them. A
    // passing's id names the number of moves, so it must count the ones the state no longer holds.
    org.parley.avro.Deadline missed = talk.getDeadlines().get(0);
    List<org.parley.avro.DeadlineMove> everyMove = new java.util.ArrayList<>();
    for (int i = 0; i < missed.getEarlierMoves(); i++) {
      everyMove.add(missed.getMoves().get(0));
    }
    everyMove.addAll(missed.getMoves());
    org.parley.avro.Deadline unbounded =
        org.parley.avro.Deadline.newBuilder(missed).setMoves(everyMove).setEarlierMoves(0).build();
    assertThat(alerts)
        .filteredOn(a -> a.getType() == AlertType.DEADLINE_MISSED)
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.getAlertId())
                    .isEqualTo(
                        AlertRules.passingId("geneva", unbounded, AlertType.DEADLINE_MISSED)));
  }

  @Test
  void idsOfAlertsRaisedByTimePassingAreTheNameBasedUuidsTheyAlwaysWere() {
    for (String deadlineId :
        new String[] {"d1", "", "d-\u00e9\u4e2d\ud83d\ude00", "d".repeat(500)}) {
      for (String due :
          new String[] {
            "2024-03-01T12:00:00Z",
            "2024-03-01T12:00:00.123Z",
            "+12000-01-01T00:00:00Z",
            "-0001-06-01T00:00:00Z"
          }) {
        for (Long warned : new Long[] {null, 3_600L}) {
          org.parley.avro.Deadline deadline =
              new org.parley.avro.Deadline(
                  deadlineId,
                  null,
                  "Deadline",
                  java.time.Instant.parse(due),
                  org.parley.avro.DeadlineStatus.OPEN,
                  warned,
                  java.time.Instant.parse("2024-01-01T00:00:00Z"),
                  java.util.List.of(),
                  0);
          String threshold =
              "deadline "
                  + deadlineId
                  + " due "
                  + deadline.getDueAt()
                  + " after 0 moves, threshold "
                  + DeadlineClock.thresholdCrossed(deadline);
          String name = "talk-\u00e9\n" + threshold + "\nDEADLINE_APPROACHING\n" + deadlineId;
          assertThat(AlertRules.passingId("talk-\u00e9", deadline, AlertType.DEADLINE_APPROACHING))
              .as(name)
              .isEqualTo(nameUuid(name));
        }
      }
    }
  }

  /** What alert ids always were: the JDK's version 3 UUID of the name's UTF-8 bytes. */
  private static String nameUuid(String name) {
    return java.util
        .UUID
        .nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }
}
