package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.avro.Alert;
import org.parley.avro.AlertType;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.DiplomaticEvent;
import org.parley.core.PartitionFold.Outcome;
import org.parley.model.EventScript;

class PartitionFoldTest {

  private final InMemoryLedger ledger = new InMemoryLedger();
  private final PartitionFold partition = new PartitionFold(new TalkFold(DeadlineClock.standard()), ledger);
  private final EventScript geneva = new EventScript("geneva", "2016-09-07T12:00:00Z");
  private final EventScript vienna = new EventScript("vienna", "2016-09-07T12:00:00Z");

  private List<Alert> alertsOf(DiplomaticEvent event) {
    Outcome outcome = partition.accept(event);
    assertThat(outcome).isInstanceOf(Outcome.Applied.class);
    return ((Outcome.Applied) outcome).alerts();
  }

  @Test
  void aDuplicateEventIdIsIgnoredAndChangesNothing() {
    DiplomaticEvent announced = geneva.announced("T", "A");
    DiplomaticEvent pledge = geneva.pledge("c1", "A", "Act");
    partition.accept(announced);
    partition.accept(pledge);
    var before = ledger.talk("geneva");

    assertThat(partition.accept(pledge)).isEqualTo(new Outcome.Duplicate("geneva", pledge.getEventId()));
    assertThat(ledger.talk("geneva")).isSameAs(before);
  }

  @Test
  void aRefusedEventHasNoEffectNotEvenOnTheClock() {
    partition.accept(geneva.announced("T", "A"));
    partition.accept(geneva.deadline("d1", "Vote", "2016-10-01T00:00:00Z"));

    Outcome refused = partition.accept(geneva.at("2016-12-01T00:00:00Z").commitmentStatus("c9", CommitmentStatus.BREACHED));

    assertThat(refused).isInstanceOf(Outcome.Refused.class);
    assertThat(ledger.clock()).hasToString("2016-09-07T12:01:00Z");
    assertThat(ledger.talk("geneva").getDeadlines().get(0).getStatus()).isEqualTo(DeadlineStatus.OPEN);
  }

  @Test
  void anotherTalksEventMovesThePartitionClockAndWakesOnlyTheTalksDue() {
    partition.accept(geneva.announced("Geneva", "A"));
    partition.accept(geneva.deadline("vote", "Vote", "2016-09-10T00:00:00Z"));
    partition.accept(vienna.announced("Vienna", "B"));
    partition.accept(vienna.deadline("review", "Review", "2017-01-01T00:00:00Z"));

    Outcome outcome = partition.accept(vienna.at("2016-09-09T12:00:00Z").statement("Speaker", "Hello",
        org.parley.avro.Tone.NEUTRAL));

    Outcome.Applied applied = (Outcome.Applied) outcome;
    assertThat(applied.alerts()).singleElement().satisfies(a -> {
      assertThat(a.getTalkId()).isEqualTo("geneva");
      assertThat(a.getType()).isEqualTo(AlertType.DEADLINE_APPROACHING);
      assertThat(a.getCauseEventId()).isEqualTo("e3");
    });
    assertThat(applied.talks()).extracting(t -> t.getTalkId()).containsExactly("geneva", "vienna");
  }

  @Test
  void timePassesBeforeTheEventSoALateConfirmationOfADeadlineComesAfterItIsMissed() {
    partition.accept(geneva.announced("T", "A"));
    partition.accept(geneva.deadline("d1", "Vote", "2016-09-08T00:00:00Z"));

    List<Alert> alerts = alertsOf(geneva.at("2016-09-09T00:00:00Z").deadlineStatus("d1", DeadlineStatus.MET));

    assertThat(alerts).extracting(Alert::getType).containsExactly(AlertType.DEADLINE_MISSED, AlertType.DEADLINE_MET);
  }

  @Test
  void aDeadlineSetInThePastIsMissedAtOnce() {
    partition.accept(geneva.announced("T", "A"));
    partition.accept(geneva.tick("2017-06-01T00:00:00Z"));

    List<Alert> alerts = alertsOf(geneva.deadline("d1", "Long gone", "2017-01-01T00:00:00Z"));

    assertThat(alerts).extracting(Alert::getType).containsExactly(AlertType.DEADLINE_SET, AlertType.DEADLINE_MISSED);
    assertThat(alerts.get(1).getEventTime()).hasToString("2017-06-01T00:00:00Z");
  }

  @Test
  void aTickWithNothingDueChangesNothing() {
    partition.accept(geneva.announced("T", "A"));
    partition.accept(geneva.deadline("d1", "Vote", "2016-10-01T00:00:00Z"));

    Outcome outcome = partition.accept(geneva.tick("2016-09-20T00:00:00Z"));

    assertThat(outcome).isEqualTo(new Outcome.Applied(List.of(), List.of()));
    assertThat(ledger.clock()).hasToString("2016-09-20T00:00:00Z");
  }
}
