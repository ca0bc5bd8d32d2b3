package org.parley.bench;

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
import org.parley.avro.CommitmentStatus;
import org.parley.avro.CommitmentStatusChanged;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.core.DeadlineClock;
import org.parley.core.InMemoryLedger;
import org.parley.core.PartitionFold;
import org.parley.core.TalkFold;
import org.parley.ingest.SyntheticLog;
import org.parley.model.Events;
import org.parley.model.InvalidRecord;
import org.parley.model.JsonForm;
import org.parley.model.RecordCodec;
import org.parley.model.TalkEncoder;
import org.parley.model.UndecodableRecord;

/**
 * The codecs on the pipeline's hot path: an event (decoded once per record) and a talk's state
 * (encoded once per change, decoded on a cache miss), as Avro single-object encoding, and an event
 * in its JSON form (the CLI and HTTP doors). The talk is a typical one of the synthetic log after
 * 100 events of its own. Score: operations/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
  private DiplomaticEvent event;
  private byte[] eventBytes;
  private String eventJson;
  private TalkState talk;
  private TalkState talkAfterOneEvent;
  private TalkState flipped;
  private TalkState flippedOnceMore;
  private byte[] talkBytes;
  private final TalkEncoder encoder = new TalkEncoder();
  private final TalkEncoder.Parts parts = new TalkEncoder.Parts();
  private final TalkEncoder.Parts flippedParts = new TalkEncoder.Parts();

  @Setup
  public void prepare() {
    InMemoryLedger ledger = new InMemoryLedger();
    PartitionFold partition = new PartitionFold(new TalkFold(DeadlineClock.standard()), ledger);
    for (DiplomaticEvent e : SyntheticLog.of(100, 10_000, 42)) {
      partition.accept(e, e.getRecordedAt());
      event = e;
    }
    eventBytes = RecordCodec.events().encode(event);
    eventJson = JsonForm.toJson(event);
    talk = ledger.talk(SyntheticLog.talkId(7));
    talkBytes = RecordCodec.talks().encode(talk);
    // The talk after one more event that changes one of its commitments, sharing the rest
    // (copy-on-write).
    String commitment = talk.getCommitments().get(0).getCommitmentId();
    talkAfterOneEvent =
        new TalkFold(DeadlineClock.standard())
            .apply(
                talk,
                DiplomaticEvent.newBuilder(event)
                    .setEventId("one-more")
                    .setTalkId(talk.getTalkId())
                    .setPayload(
                        new CommitmentStatusChanged(
                            commitment, CommitmentStatus.FULFILLED, "benchmark"))
                    .build());
    // The same commitment flipped until it holds as many changes as a state keeps, as the latency
    // run of `parley bench` flips its talks' commitments.
    TalkFold fold = new TalkFold(DeadlineClock.standard());
    flippedOnceMore = talk;
    for (int i = 0; i <= TalkFold.KEPT_CHANGES + 5; i++) {
      flipped = flippedOnceMore;
      flippedOnceMore =
          fold.apply(
              flipped,
              DiplomaticEvent.newBuilder(event)
                  .setEventId("flip-" + i)
                  .setTalkId(talk.getTalkId())
                  .setPayload(
                      new CommitmentStatusChanged(
                          commitment,
                          i % 2 == 0 ? CommitmentStatus.BREACHED : CommitmentStatus.PLEDGED,
                          null))
                  .build());
    }
  }

  /**
   * As {@link #encodeTalkStateAgainAfterOneEvent}, for a commitment that changes all the time: it
   * holds the {@link TalkFold#KEPT_CHANGES} changes a state keeps, and each version shares all but
   * one with the other.
   */
  @Benchmark
  @OperationsPerInvocation(2)
  public void encodeTalkStateAgainAfterAFlipOfABusyCommitment(Blackhole sink) {
    sink.consume(encoder.encode(flippedOnceMore, flippedParts));
    sink.consume(encoder.encode(flipped, flippedParts));
  }

  /**
   * What the pipeline pays to publish a talk that one event changed: the talk encoded again with
   * {@link TalkEncoder}, reusing the bytes of the parts it shares with its last version (two
   * versions in turn, each differing from the other in one commitment).
   */
  @Benchmark
  @OperationsPerInvocation(2)
  public void encodeTalkStateAgainAfterOneEvent(Blackhole sink) {
    sink.consume(encoder.encode(talkAfterOneEvent, parts));
    sink.consume(encoder.encode(talk, parts));
  }

  @Benchmark
  public byte[] encodeEvent() {
    return RecordCodec.events().encode(event);
  }

  @Benchmark
  public DiplomaticEvent decodeEvent() throws UndecodableRecord {
    return RecordCodec.events().decode(eventBytes);
  }

  @Benchmark
  public byte[] encodeTalkState() {
    return RecordCodec.talks().encode(talk);
  }

  @Benchmark
  public TalkState decodeTalkState() throws UndecodableRecord {
    return RecordCodec.talks().decode(talkBytes);
  }

  @Benchmark
  public DiplomaticEvent readEventJson() throws InvalidRecord {
    return Events.fromJson(eventJson);
  }

  @Benchmark
  public String writeEventJson() {
    return JsonForm.toJson(event);
  }
}
