package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.parley.avro.Alert;
import org.parley.avro.AlertType;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.Deadline;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.avro.Tone;
import org.parley.core.PartitionFold.Outcome;
import org.parley.model.EventScript;

/**
 * History published into a running Parley: whatever ticks of today's clock are interleaved with it,
 * and wherever, the alerts are those of the same events folded with no ticks at all, with the same
 * ids and story times, plus one final miss for each deadline the history left open.
 */
class BackfillPropertiesTest {

  /** Today, as the ticker sees it, and when the history is published. */
  private static final Instant TODAY = Instant.parse("2026-11-26T10:00:00Z");

  /**
   * One generated event: which kind, for which talk and deadline, and how much story time passes
   * first.
   */
  record Step(int kind, int talk, int deadline, int hours, int minutes) {}

  @Provide
  Arbitrary<List<Step>> histories() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(-48, 400),
                Arbitraries.integers().between(-120, 3000))
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(60);
  }

  @Provide
  Arbitrary<List<Integer>> tickPositions() {
    return Arbitraries.integers().between(0, 1_000).list().ofMaxSize(12);
  }

  @Property(tries = 400)
  void ticksInterleavedAnywhereGiveTheTicklessAlertsPlusOneFinalMissPerOpenDeadline(
      @ForAll("histories") List<Step> steps, @ForAll("tickPositions") List<Integer> ticks) {
    List<DiplomaticEvent> history = history(steps);

    Folded tickless = fold(history, List.of(), false);
    Folded ticked = fold(history, ticks, true);

    List<String> expected = new ArrayList<>(tickless.alerts());
    List<String> finalMisses = new ArrayList<>();
    for (TalkState talk : tickless.talks().values()) {
      for (Deadline deadline : talk.getDeadlines()) {
        if (deadline.getStatus() == DeadlineStatus.OPEN) {
          Deadline missed = Deadline.newBuilder(deadline).setStatus(DeadlineStatus.MISSED).build();
          finalMisses.add(
              AlertRules.passingId(talk.getTalkId(), missed, AlertType.DEADLINE_MISSED)
                  + " "
                  + AlertType.DEADLINE_MISSED
                  + " "
                  + deadline.getDeadlineId()
                  + " at "
                  + deadline.getDueAt());
        }
      }
    }
    int historyAlerts = expected.size();
    assertThat(ticked.alerts()).hasSize(historyAlerts + finalMisses.size());
    assertThat(ticked.alerts().subList(0, historyAlerts)).isEqualTo(expected);
    assertThat(
            ticked.alerts().subList(historyAlerts, ticked.alerts().size()).stream()
                .map(line -> line.substring(0, line.indexOf(" [")))
                .sorted()
                .toList())
        .isEqualTo(finalMisses.stream().sorted().toList());
    assertThat(ticked.talks().values())
        .allSatisfy(
            talk ->
                assertThat(talk.getDeadlines())
                    .noneMatch(d -> d.getStatus() == DeadlineStatus.OPEN));
  }

  private record Folded(List<String> alerts, Map<String, TalkState> talks) {}

  /**
   * Folds the history as one publication (record times a few milliseconds apart, well within the
   * quiet period), with ticks of today at the given positions, and, if asked, one tick after the
   * quiet period. What an alert is for a reader: id, type, subject, story time, before and after.
   */
  private static Folded fold(
      List<DiplomaticEvent> history, List<Integer> tickPositions, boolean finalTick) {
    InMemoryLedger ledger = new InMemoryLedger();
    PartitionFold partition = new PartitionFold(new TalkFold(DeadlineClock.standard()), ledger);
    TreeMap<Integer, Integer> ticksAt = new TreeMap<>();
    tickPositions.forEach(p -> ticksAt.merge(p % (history.size() + 1), 1, Integer::sum));
    List<String> alerts = new ArrayList<>();
    Instant heard = TODAY;
    int tickCount = 0;
    for (int i = 0; i <= history.size(); i++) {
      for (int t = 0; t < ticksAt.getOrDefault(i, 0); t++) {
        heard = heard.plusMillis(3);
        collect(partition.accept(tick("tick-" + ++tickCount, heard), heard), alerts);
      }
      if (i < history.size()) {
        heard = heard.plusMillis(3);
        collect(partition.accept(history.get(i), heard), alerts);
      }
    }
    if (finalTick) {
      heard = heard.plus(DeadlineClock.DEFAULT_QUIET_AFTER).plusSeconds(1);
      collect(partition.accept(tick("tick-final", heard), heard), alerts);
    }
    return new Folded(alerts, ledger.talks());
  }

  private static void collect(Outcome outcome, List<String> alerts) {
    if (outcome instanceof Outcome.Applied applied) {
      for (Alert a : applied.alerts()) {
        alerts.add(
            a.getAlertId()
                + " "
                + a.getType()
                + " "
                + a.getSubjectId()
                + " at "
                + a.getEventTime()
                + " ["
                + a.getBefore()
                + " -> "
                + a.getAfter()
                + " "
                + a.getSeverity()
                + "] "
                + a.getMessage());
      }
    }
  }

  private static DiplomaticEvent tick(String id, Instant at) {
    DiplomaticEvent tick = new EventScript("clock", at.toString()).tick(at.toString());
    tick.setEventId(id);
    return tick;
  }

  /**
   * A 2016 history of up to three talks: deadlines set, moved, met and cancelled, pledges breached,
   * time passing.
   */
  private static List<DiplomaticEvent> history(List<Step> steps) {
    List<EventScript> scripts =
        List.of(
            new EventScript("geneva", "2016-09-07T12:00:00Z"),
            new EventScript("vienna", "2016-09-07T12:00:00Z"),
            new EventScript("astana", "2016-09-07T12:00:00Z"));
    boolean[] announced = new boolean[scripts.size()];
    List<DiplomaticEvent> events = new ArrayList<>();
    for (Step step : steps) {
      EventScript script = scripts.get(step.talk());
      script.after(Duration.ofMinutes(step.minutes()));
      if (!announced[step.talk()]) {
        events.add(script.announced("Talk " + step.talk(), "A", "B"));
        announced[step.talk()] = true;
      }
      String deadline = "d" + step.deadline();
      Instant due = script.now().plus(Duration.ofHours(step.hours()));
      events.add(
          switch (step.kind()) {
            case 0, 1 -> script.deadline(deadline, "Deadline " + step.deadline(), due.toString());
            case 2 -> script.moveDeadline(deadline, due.toString());
            case 3 ->
                script.deadlineStatus(
                    deadline,
                    step.hours() % 2 == 0 ? DeadlineStatus.MET : DeadlineStatus.CANCELLED);
            case 4 -> script.pledge("c" + step.deadline(), "A", "Hold fire");
            case 5 -> script.commitmentStatus("c" + step.deadline(), CommitmentStatus.BREACHED);
            default -> script.statement("Speaker", "Talks go on", Tone.NEUTRAL);
          });
    }
    return events;
  }
}
