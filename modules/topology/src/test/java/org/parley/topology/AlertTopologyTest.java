package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.avro.AgreementKind;
import org.parley.avro.Alert;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.TalkStatus;
import org.parley.avro.Tone;
import org.parley.core.DeadlineClock;
import org.parley.model.EventScript;

/** Every alert rule, end to end through the topology: events in, alerts out on the alerts topic. */
class AlertTopologyTest {

  private final EventScript talk = new EventScript("geneva", "2016-09-07T12:00:00Z");

  private static List<String> typesAndSubjects(List<Alert> alerts) {
    return alerts.stream().map(a -> a.getType() + " " + a.getSubjectId()).toList();
  }

  private PipelineDriver announced() {
    PipelineDriver pipeline = new PipelineDriver();
    pipeline.send(talk.announced("Geneva talks", "United States", "Russia"));
    pipeline.alerts();
    return pipeline;
  }

  @Test
  void talkStatusChangesAlert() {
    try (PipelineDriver pipeline = announced()) {
      pipeline.send(talk.confirmed("State Department"), talk.status(TalkStatus.SUSPENDED));

      assertThat(pipeline.alerts())
          .extracting(a -> a.getType() + " " + a.getBefore() + "->" + a.getAfter())
          .containsExactly(
              "TALK_STATUS_CHANGED ANNOUNCED->CONFIRMED",
              "TALK_STATUS_CHANGED CONFIRMED->SUSPENDED");
    }
  }

  @Test
  void commitmentsMadeChangedAndBreachedAlert() {
    try (PipelineDriver pipeline = announced()) {
      pipeline.send(
          talk.pledge("halt", "Russia", "Halt airstrikes"),
          talk.amendAction("halt", "Halt all airstrikes"),
          talk.commitmentStatus("halt", CommitmentStatus.BREACHED));

      List<Alert> alerts = pipeline.alerts();
      assertThat(typesAndSubjects(alerts))
          .containsExactly(
              "COMMITMENT_MADE halt", "COMMITMENT_CHANGED halt", "COMMITMENT_STATUS_CHANGED halt");
      assertThat(alerts.get(2).getBefore() + "->" + alerts.get(2).getAfter())
          .isEqualTo("PLEDGED->BREACHED");
    }
  }

  @Test
  void deadlinesSetMovedMetAndCancelledAlert() {
    try (PipelineDriver pipeline = announced()) {
      pipeline.send(
          talk.deadline("d1", "Vote", "2016-10-01T00:00:00Z"),
          talk.moveDeadline("d1", "2016-09-29T00:00:00Z"),
          talk.deadlineStatus("d1", DeadlineStatus.MET),
          talk.deadline("d2", "Review", "2016-12-01T00:00:00Z"),
          talk.deadlineStatus("d2", DeadlineStatus.CANCELLED));

      List<Alert> alerts = pipeline.alerts();
      assertThat(typesAndSubjects(alerts))
          .containsExactly(
              "DEADLINE_SET d1",
              "DEADLINE_MOVED d1",
              "DEADLINE_MET d1",
              "DEADLINE_SET d2",
              "DEADLINE_CANCELLED d2");
      assertThat(alerts.get(1).getShiftSeconds()).isEqualTo(-2 * 86_400L);
      assertThat(alerts.get(1).getMessage()).startsWith("Deadline moved 2 days earlier");
    }
  }

  @Test
  void deadlinesApproachAndAreMissedAsClockTicksArriveWhileNobodyTalks() {
    EventScript clock = new EventScript("clock", "2016-09-07T12:00:00Z");
    try (PipelineDriver pipeline = announced()) {
      pipeline.send(talk.deadline("vote", "Vote", "2016-09-10T00:00:00Z"));
      pipeline.alerts();

      pipeline.send(
          clock.tick("2016-09-09T00:00:00Z"),
          clock.tick("2016-09-09T23:30:00Z"),
          clock.tick("2016-09-10T00:00:00Z"));

      assertThat(pipeline.alerts())
          .extracting(a -> a.getType() + " " + a.getAfter())
          .containsExactly(
              "DEADLINE_APPROACHING PT24H", "DEADLINE_APPROACHING PT1H", "DEADLINE_MISSED MISSED");
    }
  }

  @Test
  void warningHorizonsAreConfigurable() {
    EventScript clock = new EventScript("clock", "2016-09-07T12:00:00Z");
    try (PipelineDriver pipeline =
        new PipelineDriver(new DeadlineClock(List.of(Duration.ofDays(3))))) {
      pipeline.send(
          talk.announced("Geneva talks", "A"),
          talk.deadline("vote", "Vote", "2016-09-20T00:00:00Z"));
      pipeline.alerts();

      pipeline.send(clock.tick("2016-09-17T00:00:00Z"));

      assertThat(pipeline.alerts()).extracting(Alert::getAfter).containsExactly("PT72H");
    }
  }

  @Test
  void agreementsAndStickingPointsAlert() {
    try (PipelineDriver pipeline = announced()) {
      pipeline.send(
          talk.pledge("truce-ru", "Russia", "Observe the truce"),
          talk.stickingPoint("targets", "Targets"),
          talk.resolved("targets", "Map agreed"),
          talk.agreement("truce", AgreementKind.CEASE_FIRE, "Nationwide truce", "truce-ru"));

      assertThat(typesAndSubjects(pipeline.alerts()))
          .containsExactly(
              "COMMITMENT_MADE truce-ru",
              "STICKING_POINT_RAISED targets",
              "STICKING_POINT_RESOLVED targets",
              "TALK_STATUS_CHANGED geneva",
              "COMMITMENT_STATUS_CHANGED truce-ru",
              "AGREEMENT_REACHED truce");
    }
  }

  @Test
  void duplicatesAndNoOpEventsPublishNoAlerts() {
    var pledge = talk.pledge("halt", "Russia", "Halt airstrikes");
    try (PipelineDriver pipeline = announced()) {
      pipeline.send(pledge);
      pipeline.alerts();
      int states = pipeline.states().size();

      pipeline.send(
          pledge,
          pledge,
          talk.pledge("halt", "Russia", "Halt airstrikes"),
          talk.statement("Toner", "Still pursuing", Tone.CAUTIOUS));

      assertThat(pipeline.alerts()).isEmpty();
      assertThat(states).isEqualTo(2);
      assertThat(pipeline.states())
          .as("the restatement and the statement change the talk; the duplicates do not")
          .hasSize(2);
      assertThat(pipeline.talk("geneva").getEventCount()).isEqualTo(4);
    }
  }
}
