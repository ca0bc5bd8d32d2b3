package org.parley.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.parley.avro.DiplomaticEvent;
import org.parley.core.DeadlineClock;
import org.parley.core.InMemoryLedger;
import org.parley.core.PartitionFold;
import org.parley.core.TalkFold;
import org.parley.ingest.SyntheticLog;

/**
 * The pure fold: a partition's log of 20,000 synthetic events over 200 talks, in memory, folded as
 * the pipeline folds the events topic. Score: events/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FoldBenchmark {
  static final int EVENTS = 20_000;
  private List<DiplomaticEvent> log;

  @Setup
  public void generate() {
    log = SyntheticLog.of(200, EVENTS, 42);
    // As the log lies on the events topic: Parley's publishers stamp an event's loggedAt (here its
    // recordedAt, one time an event), and the pipeline folds it as heard then. Until the eighteenth
    // round of issue 14 this benchmark folded unstamped events as heard at recordedAt, so the fold
    // copied every event to keep that time in the talk's history, a copy the pipeline never makes.
    for (DiplomaticEvent event : log) {
      event.setLoggedAt(event.getRecordedAt());
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void foldALog(Blackhole sink) {
    PartitionFold partition =
        new PartitionFold(new TalkFold(DeadlineClock.standard()), new InMemoryLedger());
    for (DiplomaticEvent event : log) {
      sink.consume(partition.accept(event, event.getLoggedAt()));
    }
  }
}
