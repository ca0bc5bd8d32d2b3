package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.avro.AgreementKind;
import org.parley.avro.AgreementStatus;
import org.parley.avro.AgreementStatusChanged;
import org.parley.avro.Alert;
import org.parley.avro.AlertType;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.DeadlineSet;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.EventCorrected;
import org.parley.avro.EventRetracted;
import org.parley.avro.TalkState;
import org.parley.avro.TalkStatus;
import org.parley.avro.Tone;
import org.parley.core.PartitionFold.Outcome;
import org.parley.model.EventScript;
import org.parley.model.RecordCodec;

/** Agreements that break, conditions that fail, and newsrooms correcting themselves. */
class CorrectionsTest {

  private final InMemoryLedger ledger = new InMemoryLedger();
  private final PartitionFold partition =
      new PartitionFold(new TalkFold(DeadlineClock.standard()), ledger);
  private final EventScript geneva = new EventScript("geneva", "2016-09-07T12:00:00Z");

  private Outcome accept(DiplomaticEvent event) {
    return partition.accept(event, event.getRecordedAt());
  }

  private List<Alert> alertsOf(DiplomaticEvent event) {
    Outcome outcome = accept(event);
    assertThat(outcome).as("%s", outcome).isInstanceOf(Outcome.Applied.class);
    return ((Outcome.Applied) outcome).alerts();
  }

  private TalkState talk() {
    return ledger.talk("geneva");
  }

  private void ceaseFire() {
    accept(geneva.announced("Geneva", "United States", "Russia"));
    accept(geneva.pledge("halt-strikes", "Russia", "Halt airstrikes"));
    accept(geneva.pledge("separate", "United States", "Separate the moderates"));
    accept(
        geneva.agreement(
            "truce",
            AgreementKind.CEASE_FIRE,
            "Cessation of hostilities",
            "halt-strikes",
            "separate"));
  }

  @Test
  void aCeaseFireIsPartlyBreachedThenBrokenAndTheTalkNoLongerReadsAgreementReached() {
    ceaseFire();
    assertThat(talk().getStatus()).isEqualTo(TalkStatus.AGREEMENT_REACHED);

    List<Alert> first =
        alertsOf(geneva.commitmentStatus("halt-strikes", CommitmentStatus.BREACHED));
    assertThat(first)
        .extracting(Alert::getType)
        .containsExactly(AlertType.COMMITMENT_STATUS_CHANGED, AlertType.AGREEMENT_BREACHED);
    assertThat(first.get(1).getMessage())
        .endsWith("commitments breached or withdrawn: halt-strikes");

    List<Alert> second = alertsOf(geneva.commitmentStatus("separate", CommitmentStatus.BREACHED));
    assertThat(second)
        .extracting(Alert::getType)
        .containsExactly(
            AlertType.TALK_STATUS_CHANGED,
            AlertType.COMMITMENT_STATUS_CHANGED,
            AlertType.AGREEMENT_BROKEN);
    assertThat(talk().getStatus()).isEqualTo(TalkStatus.COLLAPSED);
    assertThat(talk().getAgreements().get(0).getStatus()).isEqualTo(AgreementStatus.BROKEN);
  }

  @Test
  void declaringTheCeaseFireOverEndsItAndTheTalkConcludes() {
    ceaseFire();

    List<Alert> alerts =
        alertsOf(
            geneva.event(
                new AgreementStatusChanged(
                    "truce", AgreementStatus.ENDED, "The cease-fire is over")));

    assertThat(alerts)
        .extracting(Alert::getType)
        .containsExactly(AlertType.TALK_STATUS_CHANGED, AlertType.AGREEMENT_ENDED);
    assertThat(alerts.get(1).getMessage()).contains("The cease-fire is over");
    assertThat(talk().getStatus()).isEqualTo(TalkStatus.CONCLUDED);
  }

  @Test
  void aConditionalCommitmentIsVoidWhenItsConditionIsBreachedAndTheAlertNamesTheCondition() {
    ceaseFire();
    accept(
        geneva.event(
            new org.parley.avro.CommitmentMade(
                "joint-center",
                "United States",
                "Set up a joint center",
                "Russia",
                CommitmentStatus.CONDITIONAL,
                List.of("Seven days of calm"),
                List.of("halt-strikes"),
                null)));

    List<Alert> alerts =
        alertsOf(geneva.commitmentStatus("halt-strikes", CommitmentStatus.BREACHED));

    assertThat(alerts)
        .filteredOn(a -> a.getType() == AlertType.CONDITION_FAILED)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getSubjectId()).isEqualTo("joint-center");
              assertThat(a.getBefore()).isEqualTo("CONDITIONAL");
              assertThat(a.getAfter()).isEqualTo("VOID");
              assertThat(a.getMessage()).contains("commitment halt-strikes was breached");
            });
    assertThat(talk().getCommitments().get(2).getFailedCondition()).isEqualTo("halt-strikes");
  }

  @Test
  void aConditionalCommitmentIsDueOnceEveryConditionIsFulfilled() {
    ceaseFire();
    accept(
        geneva.event(
            new org.parley.avro.CommitmentMade(
                "joint-center",
                "United States",
                "Set up a joint center",
                "Russia",
                CommitmentStatus.CONDITIONAL,
                List.of(),
                List.of("halt-strikes", "separate"),
                null)));
    accept(geneva.commitmentStatus("halt-strikes", CommitmentStatus.FULFILLED));

    List<Alert> alerts = alertsOf(geneva.commitmentStatus("separate", CommitmentStatus.FULFILLED));

    assertThat(alerts)
        .filteredOn(a -> a.getType() == AlertType.CONDITIONS_MET)
        .singleElement()
        .satisfies(a -> assertThat(a.getSubjectId()).isEqualTo("joint-center"));
    assertThat(talk().getCommitments().get(2).getStatus()).isEqualTo(CommitmentStatus.PLEDGED);
  }

  @Test
  void aTalkStoredWithAConditionLeftUnfollowedHasItFollowedAtItsNextChangeWhateverItTouches()
      throws Exception {
    TalkFold fold = new TalkFold(DeadlineClock.standard());
    TalkState talk = fold.apply(null, geneva.announced("Geneva", "United States", "Russia"));
    talk = fold.apply(talk, geneva.pledge("halt-strikes", "Russia", "Halt airstrikes"));
    talk =
        fold.apply(
            talk,
            geneva.commitment(
                "joint-center",
                "United States",
                "Set up a joint center",
                CommitmentStatus.CONDITIONAL,
                List.of("halt-strikes")));
    talk =
        fold.apply(
            talk,
            geneva.agreement(
                "truce", AgreementKind.CEASE_FIRE, "Cessation of hostilities", "halt-strikes"));
    // As a version before conditions were followed (e1bee0f) could store it: the condition
    // fulfilled, the commitment still waiting; read back as a store gives it.
    TalkState stored = readBackFromAStore(talk);
    stored.getCommitments().get(0).setStatus(CommitmentStatus.FULFILLED);

    TalkState pledged = fold.apply(stored, geneva.pledge("aid", "United States", "Deliver aid"));
    TalkState declared =
        fold.apply(
            stored,
            geneva.event(new AgreementStatusChanged("truce", AgreementStatus.ENDED, "It is over")));

    assertThat(TalkFold.commitment(pledged, "joint-center").getStatus())
        .as("after a new pledge")
        .isEqualTo(CommitmentStatus.PLEDGED);
    assertThat(TalkFold.commitment(declared, "joint-center").getStatus())
        .as("after an agreement declared over")
        .isEqualTo(CommitmentStatus.PLEDGED);
  }

  @Test
  void aTalkStoredWithAgreementsLeftUnjudgedHasThemJudgedAtItsNextChangeWhateverItTouches()
      throws Exception {
    TalkFold fold = new TalkFold(DeadlineClock.standard());
    TalkState talk = fold.apply(null, geneva.announced("Geneva", "United States", "Russia"));
    talk = fold.apply(talk, geneva.pledge("halt-strikes", "Russia", "Halt airstrikes"));
    talk = fold.apply(talk, geneva.pledge("open-corridors", "Russia", "Open corridors"));
    talk =
        fold.apply(
            talk,
            geneva.agreement(
                "truce", AgreementKind.CEASE_FIRE, "Cessation of hostilities", "halt-strikes"));
    talk =
        fold.apply(
            talk,
            geneva.agreement(
                "corridors", AgreementKind.OTHER, "Humanitarian corridors", "open-corridors"));
    // As a store may hold a talk written before its agreements were followed: the truce's one
    // commitment breached with the truce still in effect, the other agreement over with the talk
    // still at AGREEMENT_REACHED. Read back as a store gives it, so its lists are Avro's.
    TalkState stored = readBackFromAStore(talk);
    stored.getCommitments().get(0).setStatus(CommitmentStatus.BREACHED);
    stored.getAgreements().get(1).setStatus(AgreementStatus.ENDED);

    TalkState pledged = fold.apply(stored, geneva.pledge("aid", "United States", "Deliver aid"));
    // And with both agreements over, the talk still at AGREEMENT_REACHED.
    TalkState over = readBackFromAStore(talk);
    over.getAgreements().forEach(agreement -> agreement.setStatus(AgreementStatus.ENDED));
    TalkState said = fold.apply(over, geneva.statement("Lavrov", "We are committed", Tone.NEUTRAL));

    assertThat(pledged.getAgreements().get(0).getStatus())
        .as("the truce, after a new pledge")
        .isEqualTo(AgreementStatus.BROKEN);
    assertThat(pledged.getStatus())
        .as("the talk, after a new pledge: no agreement holds, one broke")
        .isEqualTo(TalkStatus.COLLAPSED);
    assertThat(said.getStatus())
        .as("the talk, after a statement, which touches no commitment or agreement")
        .isEqualTo(TalkStatus.CONCLUDED);
  }

  @Test
  void retractingATalksOnlyAnnouncementIsRefusedAndChangesNothing() {
    DiplomaticEvent announced = geneva.announced("Geneva", "United States", "Russia");
    accept(announced);
    DiplomaticEvent retraction =
        geneva.event(new EventRetracted(announced.getEventId(), "Wrong talk"));

    assertThat(accept(retraction)).isInstanceOf(Outcome.Refused.class);

    assertThat(ledger.history("geneva").entries())
        .extracting(DiplomaticEvent::getEventId)
        .containsExactly(announced.getEventId());
    assertThat(ledger.seen("geneva", retraction.getEventId())).isFalse();
    assertThat(
            accept(
                geneva.event(
                    new org.parley.avro.EventCorrected(
                        announced.getEventId(),
                        "Title",
                        null,
                        new org.parley.avro.TalkAnnounced(
                            "Geneva talks",
                            List.of("United States", "Russia"),
                            List.of(),
                            null,
                            "Reuters",
                            null)))))
        .as("the announcement can still be corrected")
        .isInstanceOf(Outcome.Applied.class);
  }

  @Test
  void retractingAMisattributedBreachRestoresTheCeaseFireWithAlertsMarkedAsCorrections() {
    ceaseFire();
    DiplomaticEvent wrong = geneva.commitmentStatus("halt-strikes", CommitmentStatus.BREACHED);
    accept(wrong);
    assertThat(talk().getAgreements().get(0).getStatus())
        .isEqualTo(AgreementStatus.PARTIALLY_BREACHED);

    List<Alert> alerts =
        alertsOf(
            geneva.event(
                new EventRetracted(wrong.getEventId(), "The strike was by another air force")));

    assertThat(alerts)
        .extracting(Alert::getType)
        .containsExactly(
            AlertType.CORRECTION, AlertType.COMMITMENT_STATUS_CHANGED, AlertType.AGREEMENT_REACHED);
    assertThat(alerts)
        .allSatisfy(a -> assertThat(a.getCorrectionOf()).isEqualTo(wrong.getEventId()));
    assertThat(alerts.get(0).getMessage())
        .contains("is retracted: The strike was by another air force");
    assertThat(talk().getCommitments().get(0).getStatus()).isEqualTo(CommitmentStatus.IN_EFFECT);
    assertThat(talk().getAgreements().get(0).getStatus()).isEqualTo(AgreementStatus.IN_EFFECT);
  }

  @Test
  void correctingAMisreportedDeadlineRefoldsTheTalkWithTheRightDate() {
    accept(geneva.announced("Geneva", "United States", "Russia"));
    DiplomaticEvent misreported =
        geneva.deadline("vote", "Vote on the plan", "2016-09-10T00:00:00Z");
    accept(misreported);
    accept(
        geneva
            .at("2016-09-11T00:00:00Z")
            .statement("Speaker", "No vote yet", org.parley.avro.Tone.NEUTRAL));
    assertThat(talk().getDeadlines().get(0).getStatus()).isEqualTo(DeadlineStatus.MISSED);

    List<Alert> alerts =
        alertsOf(
            geneva.event(
                new EventCorrected(
                    misreported.getEventId(),
                    "The vote is on the 20th, not the 10th",
                    null,
                    new DeadlineSet(
                        "vote",
                        "Vote on the plan",
                        java.time.Instant.parse("2016-09-20T00:00:00Z"),
                        null))));

    assertThat(alerts)
        .extracting(Alert::getType)
        .containsExactly(AlertType.CORRECTION, AlertType.DEADLINE_MOVED);
    assertThat(talk().getDeadlines().get(0).getStatus()).isEqualTo(DeadlineStatus.OPEN);
    assertThat(talk().getDeadlines().get(0).getDueAt()).hasToString("2016-09-20T00:00:00Z");
  }

  @Test
  void retractingAnEventThatLaterEventsNeedIsRefusedNamingThem() {
    accept(geneva.announced("Geneva", "United States", "Russia"));
    DiplomaticEvent pledge = geneva.pledge("halt-strikes", "Russia", "Halt airstrikes");
    accept(pledge);
    DiplomaticEvent breach = geneva.commitmentStatus("halt-strikes", CommitmentStatus.BREACHED);
    accept(breach);

    Outcome refused =
        accept(geneva.event(new EventRetracted(pledge.getEventId(), "Misattributed")));

    assertThat(refused).isInstanceOf(Outcome.Refused.class);
    assertThat(((Outcome.Refused) refused).reason())
        .contains("'" + breach.getEventId() + "' would no longer apply");
    assertThat(talk().getCommitments()).hasSize(1);
  }

  @Test
  void retractingAnEventTheTalkNeverHadIsRefused() {
    accept(geneva.announced("Geneva", "United States", "Russia"));

    Outcome refused = accept(geneva.event(new EventRetracted("no-such-event", "Typo")));

    assertThat(((Outcome.Refused) refused).reason())
        .contains("'no-such-event' is not in the history of talk 'geneva'");
  }

  @Test
  void theSameLogWithCorrectionsFoldsToTheSameStateByteForByte() {
    List<DiplomaticEvent> log = new java.util.ArrayList<>();
    EventScript script = new EventScript("geneva", "2016-09-07T12:00:00Z");
    log.add(script.announced("Geneva", "United States", "Russia"));
    log.add(script.pledge("halt-strikes", "Russia", "Halt airstrikes"));
    DiplomaticEvent breach = script.commitmentStatus("halt-strikes", CommitmentStatus.BREACHED);
    log.add(breach);
    log.add(script.event(new EventRetracted(breach.getEventId(), "Wrong")));
    log.add(
        script.event(
            new EventCorrected(
                log.get(1).getEventId(),
                "It was a conditional pledge",
                null,
                new org.parley.avro.CommitmentMade(
                    "halt-strikes",
                    "Russia",
                    "Halt airstrikes",
                    null,
                    CommitmentStatus.CONDITIONAL,
                    List.of("If the opposition holds fire"),
                    List.of(),
                    null))));

    byte[] first = foldToBytes(log);
    byte[] second = foldToBytes(log);

    assertThat(first).isEqualTo(second);
  }

  private static byte[] foldToBytes(List<DiplomaticEvent> log) {
    InMemoryLedger ledger = new InMemoryLedger();
    PartitionFold fold = new PartitionFold(new TalkFold(DeadlineClock.standard()), ledger);
    StringBuilder alerts = new StringBuilder();
    for (DiplomaticEvent event : log) {
      if (fold.accept(event, event.getRecordedAt()) instanceof Outcome.Applied applied) {
        applied
            .alerts()
            .forEach(a -> alerts.append(java.util.Arrays.toString(RecordCodec.alerts().encode(a))));
      }
    }
    assertThat(ledger.talk("geneva").getCommitments().get(0).getStatus())
        .isEqualTo(CommitmentStatus.CONDITIONAL);
    return (alerts + java.util.Arrays.toString(RecordCodec.talks().encode(ledger.talk("geneva"))))
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The talk as a store gives it back: decoded, so its lists are Avro's, not the fold's. */
  private static TalkState readBackFromAStore(TalkState talk) throws Exception {
    return RecordCodec.talks().decode(RecordCodec.talks().encode(talk));
  }
}
