package org.parley.app.cli;

import java.util.concurrent.Callable;
import org.parley.app.bench.Bench;
import org.parley.app.runtime.Logging;
import org.parley.topology.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    description = {
      "Measure Parley on this machine, with the Kafka broker in this process: a synthetic log of TALKS",
      "talks and EVENTS events is published, then (a) a plain consumer reads it, (a2) the smallest Kafka",
      "Streams app (a count per talk, exactly-once) folds it, (b) the exactly-once",
      "pipeline folds it, (c) publish-to-alert latency is measured at RATE events/s, (c2) the same",
      "load goes through the smallest exactly-once Streams app, (d) the log is rebuilt, and (e) peak",
      "heap and resident memory are taken. Prints one table."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Option(
      names = "--talks",
      defaultValue = "1000",
      description = "Talks in the log (default: ${DEFAULT-VALUE}).")
  int talks;

  @Option(
      names = "--events",
      defaultValue = "200000",
      description = "Events in the log (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(
      names = "--rate",
      defaultValue = "1000",
      description = "Offered load for the latency run, events/s (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--latency-seconds",
      defaultValue = "20",
      description = "How long the latency run offers load (default: ${DEFAULT-VALUE}).")
  int latencySeconds;

  @Option(
      names = "--warm-up-seconds",
      defaultValue = "10",
      description =
          "How long (c2)'s load runs untimed before both latency runs, and the least each latency"
              + " run offers its load untimed first, to warm up the JIT"
              + " (default: ${DEFAULT-VALUE}).")
  int warmUpSeconds;

  @Option(
      names = "--warm-up-max-seconds",
      defaultValue = "120",
      description =
          "The most each latency run offers its load untimed: past --warm-up-seconds it goes on"
              + " until the JIT compiles under a tenth of a second a second over 5 s, as in a"
              + " pipeline that has run for a while; equal to --warm-up-seconds, a fixed warm-up"
              + " (default: ${DEFAULT-VALUE}).")
  int warmUpMaxSeconds;

  @Option(
      names = "--commit-interval",
      paramLabel = "MS",
      description =
          "Kafka Streams commit.interval.ms, for (a2) to (c2) (default: Parley's "
              + Pipeline.COMMIT_INTERVAL_MS
              + ").")
  Integer commitInterval;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--skip-rebuild", negatable = false, description = "Skip (d).")
  boolean skipRebuild;

  @Override
  public Integer call() throws Exception {
    // Refused before minutes of publishing: a rate of 0 would fail only when the latency run began.
    BadUsage.requireAtLeast("--talks", talks, 1);
    BadUsage.requireAtLeast("--events", events, 1);
    BadUsage.requireAtLeast("--rate", rate, 1);
    BadUsage.requireAtLeast("--latency-seconds", latencySeconds, 1);
    BadUsage.requireAtLeast("--warm-up-seconds", warmUpSeconds, 0);
    BadUsage.requireAtLeast("--warm-up-max-seconds", warmUpMaxSeconds, warmUpSeconds);
    BadUsage.requireAtLeast("--partitions", partitions, 1);
    if (commitInterval != null) {
      BadUsage.requireAtLeast("--commit-interval", commitInterval, 1);
    }
    Bench.Settings settings =
        new Bench.Settings(
            talks,
            events,
            rate,
            latencySeconds,
            warmUpSeconds,
            warmUpMaxSeconds,
            commitInterval,
            partitions,
            skipRebuild);
    Bench.Result result = new Bench(settings, spec.commandLine().getErr()).run();
    result.print(spec.commandLine().getOut());
    return 0;
  }
}
