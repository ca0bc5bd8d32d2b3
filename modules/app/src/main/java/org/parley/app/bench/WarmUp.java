package org.parley.app.bench;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * When a latency run's untimed load has done its work: after at least its minimum, once the JIT
 * compiles less than {@link #SETTLED} of a second a second over the last {@link #WINDOW_SECONDS}
 * seconds, or at its maximum whatever the JIT does.
 *
 * <p>Why not a fixed time: at 10,000 events/s on two cores, ten seconds of load left the JIT
 * compiling for a second every second through (c)'s timed part (about half a core beside the broker
 * and the pipeline), while (c2), a smaller application, had settled; with forty seconds it compiled
 * a quarter of that (issue 14, the twenty-first round). A pipeline that runs for days runs
 * compiled, so the latency it gives is the one measured once the JIT is done, and the warm-up waits
 * for that rather than for a guessed time. Read once a quarter of a second at most, so the paced
 * sender can ask before every event.
 */
final class WarmUp {
  /** Compiling for less than this share of the time counts as settled. */
  static final double SETTLED = 0.10;

  static final int WINDOW_SECONDS = 5;

  private static final long LOOK_EVERY = TimeUnit.MILLISECONDS.toNanos(250);

  private long start;
  private final long minNanos;
  private final long maxNanos;
  private final boolean untilSettled;
  private final LongSupplier compilingMillis;

  /** (when, compiling milliseconds so far), over the last window, oldest first. */
  private final ArrayDeque<long[]> looks = new ArrayDeque<>();

  private long nextLook;
  private boolean over;
  private double lastRate = Double.NaN;
  private long took;

  /**
   * At least {@code minSeconds}, then until the JIT settles if {@code maxSeconds} is more, for at
   * most {@code maxSeconds}.
   */
  WarmUp(int minSeconds, int maxSeconds) {
    this(minSeconds, maxSeconds, System.nanoTime(), CpuUse::compilingMillis);
  }

  /**
   * Starting at {@code start} (System.nanoTime), with the JIT's compiling time so far read from
   * {@code compilingMillis} (-1: not known).
   */
  WarmUp(int minSeconds, int maxSeconds, long start, LongSupplier compilingMillis) {
    this.start = start;
    this.nextLook = start; // not 0: System.nanoTime may be negative
    this.minNanos = TimeUnit.SECONDS.toNanos(minSeconds);
    this.maxNanos = TimeUnit.SECONDS.toNanos(Math.max(minSeconds, maxSeconds));
    this.compilingMillis = compilingMillis;
    // Without the compilers' clock there is nothing to wait for: the minimum is the warm-up.
    this.untilSettled = maxSeconds > minSeconds && compilingMillis.getAsLong() >= 0;
  }

  /** Counts from {@code now} (System.nanoTime): when the load starts, not when it was set up. */
  void startAt(long now) {
    start = now;
    nextLook = now;
  }

  /** Whether the warm-up is over at {@code now} (System.nanoTime); once over, it stays over. */
  boolean over(long now) {
    if (over) {
      return true;
    }
    long elapsed = now - start;
    if (elapsed < minNanos && !untilSettled) {
      return false;
    }
    if (!untilSettled || elapsed >= maxNanos) {
      return finish(now, elapsed >= minNanos);
    }
    if (now < nextLook) {
      return false;
    }
    nextLook = now + LOOK_EVERY;
    long compiling = compilingMillis.getAsLong();
    looks.addLast(new long[] {now, compiling});
    long windowNanos = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
    while (now - looks.peekFirst()[0] > windowNanos) {
      looks.removeFirst();
    }
    long[] oldest = looks.peekFirst();
    if (now - oldest[0] < windowNanos - LOOK_EVERY) {
      return false; // not a whole window yet
    }
    lastRate = (compiling - oldest[1]) / 1e3 / ((now - oldest[0]) / 1e9);
    return elapsed >= minNanos && lastRate < SETTLED && finish(now, true);
  }

  private boolean finish(long now, boolean result) {
    if (result) {
      over = true;
      took = now - start;
    }
    return result;
  }

  /**
   * How the warm-up ended, for the table: "40 s of the same load untimed, until the JIT compiled
   * under 0.10 s a second over 5 s: 0.080", or that it lasted the most allowed.
   */
  String describe() {
    long seconds = Math.round(took / 1e9);
    if (!untilSettled) {
      return String.format("%d s of the same load untimed", seconds);
    }
    if (lastRate < SETTLED && took < maxNanos) {
      return String.format(
          "%d s of the same load untimed, until the JIT compiled under %.2f s a second over %d s:"
              + " %.3f",
          seconds, SETTLED, WINDOW_SECONDS, lastRate);
    }
    return Double.isNaN(lastRate)
        ? String.format("%d s of the same load untimed, the most allowed", seconds)
        : String.format(
            "%d s of the same load untimed, the most allowed: the JIT still compiled %.2f s a"
                + " second",
            seconds, lastRate);
  }
}
