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
import org.parley.ingest.SyntheticLog;
import org.parley.model.EventValidator;

/**
 * The checks every event passes at every door before it is folded (ids, texts, times), over the
 * synthetic log's mix of events. Score: events/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValidatorBenchmark {
  static final int EVENTS = 10_000;
  private List<DiplomaticEvent> log;

  @Setup
  public void generate() {
    log = SyntheticLog.of(100, EVENTS, 42);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void validateALog(Blackhole sink) {
    for (DiplomaticEvent event : log) {
      sink.consume(EventValidator.problems(event));
    }
  }
}
