package org.parley.app;

import java.time.Duration;
import java.util.List;
import org.parley.core.DeadlineClock;
import org.parley.core.TalkFold;
import picocli.CommandLine.Option;

/** The fold's one setting, for the commands that fold the log themselves: it must match the live pipeline's. */
final class FoldOptions {
  @Option(names = "--horizons", split = ",", paramLabel = "DURATION", converter = Durations.class,
      description = "Deadline warning horizons, as the live pipeline uses them (default: 24h,1h).")
  List<Duration> horizons;

  TalkFold fold() {
    try {
      return new TalkFold(new DeadlineClock(horizons == null ? DeadlineClock.DEFAULT_HORIZONS : horizons));
    } catch (IllegalArgumentException e) {
      throw new CommandFailure("--horizons: " + e.getMessage());
    }
  }
}
