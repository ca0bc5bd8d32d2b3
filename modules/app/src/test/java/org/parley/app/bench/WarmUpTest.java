package org.parley.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The latency runs' warm-up ends once the JIT has settled, never before its minimum, and at its
 * maximum whatever the JIT does. Driven by a made-up clock and compiler, so nothing here waits.
 */
class WarmUpTest {
  private static final long START = 1_000_000_000L;

  /** Compiling half of every second until {@code busyUntil} seconds, then nothing. */
  private static long compilingMillisAt(double seconds, double busyUntil) {
    return Math.round(500 * Math.min(seconds, busyUntil));
  }

  /** The first quarter second at which the warm-up says it is over, asked every millisecond. */
  private static double endsAt(int min, int max, double busyUntil) {
    double[] now = {0};
    WarmUp warmUp = new WarmUp(min, max, START, () -> compilingMillisAt(now[0], busyUntil));
    for (long millis = 0; millis <= 1_000_000; millis++) {
      now[0] = millis / 1e3;
      if (warmUp.over(START + TimeUnit.MILLISECONDS.toNanos(millis))) {
        return now[0];
      }
    }
    throw new AssertionError("never over");
  }

  @Test
  void theWarmUpGoesOnUntilTheJitHasCompiledLittleForAWholeWindow() {
    // Busy until 30 s: over once the last 5 s compiled under a tenth of a second a second, which
    // a window reaching back into the busy part does not.
    assertThat(endsAt(10, 120, 30)).isBetween(34.0, 35.5);
  }

  @Test
  void theWarmUpLastsItsMinimumEvenWhenTheJitIsQuietFromTheStart() {
    assertThat(endsAt(10, 120, 0)).isEqualTo(10.0);
  }

  @Test
  void theWarmUpEndsAtItsMaximumWhenTheJitNeverSettles() {
    assertThat(endsAt(10, 60, 1_000)).isEqualTo(60.0);
    double[] now = {0};
    WarmUp warmUp = new WarmUp(10, 60, START, () -> compilingMillisAt(now[0], 1_000));
    for (long millis = 0; !warmUp.over(START + TimeUnit.MILLISECONDS.toNanos(millis)); millis++) {
      now[0] = millis / 1e3;
    }
    assertThat(warmUp.describe()).contains("60 s").contains("the most allowed").contains("0.50");
  }

  @Test
  void aWarmUpWhoseMaximumIsItsMinimumIsThatFixedTimeAndDoesNotAskTheJit() {
    long[] asked = {0};
    WarmUp warmUp =
        new WarmUp(
            10,
            10,
            START,
            () -> {
              asked[0]++;
              return 0;
            });
    assertThat(warmUp.over(START + TimeUnit.SECONDS.toNanos(9))).isFalse();
    assertThat(warmUp.over(START + TimeUnit.SECONDS.toNanos(10))).isTrue();
    assertThat(asked[0]).as("the JIT never asked").isZero();
    assertThat(warmUp.describe()).isEqualTo("10 s of the same load untimed");
  }

  @Test
  void withoutTheCompilersClockTheMinimumIsTheWarmUp() {
    assertThat(new WarmUp(10, 120, START, () -> -1).over(START + TimeUnit.SECONDS.toNanos(10)))
        .isTrue();
  }
}
