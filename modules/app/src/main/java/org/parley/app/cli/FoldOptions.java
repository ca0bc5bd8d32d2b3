package org.parley.app.cli;

import java.time.Duration;
import java.util.List;
import org.parley.app.runtime.ClockKeys;
import org.parley.core.DeadlineClock;
import org.parley.core.TalkFold;
import org.parley.model.StoryTime;
import org.parley.topology.RawEventFold;
import picocli.CommandLine.Option;

/**
 * The fold's settings, for the pipeline and for every command that folds the log itself (time
 * travel, rebuild): a replay must use the live pipeline's, or it will not give the same alerts.
 */
final class FoldOptions {
  @Option(
      names = "--horizons",
      split = ",",
      paramLabel = "DURATION",
      converter = DurationArgument.class,
      description =
          "When to warn before a deadline (default: 24h,1h). A replay must use the same horizons.")
  List<Duration> horizons;

  @Option(
      names = "--quiet-after",
      paramLabel = "DURATION",
      converter = DurationArgument.class,
      description =
          "How long a talk goes without events, in record time, before clock ticks move its time"
              + " (default: 1m). Longer than the longest gap between two events of one talk in a backfill.")
  Duration quietAfter;

  @Option(
      names = "--future-tolerance",
      paramLabel = "DURATION",
      converter = DurationArgument.class,
      description =
          "How far past its recordedAt (and past now) an event may be dated before it is refused"
              + " (default: 1d).")
  Duration futureTolerance;

  List<Duration> horizons() {
    return horizons == null ? DeadlineClock.DEFAULT_HORIZONS : horizons;
  }

  Duration quietAfter() {
    return quietAfter == null ? DeadlineClock.DEFAULT_QUIET_AFTER : quietAfter;
  }

  Duration futureTolerance() {
    if (futureTolerance != null && futureTolerance.isNegative()) {
      throw new BadUsage("--future-tolerance must not be negative");
    }
    return futureTolerance == null ? StoryTime.DEFAULT_FUTURE_TOLERANCE : futureTolerance;
  }

  TalkFold fold() {
    try {
      return new TalkFold(new DeadlineClock(horizons(), quietAfter()));
    } catch (IllegalArgumentException e) {
      throw new BadUsage(e.getMessage());
    }
  }

  /** The record checks, with the cluster's clock key. */
  RawEventFold.Rules rules(ClusterOptions cluster) {
    return new RawEventFold.Rules(
        ClockKeys.seal(cluster.bootstrapServers, cluster.clientProperties()), futureTolerance());
  }
}
