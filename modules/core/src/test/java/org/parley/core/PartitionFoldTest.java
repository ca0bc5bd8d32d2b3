package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.avro.Alert;
import org.parley.avro.AlertType;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.Tone;
import org.parley.core.PartitionFold.Outcome;
import org.parley.model.EventScript;

class PartitionFoldTest {

  private final InMemoryLedger ledger = new InMemoryLedger();
  private final PartitionFold partition =
      new PartitionFold(new TalkFold(DeadlineClock.standard()), ledger);
  private final EventScript geneva = new EventScript("geneva", "2016-09-07T12:00:00Z");
  private final EventScript vienna = new EventScript("vienna", "2016-09-07T12:00:00Z");

  /** Published in one go today: every event reaches the log within a second of the first. */
  private static final Instant PUBLISHED = Instant.parse("2026-11-26T10:00:00Z");

  private Outcome accept(DiplomaticEvent event) {
    return partition.accept(event, event.getRecordedAt());
  }

  private List<Alert> alertsOf(DiplomaticEvent event) {
    Outcome outcome = accept(event);
    assertThat(outcome).isInstanceOf(Outcome.Applied.class);
    return ((Outcome.Applied) outcome).alerts();
  }

  private List<Alert> alertsOf(DiplomaticEvent event, Instant heardAt) {
    return ((Outcome.Applied) partition.accept(event, heardAt)).alerts();
  }

  @Test
  void aDuplicateEventIdIsIgnoredAndChangesNothing() {
    DiplomaticEvent announced = geneva.announced("T", "A");
    DiplomaticEvent pledge = geneva.pledge("c1", "A", "Act");
    accept(announced);
    accept(pledge);
    var before = ledger.talk("geneva");

    assertThat(accept(pledge)).isEqualTo(new Outcome.Duplicate("geneva", pledge.getEventId()));
    assertThat(ledger.talk("geneva")).isSameAs(before);
  }

  @Test
  void aRefusedEventHasNoEffectNotEvenOnTheTalksTime() {
    accept(geneva.announced("T", "A"));
    accept(geneva.deadline("d1", "Vote", "2016-10-01T00:00:00Z"));

    Outcome refused =
        accept(geneva.at("2016-12-01T00:00:00Z").commitmentStatus("c9", CommitmentStatus.BREACHED));

    assertThat(refused).isInstanceOf(Outcome.Refused.class);
    assertThat(ledger.talk("geneva").getUpdatedAt()).hasToString("2016-09-07T12:01:00Z");
    assertThat(ledger.talk("geneva").getDeadlines().get(0).getStatus())
        .isEqualTo(DeadlineStatus.OPEN);
  }

  @Test
  void anotherTalksEventNeverMovesThisTalksTime() {
    accept(geneva.announced("Geneva", "A"));
    accept(geneva.deadline("vote", "Vote", "2016-09-10T00:00:00Z"));
    accept(vienna.announced("Vienna", "B"));

    // Vienna's events are dated years later (a mistyped year, or just another story): Geneva is
    // untouched.
    List<Alert> alerts =
        alertsOf(vienna.at("2062-09-09T12:00:00Z").statement("Speaker", "Hello", Tone.NEUTRAL));

    assertThat(alerts).isEmpty();
    assertThat(ledger.talk("geneva").getDeadlines().get(0).getStatus())
        .isEqualTo(DeadlineStatus.OPEN);
    assertThat(ledger.talk("geneva").getUpdatedAt()).hasToString("2016-09-07T12:01:00Z");
  }

  @Test
  void timePassesBeforeTheEventSoALateConfirmationOfADeadlineComesAfterItIsMissed() {
    accept(geneva.announced("T", "A"));
    accept(geneva.deadline("d1", "Vote", "2016-09-08T00:00:00Z"));

    List<Alert> alerts =
        alertsOf(geneva.at("2016-09-09T00:00:00Z").deadlineStatus("d1", DeadlineStatus.MET));

    assertThat(alerts)
        .extracting(Alert::getType)
        .containsExactly(AlertType.DEADLINE_MISSED, AlertType.DEADLINE_MET);
  }

  @Test
  void aMissIsStampedWithTheDueTimeInStoryTimeAndWithWhenItWasNoticed() {
    accept(geneva.announced("T", "A"));
    accept(geneva.at("2017-06-01T00:00:00Z").statement("Speaker", "Still talking", Tone.NEUTRAL));

    List<Alert> alerts = alertsOf(geneva.deadline("d1", "Long gone", "2017-01-01T00:00:00Z"));

    assertThat(alerts)
        .extracting(Alert::getType)
        .containsExactly(AlertType.DEADLINE_SET, AlertType.DEADLINE_MISSED);
    assertThat(alerts.get(1).getEventTime()).hasToString("2017-01-01T00:00:00Z");
    assertThat(alerts.get(1).getNoticedAt()).hasToString("2017-06-01T00:01:00Z");
  }

  @Test
  void aDeadlineMovedEarlierIsWarnedAndMissedAgainstItsNewTimeInEveryTalkOfABigPartition() {
    // More talks than the fold remembers wake-ups for. Deadlines set in turns: most talks' wake-ups
    // are worked out again. Then each talk's events in a row: what it remembers is used. None may
    // be taken from the deadline as it was before the move.
    List<EventScript> talks =
        java.util.stream.IntStream.range(0, 1_200)
            .mapToObj(i -> new EventScript("talk-" + i, "2016-09-07T12:00:00Z"))
            .toList();
    talks.forEach(talk -> accept(talk.announced("T", "A")));
    talks.forEach(talk -> accept(talk.deadline("d1", "Vote", "2017-06-01T00:00:00Z")));

    for (EventScript talk : talks) {
      accept(talk.moveDeadline("d1", "2016-09-20T00:00:00Z"));
      assertThat(alertsOf(talk.at("2016-09-19T12:00:00Z").statement("S", "Soon", Tone.NEUTRAL)))
          .extracting(Alert::getType)
          .containsExactly(AlertType.DEADLINE_APPROACHING);
      assertThat(alertsOf(talk.at("2016-09-21T00:00:00Z").statement("S", "Late", Tone.NEUTRAL)))
          .extracting(Alert::getType)
          .containsExactly(AlertType.DEADLINE_MISSED);
    }
  }

  @Test
  void aTickWithNothingDueChangesNothing() {
    accept(geneva.announced("T", "A"));
    accept(geneva.deadline("d1", "Vote", "2016-10-01T00:00:00Z"));

    Outcome outcome = accept(geneva.tick("2016-09-20T00:00:00Z"));

    assertThat(outcome).isEqualTo(new Outcome.Applied(List.of(), List.of()));
  }

  @Test
  void aTickInTheMiddleOfABackfillChangesNothingAndTheFirstTickAfterItMissesWhatIsLeftOpenOnce() {
    DiplomaticEvent tick = geneva.tick("2026-11-26T10:00:00Z");
    alertsOf(geneva.announced("T", "A"), PUBLISHED);
    alertsOf(
        geneva.deadline("calm", "Seven days of calm", "2016-09-19T00:00:00Z"),
        PUBLISHED.plusMillis(5));

    assertThat(alertsOf(tick, PUBLISHED.plusMillis(10))).isEmpty();
    assertThat(ledger.talk("geneva").getDeadlines().get(0).getStatus())
        .isEqualTo(DeadlineStatus.OPEN);

    List<Alert> later =
        alertsOf(geneva.tick("2026-11-26T10:02:00Z"), PUBLISHED.plus(Duration.ofMinutes(2)));
    assertThat(later)
        .singleElement()
        .satisfies(
            miss -> {
              assertThat(miss.getType()).isEqualTo(AlertType.DEADLINE_MISSED);
              assertThat(miss.getEventTime()).hasToString("2016-09-19T00:00:00Z");
              assertThat(miss.getNoticedAt()).hasToString("2026-11-26T10:02:00Z");
            });
    assertThat(alertsOf(geneva.tick("2026-11-26T10:03:00Z"), PUBLISHED.plus(Duration.ofMinutes(3))))
        .isEmpty();
  }

  @Test
  void theSameMissHasTheSameIdWhetherATickOrTheTalksNextEventNoticedIt() {
    InMemoryLedger other = new InMemoryLedger();
    PartitionFold withoutTicks = new PartitionFold(new TalkFold(DeadlineClock.standard()), other);
    DiplomaticEvent announced = geneva.announced("T", "A");
    DiplomaticEvent deadline = geneva.deadline("d1", "Vote", "2016-09-08T00:00:00Z");
    DiplomaticEvent later =
        geneva.at("2016-09-20T00:00:00Z").statement("Speaker", "Too late", Tone.NEUTRAL);
    for (DiplomaticEvent event : List.of(announced, deadline)) {
      accept(event);
      withoutTicks.accept(event, event.getRecordedAt());
    }

    Alert byTick = alertsOf(geneva.tick("2016-09-10T00:00:00Z")).get(0);
    Alert byEvent =
        ((Outcome.Applied) withoutTicks.accept(later, later.getRecordedAt())).alerts().get(0);

    assertThat(byTick.getAlertId()).isEqualTo(byEvent.getAlertId());
    assertThat(byTick.getEventTime())
        .isEqualTo(byEvent.getEventTime())
        .hasToString("2016-09-08T00:00:00Z");
    assertThat(byTick.getCauseEventId()).isNotEqualTo(byEvent.getCauseEventId());
  }

  @Test
  void talksThatGetTheirEventsInTurnTrimTheirHistoriesAtDifferentEventsKeepingTheirLatest1800() {
    int talkCount = 100;
    List<String> trimmed = new ArrayList<>();
    PartitionFold.Ledger watched =
        (PartitionFold.Ledger)
            Proxy.newProxyInstance(
                PartitionFold.Ledger.class.getClassLoader(),
                new Class<?>[] {PartitionFold.Ledger.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("trimHistory")) {
                    trimmed.add((String) args[0]);
                  }
                  try {
                    return method.invoke(ledger, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    PartitionFold fold = new PartitionFold(new TalkFold(DeadlineClock.standard()), watched);
    List<EventScript> talks = new ArrayList<>();
    for (int t = 0; t < talkCount; t++) {
      EventScript talk = new EventScript("feed-" + t, "2016-09-07T12:00:00Z");
      talks.add(talk);
      DiplomaticEvent announced = talk.announced("Talks " + t, "A", "B");
      fold.accept(announced, announced.getRecordedAt());
    }
    Map<String, Integer> trims = new HashMap<>();
    int mostInOneRound = 0;
    int rounds = PartitionFold.HISTORY_LIMIT + 400;
    for (int round = 1; round <= rounds; round++) {
      trimmed.clear();
      for (EventScript talk : talks) {
        DiplomaticEvent statement =
            talk.after(Duration.ofMinutes(1)).statement("A", "s" + round, Tone.NEUTRAL);
        assertThat(fold.accept(statement, statement.getRecordedAt()))
            .isInstanceOf(Outcome.Applied.class);
      }
      mostInOneRound = Math.max(mostInOneRound, trimmed.size());
      trimmed.forEach(talkId -> trims.merge(talkId, 1, Integer::sum));
      if (round % 25 == 0) {
        for (int t = 0; t < talkCount; t++) {
          int entries = ledger.history("feed-" + t).entries().size();
          String which = "entries of feed-" + t + " after round " + round;
          assertThat(entries).as(which).isLessThanOrEqualTo(PartitionFold.HISTORY_LIMIT);
          if (round >= PartitionFold.HISTORY_LIMIT) {
            assertThat(entries).as(which).isGreaterThanOrEqualTo(1_800);
          }
        }
      }
    }

    assertThat(trims).as("every talk trimmed, once every 200 events").hasSize(talkCount);
    assertThat(trims.values()).allSatisfy(count -> assertThat(count).isBetween(3, 4));
    assertThat(mostInOneRound)
        .as(
            "talks trimming in the same round (all %d, if they trimmed as they passed the limit)",
            talkCount)
        .isLessThanOrEqualTo(6);
  }

  @Test
  void aTalkCorrectedAgainAndAgainKeepsItsLatest1800To2000Entries() {
    accept(geneva.announced("Geneva talks", "A", "B"));
    DiplomaticEvent corrected = null;
    for (int i = 0; i < 1_900; i++) {
      DiplomaticEvent statement = geneva.statement("A", "s" + i, Tone.NEUTRAL);
      accept(statement);
      corrected = i == 1_850 ? statement : corrected;
    }

    for (int i = 0; i < 300; i++) {
      DiplomaticEvent correction =
          geneva.event(
              new org.parley.avro.EventCorrected(
                  corrected.getEventId(),
                  "Misquoted",
                  null,
                  new org.parley.avro.StatementIssued("A", "corrected " + i, Tone.NEUTRAL)));
      assertThat(accept(correction)).as("correction " + i).isInstanceOf(Outcome.Applied.class);
      assertThat(ledger.history("geneva").entries())
          .as("entries after correction " + i)
          .hasSizeBetween(1_800, PartitionFold.HISTORY_LIMIT);
    }
  }
}
