package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.avro.AgreementStatus;
import org.parley.avro.Alert;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.TalkState;
import org.parley.avro.TalkStatus;
import org.parley.model.SeedStory;

/**
 * What followed the article in September 2016, as the public record tells it (the second seed
 * file), folded after it: the cease-fire is reached, the seven days of calm run out, the aid convoy
 * is struck, the Joint Implementation Center never comes, the cease-fire breaks and the talks are
 * suspended. These are the alerts a desk editor would expect, in order.
 */
class SeedAftermathTest {

  private static String line(Alert a) {
    return a.getType()
        + " "
        + a.getSubjectId()
        + " "
        + a.getBefore()
        + " -> "
        + a.getAfter()
        + " ["
        + a.getSeverity()
        + "] at "
        + a.getEventTime();
  }

  @Test
  void theCeaseFireBreaksTheJointCenterIsVoidAndTheTalksCollapseThenAreSuspended() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      pipeline.send(SeedStory.events());
      pipeline.alerts();

      pipeline.send(SeedStory.aftermath());
      List<Alert> alerts = pipeline.alerts();

      assertThat(alerts.subList(1, alerts.size()))
          .extracting(SeedAftermathTest::line)
          .containsExactly(
              "COMMITMENT_STATUS_CHANGED russia-halt-airstrikes PROPOSED -> PLEDGED [NOTICE] at 2016-09-09T22:00:00Z",
              "COMMITMENT_STATUS_CHANGED us-separate-moderates PROPOSED -> PLEDGED [NOTICE] at 2016-09-09T22:00:00Z",
              "TALK_STATUS_CHANGED syria-ceasefire-geneva-2016 CONFIRMED -> AGREEMENT_REACHED [NOTICE] at 2016-09-09T22:00:00Z",
              "COMMITMENT_STATUS_CHANGED russia-halt-airstrikes PLEDGED -> IN_EFFECT [NOTICE] at 2016-09-09T22:00:00Z",
              "COMMITMENT_STATUS_CHANGED us-separate-moderates PLEDGED -> IN_EFFECT [NOTICE] at 2016-09-09T22:00:00Z",
              "COMMITMENT_STATUS_CHANGED humanitarian-access PROPOSED -> IN_EFFECT [NOTICE] at 2016-09-09T22:00:00Z",
              "AGREEMENT_REACHED geneva-cessation null -> CEASE_FIRE [HIGH] at 2016-09-09T22:00:00Z",
              "DEADLINE_SET seven-days-of-calm null -> 2016-09-19T16:00:00Z [NOTICE] at 2016-09-12T16:00:00Z",
              "DEADLINE_MISSED seven-days-of-calm OPEN -> MISSED [CRITICAL] at 2016-09-19T16:00:00Z",
              "COMMITMENT_STATUS_CHANGED humanitarian-access IN_EFFECT -> BREACHED [CRITICAL] at 2016-09-19T18:00:00Z",
              "CONDITION_FAILED us-military-cooperation CONDITIONAL -> VOID [HIGH] at 2016-09-19T18:00:00Z",
              "AGREEMENT_BREACHED geneva-cessation IN_EFFECT -> PARTIALLY_BREACHED [HIGH] at 2016-09-19T18:00:00Z",
              "COMMITMENT_STATUS_CHANGED russia-halt-airstrikes IN_EFFECT -> BREACHED [CRITICAL] at 2016-09-23T12:00:00Z",
              "TALK_STATUS_CHANGED syria-ceasefire-geneva-2016 AGREEMENT_REACHED -> COLLAPSED [HIGH] at 2016-09-26T12:00:00Z",
              "COMMITMENT_STATUS_CHANGED us-separate-moderates IN_EFFECT -> BREACHED [CRITICAL] at 2016-09-26T12:00:00Z",
              "AGREEMENT_BROKEN geneva-cessation PARTIALLY_BREACHED -> BROKEN [CRITICAL] at 2016-09-26T12:00:00Z",
              "TALK_STATUS_CHANGED syria-ceasefire-geneva-2016 COLLAPSED -> SUSPENDED [HIGH] at 2016-10-03T18:00:00Z");
      assertThat(alerts.get(0).getType()).hasToString("COMMITMENT_CHANGED");
      assertThat(alerts)
          .filteredOn(
              a ->
                  a.getSubjectId().equals("us-military-cooperation")
                      && a.getType().toString().equals("CONDITION_FAILED"))
          .singleElement()
          .satisfies(
              a ->
                  assertThat(a.getMessage())
                      .contains("commitment humanitarian-access was breached"));
      assertThat(alerts)
          .filteredOn(a -> a.getType().toString().equals("AGREEMENT_BROKEN"))
          .singleElement()
          .satisfies(
              a ->
                  assertThat(a.getMessage())
                      .endsWith(
                          "commitments breached or withdrawn: russia-halt-airstrikes, us-separate-moderates, humanitarian-access"));
      assertThat(pipeline.deadLetters()).isEmpty();

      TalkState talk = pipeline.talk(SeedStory.TALK_ID);
      assertThat(talk.getStatus()).isEqualTo(TalkStatus.SUSPENDED);
      assertThat(talk.getAgreements())
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.getStatus()).isEqualTo(AgreementStatus.BROKEN);
                assertThat(a.getBreachedBy())
                    .containsExactly(
                        "russia-halt-airstrikes", "us-separate-moderates", "humanitarian-access");
              });
      assertThat(talk.getCommitments())
          .filteredOn(c -> c.getCommitmentId().equals("us-military-cooperation"))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.getStatus()).isEqualTo(CommitmentStatus.WITHDRAWN);
                assertThat(c.getFailedCondition()).isEqualTo("humanitarian-access");
              });
    }
  }
}
