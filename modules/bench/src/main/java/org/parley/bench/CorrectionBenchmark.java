package org.parley.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.parley.avro.CommitmentMade;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.CommitmentStatusChanged;
import org.parley.avro.DeadlineSet;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.EventRetracted;
import org.parley.avro.Source;
import org.parley.avro.TalkAnnounced;
import org.parley.core.DeadlineClock;
import org.parley.core.InMemoryLedger;
import org.parley.core.PartitionFold;
import org.parley.core.TalkFold;

/**
 * What a correction costs: retracting an early breach of a talk whose history is {@code events}
 * deep, which folds the whole talk again. Each iteration corrects {@link #TALKS} talks once each (a
 * correction cannot be repeated), so the score is the time of {@link #TALKS} corrections: divide by
 * it for one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, batchSize = CorrectionBenchmark.TALKS)
@Measurement(iterations = 5, batchSize = CorrectionBenchmark.TALKS)
@Fork(1)
public class CorrectionBenchmark {
  static final int TALKS = 20;

  @Param({"100", "1000", "2000"})
  int events;

  private PartitionFold partition;
  private final DiplomaticEvent[] retractions = new DiplomaticEvent[TALKS];
  private int next;

  @Setup(Level.Iteration)
  public void talksWithAHistory() {
    partition = new PartitionFold(new TalkFold(DeadlineClock.standard()), new InMemoryLedger());
    next = 0;
    for (int t = 0; t < TALKS; t++) {
      retractions[t] = talkWithAHistory("talk-" + t);
    }
  }

  private DiplomaticEvent talkWithAHistory(String talkId) {
    accept(
        event(
            talkId,
            0,
            new TalkAnnounced(
                "Geneva",
                java.util.List.of("United States", "Russia"),
                java.util.List.of(),
                "Geneva",
                "United States",
                null)));
    DiplomaticEvent breach = null;
    for (int i = 1; i < events; i++) {
      String commitment = "c" + (i % 50);
      DiplomaticEvent event =
          event(
              talkId,
              i,
              i < 50
                  ? new CommitmentMade(
                      commitment,
                      "Russia",
                      "Action " + i,
                      null,
                      CommitmentStatus.PLEDGED,
                      java.util.List.of(),
                      java.util.List.of(),
                      null)
                  : i % 3 == 0
                      ? new CommitmentStatusChanged(
                          commitment,
                          i % 2 == 0 ? CommitmentStatus.BREACHED : CommitmentStatus.IN_EFFECT,
                          null)
                      : new DeadlineSet(
                          "d" + i, "Deadline " + i, START.plusSeconds(i * 60L + 86_400), null));
      accept(event);
      if (breach == null && i >= 50 && i % 3 == 0 && i % 2 == 0) {
        breach = event;
      }
    }
    return event(talkId, events, new EventRetracted(breach.getEventId(), "Misreported"));
  }

  private static final java.time.Instant START = java.time.Instant.parse("2016-09-07T12:00:00Z");

  private static DiplomaticEvent event(String talkId, int n, Object payload) {
    java.time.Instant at = START.plusSeconds(n * 60L);
    return DiplomaticEvent.newBuilder()
        .setEventId("e" + n)
        .setTalkId(talkId)
        .setOccurredAt(at)
        .setRecordedAt(at)
        .setSource(new Source("desk", null, null))
        .setPayload(payload)
        .build();
  }

  private void accept(DiplomaticEvent event) {
    partition.accept(event, event.getRecordedAt());
  }

  @Benchmark
  public Object retractAnEarlyBreach() {
    DiplomaticEvent retraction = retractions[next++];
    return partition.accept(retraction, retraction.getRecordedAt());
  }
}
