package org.parley.app.replay;

import java.io.PrintWriter;

/**
 * A progress line for long commands: done of total, rate, time left. On a terminal it redraws one
 * line; otherwise (logs, CI) it prints a line every ten seconds, and the final line once.
 *
 * <p>The time left is shown only once the rate means something: after {@link #SETTLE_SECONDS} and
 * some work done. Before that, one slow first batch (connecting, a transaction starting) would
 * promise hours for a job of seconds.
 */
public final class Progress {
  private static final int WIDTH = 24;
  static final double SETTLE_SECONDS = 2.0;

  private final String what;
  private final String unit;
  private final long total;
  private final PrintWriter out;
  private final boolean terminal;
  private final long started;
  private long lastPrinted;
  private boolean finished;

  public Progress(String what, String unit, long total, PrintWriter out) {
    this(what, unit, total, out, System.console() != null);
  }

  public Progress(String what, String unit, long total, PrintWriter out, boolean terminal) {
    this.what = what;
    this.unit = unit;
    this.total = total;
    this.out = out;
    this.terminal = terminal;
    this.started = System.nanoTime();
    this.lastPrinted = started;
  }

  /**
   * Shows {@code done} if it is time to; the last line (done == total) is left to {@link #finish}.
   */
  public void update(long done) {
    long now = System.nanoTime();
    long interval = terminal ? 250_000_000L : 10_000_000_000L;
    if (finished || now - lastPrinted < interval || done >= total) {
      return;
    }
    lastPrinted = now;
    print(line(done, (now - started) / 1e9));
  }

  /** The final line, once: the whole total, at 100%, whatever the last update counted. */
  public void finish() {
    if (finished) {
      return;
    }
    finished = true;
    print(line(total, (System.nanoTime() - started) / 1e9));
    if (terminal) {
      out.println();
      out.flush();
    }
  }

  /** As {@link #finish()}, for callers that count: {@code done} is what they finished with. */
  public void finish(long done) {
    finish();
  }

  private void print(String line) {
    if (terminal) {
      out.print("\r" + line);
    } else {
      out.println(line);
    }
    out.flush();
  }

  String line(long done, double seconds) {
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    double rate = seconds > 0 ? done / seconds : 0;
    boolean rateKnown = seconds >= SETTLE_SECONDS && done > 0;
    String left =
        rateKnown && done < total
            ? String.format("  %s left", duration((total - done) / rate))
            : "";
    return String.format(
        "%s [%s%s] %3d%%  %,d/%,d %s  %,.0f %s/s%s",
        what,
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
        (long) Math.floor(fraction * 100),
        done,
        total,
        unit,
        rate,
        unit,
        left);
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format("%d h %02d min", s / 3600, s % 3600 / 60)
        : s >= 60 ? String.format("%d min %02d s", s / 60, s % 60) : s + " s";
  }
}
