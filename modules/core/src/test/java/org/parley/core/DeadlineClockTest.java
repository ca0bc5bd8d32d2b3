package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.TalkState;
import org.parley.model.EventScript;

class DeadlineClockTest {

  private final EventScript script = new EventScript("t", "2016-09-07T12:00:00Z");

  private TalkState talkWithDeadline(TalkFold fold, String due) {
    return fold.apply(
        fold.apply(null, script.announced("T", "A")), script.deadline("d1", "D", due));
  }

  @Test
  void aClockThatJumpsPastTheDueTimeMissesTheDeadlineWithoutWarningFirst() {
    TalkFold fold = new TalkFold(DeadlineClock.standard());
    TalkState talk = talkWithDeadline(fold, "2016-10-01T00:00:00Z");

    TalkState after = fold.clock().passTime(talk, Instant.parse("2016-11-01T00:00:00Z"));

    assertThat(after.getDeadlines().get(0).getStatus()).isEqualTo(DeadlineStatus.MISSED);
    assertThat(after.getDeadlines().get(0).getWarnedWithinSeconds()).isNull();
    assertThat(after.getUpdatedAt()).hasToString("2016-11-01T00:00:00Z");
  }

  @Test
  void horizonsAreConfigurableAndOnlyTheNearestReachedIsWarned() {
    DeadlineClock clock =
        new DeadlineClock(List.of(Duration.ofDays(7), Duration.ofDays(1), Duration.ofMinutes(10)));
    TalkFold fold = new TalkFold(clock);
    TalkState talk = talkWithDeadline(fold, "2016-10-01T00:00:00Z");

    assertThat(clock.nextWakeUp(talk)).contains(Instant.parse("2016-09-24T00:00:00Z"));
    TalkState warned = clock.passTime(talk, Instant.parse("2016-09-30T12:00:00Z"));
    assertThat(warned.getDeadlines().get(0).getWarnedWithinSeconds()).isEqualTo(86_400L);
    assertThat(clock.nextWakeUp(warned)).contains(Instant.parse("2016-09-30T23:50:00Z"));
  }

  @Test
  void nothingDueMeansTheSameStateAndNoWakeUpForClosedDeadlines() {
    TalkFold fold = new TalkFold(DeadlineClock.standard());
    TalkState talk = talkWithDeadline(fold, "2016-10-01T00:00:00Z");

    assertThat(fold.clock().passTime(talk, Instant.parse("2016-09-20T00:00:00Z"))).isSameAs(talk);
    TalkState met = fold.apply(talk, script.deadlineStatus("d1", DeadlineStatus.MET));
    assertThat(fold.clock().nextWakeUp(met)).isEmpty();
  }

  @Test
  void horizonsMustBePositiveWholeSeconds() {
    assertThatThrownBy(() -> new DeadlineClock(List.of(Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DeadlineClock(List.of(Duration.ofMillis(1500))))
        .hasMessageContaining("positive whole seconds");
    assertThatThrownBy(() -> new DeadlineClock(List.of(Duration.ofDays(400_000_000_000L))))
        .hasMessageContaining("at most 36525 days");
  }
}
