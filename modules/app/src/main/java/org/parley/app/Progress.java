package org.parley.app;

import java.io.PrintWriter;

/**
 * A progress line for long commands: done of total, rate, time left. On a terminal it redraws one
 * line; otherwise (logs, CI) it prints a line every ten seconds.
 */
final class Progress {
  private static final int WIDTH = 24;

  private final String what;
  private final String unit;
  private final long total;
  private final PrintWriter out;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private long lastPrinted;

  Progress(String what, String unit, long total, PrintWriter out) {
    this(what, unit, total, out, System.console() != null);
  }

  Progress(String what, String unit, long total, PrintWriter out, boolean terminal) {
    this.what = what;
    this.unit = unit;
    this.total = total;
    this.out = out;
    this.terminal = terminal;
  }

  void update(long done) {
    long now = System.nanoTime();
    long interval = terminal ? 250_000_000L : 10_000_000_000L;
    if (now - lastPrinted < interval && done < total) {
      return;
    }
    lastPrinted = now;
    String line = line(done, (now - started) / 1e9);
    if (terminal) {
      out.print("\r" + line);
    } else {
      out.println(line);
    }
    out.flush();
  }

  void finish(long done) {
    lastPrinted = 0;
    update(done);
    if (terminal) {
      out.println();
    }
  }

  String line(long done, double seconds) {
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    double rate = seconds > 0 ? done / seconds : 0;
    String left = rate > 0 && done < total ? String.format("  %s left", duration((total - done) / rate)) : "";
    return String.format("%s [%s%s] %3d%%  %,d/%,d %s  %,.0f %s/s%s", what, "#".repeat(filled),
        "-".repeat(WIDTH - filled), Math.round(fraction * 100), done, total, unit, rate, unit, left);
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%d h %02d min", s / 3600, s % 3600 / 60)
        : s >= 60 ? String.format("%d min %02d s", s / 60, s % 60) : s + " s";
  }
}
