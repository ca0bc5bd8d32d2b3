package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.parley.app.bench.Bench;

/**
 * `parley bench` on a small log: every row of its table is measured (the test checks what was
 * counted, never how fast), so the numbers the README quotes come from a harness that runs.
 */
class BenchIT {

  @Test
  void theBenchMeasuresEveryRowAndSaysWhatThePipelineWrote() throws Exception {
    StringWriter progress = new StringWriter();
    Bench.Result result =
        new Bench(
                new Bench.Settings(50, 3_000, 100, 2, 1, 1, null, 2, false),
                new PrintWriter(progress))
            .run();

    assertThat(result.consumerRate()).isPositive();
    assertThat(result.floorRate()).isPositive();
    assertThat(result.writesRate()).isPositive();
    assertThat(result.outputsRate()).isPositive();
    assertThat(result.pipelineCold()).isPositive();
    assertThat(result.pipelineRate()).isPositive();
    assertThat(result.rebuildRate()).isPositive();

    // Where the CPU went during the warm runs: the stream thread did the work of each; the Java
    // threads read add up to no more than the process used, which is no more than its cores give
    // (in CPU seconds, with room for the process's CPU being counted in clock ticks).
    for (org.parley.app.bench.CpuUse cpu :
        java.util.List.of(result.floorCpu(), result.pipelineCpu())) {
      double javaSeconds =
          (cpu.streamThreads() + cpu.producerIo() + cpu.otherJava()) * cpu.seconds();
      assertThat(cpu.streamThreads()).isPositive();
      assertThat(cpu.process() * cpu.seconds()).isGreaterThanOrEqualTo(javaSeconds - 0.03);
      assertThat(cpu.process() * cpu.seconds())
          .isLessThanOrEqualTo(cpu.cores() * cpu.seconds() + 0.05);
    }
    // The pipeline's producers sent its output.
    assertThat(result.pipelineCpu().producerIo()).isPositive();

    // Every event of the synthetic log changes its talk: each output and changelog the pipeline
    // writes per event is there, and nothing was dead-lettered.
    Map<String, Bench.Written> written =
        result.written().stream().collect(Collectors.toMap(Bench.Written::topic, topic -> topic));
    assertThat(written)
        .containsKeys(
            "parley.alerts.v1",
            "parley.talk-state.v1",
            "parley.dead-letters.v1",
            "talks-changelog",
            "talk-history-changelog");
    // A commit writes the entries a talk gained as one history record, beside its one state record:
    // never more history records than states (this log has no corrections and no talk long
    // enough to be trimmed, which rewrite a history).
    assertThat(written.get("talk-history-changelog").recordsPerEvent())
        .isPositive()
        .isLessThanOrEqualTo(written.get("talks-changelog").recordsPerEvent());
    assertThat(written.get("parley.alerts.v1").bytesPerEvent()).isPositive();
    // At most one state per event, plus the transaction markers (two partitions, each commit).
    assertThat(written.get("parley.talk-state.v1").recordsPerEvent()).isBetween(0.0, 1.5);
    assertThat(written.get("parley.dead-letters.v1").recordsPerEvent()).isZero();

    // (a4) measured what (b) published, without the transaction markers the offsets count, and
    // wrote as much in each of its two runs, to within the fraction of a record each of its
    // tasks (two partitions, two writers each) carries.
    Bench.Outputs published = result.outputs();
    assertThat(published.alertsPerEvent())
        .isPositive()
        .isLessThanOrEqualTo(written.get("parley.alerts.v1").recordsPerEvent());
    assertThat(published.statesPerEvent())
        .isPositive()
        .isLessThanOrEqualTo(written.get("parley.talk-state.v1").recordsPerEvent());
    assertThat(published.alertBytes()).isPositive();
    assertThat(published.stateBytes()).isGreaterThan(published.alertBytes());
    Bench.Outputs floor = result.outputsWritten();
    double aRecord = 1.0 / 3_000;
    assertThat(floor.alertsPerEvent())
        .isBetween(
            2 * published.alertsPerEvent() - 4 * aRecord, 2 * published.alertsPerEvent() + aRecord);
    assertThat(floor.statesPerEvent())
        .isBetween(
            2 * published.statesPerEvent() - 4 * aRecord, 2 * published.statesPerEvent() + aRecord);
    assertThat(floor.alertBytes()).isEqualTo(published.alertBytes());
    assertThat(floor.stateBytes()).isEqualTo(published.stateBytes());

    // Each latency event raises one alert, and each was timed.
    assertThat(result.latency().sent()).isEqualTo(200);
    assertThat(result.latency().histogram().getTotalCount()).isEqualTo(200);
    // Split at the broker's append time, once the topic's new timestamp type has reached it.
    assertThat(result.latency().appended().getTotalCount()).isBetween(1L, 200L);
    assertThat(result.latency().appended().getMaxValue())
        .isLessThanOrEqualTo(result.latency().histogram().getMaxValue());
    assertThat(result.latencyCommits().commits()).isPositive();
    assertThat(result.latencyCommits().flushNanos()).isPositive();
    // The fold's write-back before each commit is timed by its metric; plain Kafka Streams has
    // none.
    assertThat(result.latencyCommits().writeBackNanos()).isPositive();
    assertThat(result.floorLatency().commits().writeBackNanos()).isZero();
    assertThat(result.latency().cpu().streamThreads()).isPositive();
    assertThat(result.floorLatency().cpu().streamThreads()).isPositive();

    // The same load through plain Kafka Streams: every event after the warm-up was timed.
    assertThat(result.floorLatency().histogram().getTotalCount()).isEqualTo(200);
    assertThat(result.floorLatency().commits().commits()).isPositive();

    StringWriter table = new StringWriter();
    result.print(new PrintWriter(table));
    assertThat(table.toString())
        .contains(
            "(a2)",
            "(a3)",
            "(a4)",
            "(b)",
            "(c)",
            "(c2)",
            "(d)",
            "(e)",
            "parley.alerts.v1",
            "appended",
            "during (c)",
            "CPU during (a2), median run",
            "median of 3 warm runs",
            "CPU during (b), second run",
            "during (c2)",
            "writing back for",
            "CPU during (c), timed part",
            "CPU during (c2), timed part");
  }
}
