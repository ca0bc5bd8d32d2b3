package org.parley.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.parley.app.replay.Rebuild;
import org.parley.app.runtime.Interruption;
import org.parley.app.runtime.Logging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "rebuild",
    description = {
      "Fold the whole events log again into fresh output topics (named in the output), with the",
      "live pipeline's fold, without touching the live pipeline. Use it after a fix, then compare",
      "with `parley diff`. Ctrl-C stops it and removes what it wrote."
    })
final class RebuildCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Mixin ClusterOptions cluster;

  @Mixin FoldOptions fold;

  @Option(
      names = "--from-time",
      paramLabel = "TIME",
      converter = Times.class,
      description = "Fold everything, but publish only alerts of this log time or later.")
  Instant fromTime;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description =
          "Where the rebuild keeps its stores while it runs (default: ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Rebuild.Result result;
    try (Interruption interruption = new Interruption()) {
      result =
          Rebuild.run(
              cluster.bootstrapServers,
              cluster.clientProperties(),
              dataDir,
              fold.fold(),
              fold.rules(cluster),
              fromTime,
              Clock.systemUTC(),
              spec.commandLine().getErr(),
              interruption);
    }
    double seconds = result.took().toMillis() / 1000.0;
    out.printf(
        "rebuilt %s: %,d records in %.1f s (%,.0f records/s)%n",
        result.output().events().name(),
        result.folded().records(),
        seconds,
        result.folded().records() / Math.max(seconds, 0.001));
    out.printf(
        "  events applied %,d, duplicates ignored %,d, dead-lettered %,d%n",
        result.folded().applied(), result.folded().duplicates(), result.folded().deadLettered());
    out.printf(
        "  talk states  %,9d  -> %s%n",
        result.folded().states(), result.output().talkState().name());
    out.printf(
        "  alerts       %,9d  -> %s%s%n",
        result.folded().alerts(),
        result.output().alerts().name(),
        fromTime == null ? "" : "   (from " + fromTime + ")");
    out.printf(
        "  dead letters %,9d  -> %s%n",
        result.folded().deadLettered(), result.output().deadLetters().name());
    out.printf(
        "compare with the live state: parley diff --right %s%n",
        result.output().talkState().name());
    return 0;
  }
}
