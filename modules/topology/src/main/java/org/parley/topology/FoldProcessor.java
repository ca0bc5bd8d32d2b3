package org.parley.topology;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.parley.avro.Alert;
import org.parley.core.PartitionFold;
import org.parley.core.TalkFold;
import org.parley.topology.DeadLetter.Kind;

/**
 * Moves bytes to and from the core: hands each record of the events topic to the partition's {@link
 * RawEventFold} and forwards what comes out to the talk-state, alerts and dead-letters sinks. It
 * decides nothing about talks itself.
 *
 * <p>It reads raw bytes, not events, so that a record it cannot read reaches the dead-letter topic
 * exactly as it arrived. Alerts and dead letters go out as each record is folded; the talks it
 * changed are written back and published once per commit, each with the last record that changed it
 * ({@link StoreLedger#writeBack}, run by {@link BeforeCommit} inside the commit's transaction). Its
 * three children take different types (encoded talk states, alerts, raw bytes), hence the Object
 * output types; each forward names its child.
 */
final class FoldProcessor implements Processor<byte[], byte[], Object, Object>, ThreadFolds.Member {
  private final TalkFold talkFold;
  private final RawEventFold.Rules rules;
  private final Instant alertsFrom;
  private InternalProcessorContext<Object, Object> context;
  private ProcessorNode<?, ?, ?, ?> node;
  private RawEventFold fold;
  private StoreLedger ledger;
  private Sensor applied;
  private Sensor duplicates;
  private Sensor deadLettered;
  private Sensor alertsRaised;
  private Sensor statesPublished;
  private Sensor unwritable;
  private Sensor writeBacks;

  /**
   * The folds of this processor's stream thread, once it has joined them (see {@link #process}).
   */
  private Set<ThreadFolds.Member> threadFolds;

  private boolean closed;

  /**
   * Whether the last record made the processor throw (a defect): the task may be about to be closed
   * dirty, and its commit should not draw the other folds of the thread into it.
   */
  private boolean threw;

  private BeforeCommit beforeCommit;

  FoldProcessor(TalkFold talkFold, RawEventFold.Rules rules, Instant alertsFrom) {
    this.talkFold = talkFold;
    this.rules = rules;
    this.alertsFrom = alertsFrom;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    // Internal because publishing at commit time means forwarding outside process(), which only the
    // processor's own node and record context make legal: what Kafka Streams' record cache does.
    this.context = (InternalProcessorContext<Object, Object>) context;
    this.node = this.context.currentNode();
    // Kafka Streams initialises the same processor again when it resumes a suspended task.
    this.closed = false;
    this.threadFolds = null;
    this.ledger =
        new StoreLedger(
            context.getStateStore(ParleyTopology.TALKS_STORE),
            context.getStateStore(ParleyTopology.SEEN_EVENTS_STORE),
            context.getStateStore(ParleyTopology.WAKE_UPS_STORE),
            context.getStateStore(ParleyTopology.TALK_HISTORY_STORE));
    this.fold = new RawEventFold(new PartitionFold(talkFold, ledger), rules, ledger);
    beforeCommit = context.getStateStore(BeforeCommit.NAME);
    beforeCommit.onCommit(this::beforeCommit, ledger::discard);
    var metrics = context.metrics();
    String task = context.taskId().toString();
    applied =
        metrics.addRateTotalSensor("parley", task, "events-applied", Sensor.RecordingLevel.INFO);
    duplicates =
        metrics.addRateTotalSensor("parley", task, "events-duplicate", Sensor.RecordingLevel.INFO);
    deadLettered =
        metrics.addRateTotalSensor(
            "parley", task, "events-dead-lettered", Sensor.RecordingLevel.INFO);
    alertsRaised =
        metrics.addRateTotalSensor("parley", task, "alerts-raised", Sensor.RecordingLevel.INFO);
    statesPublished =
        metrics.addRateTotalSensor("parley", task, "states-published", Sensor.RecordingLevel.INFO);
    unwritable =
        metrics.addRateTotalSensor("parley", task, "states-unwritable", Sensor.RecordingLevel.INFO);
    // How long each commit waits for the fold to write back (an alert is visible only after it):
    // the count and rate of write-backs, and their total and longest time, in nanoseconds. The
    // first fold of a thread to be told of a commit writes back every fold of the thread, so one
    // write-back covers the thread's commit and is recorded under that fold's task. The group and
    // tags are those Kafka Streams gives the sensor's own metrics (stream-<scope>-metrics,
    // thread-id, <scope>-id), so that the two totals are found and exported together.
    writeBacks =
        metrics.addRateTotalSensor("parley", task, "write-back", Sensor.RecordingLevel.INFO);
    Map<String, String> tags =
        Map.of("thread-id", Thread.currentThread().getName(), "parley-id", task);
    writeBacks.add(
        new MetricName(
            "write-back-time-ns-total",
            "stream-parley-metrics",
            "The total time the fold spent writing back before commits, in nanoseconds",
            tags),
        new CumulativeSum());
    writeBacks.add(
        new MetricName(
            "write-back-time-ns-max",
            "stream-parley-metrics",
            "The longest write-back before a commit lately, in nanoseconds",
            tags),
        new Max());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (threadFolds == null) {
      // Joined here, not in init: only the task's own stream thread calls process.
      threadFolds = ThreadFolds.join(this);
    }
    threw = true;
    RecordMetadata source = context.recordMetadata().orElseThrow();
    ledger.folding(
        new ProcessorRecordContext(
            record.timestamp(),
            source.offset(),
            source.partition(),
            source.topic(),
            new RecordHeaders()));
    RawEventFold.Result result = fold.accept(record.key(), record.value(), record.timestamp());
    if (result instanceof RawEventFold.Result.Applied done) {
      applied.record();
      for (Alert alert : done.alerts()) {
        if (alertsFrom != null && alert.getEventTime().isBefore(alertsFrom)) {
          continue;
        }
        alertsRaised.record();
        context.forward(
            new Record<Object, Object>(alert.getTalkId(), alert, record.timestamp()),
            ParleyTopology.ALERTS_SINK);
      }
    } else if (result instanceof RawEventFold.Result.DeadLettered refused) {
      deadLetter(record, source, refused.kind(), refused.reason());
    } else {
      duplicates.record();
    }
    if (ledger.full()) {
      // Kafka Streams then commits (and so writes back) at the end of the records it is processing
      // in this pass, not at the next interval.
      context.commit();
    }
    threw = false;
  }

  /**
   * Right before this task commits: writes back its talks and those of every other fold of its
   * thread, which commit in the same transaction (see {@link ThreadFolds}).
   */
  private void beforeCommit() {
    long started = System.nanoTime(); // for the metric only; the fold never reads a clock
    boolean wrote = ledger.pending();
    if (wrote) {
      publishTalks();
    }
    if (!closed && !threw) {
      wrote |= ThreadFolds.writeBackAll();
    }
    if (wrote) {
      writeBacks.record(System.nanoTime() - started);
    }
  }

  /** Asked by another fold of this thread, before its commit. */
  @Override
  public boolean writeBack() {
    if (closed || !beforeCommit.isOpen()) {
      // A task closed without its processor being told (a dirty close that failed part way): its
      // stores are gone, and so is anything it had to write.
      close();
      return false;
    }
    if (!ledger.pending()) {
      return false;
    }
    publishTalks();
    return true;
  }

  @Override
  public void close() {
    closed = true;
    if (threadFolds != null) {
      threadFolds.remove(this);
    }
  }

  /**
   * Writes back the talks changed since the last one and publishes each, stamped with the last
   * record that changed it, as if forwarded while folding that record.
   */
  private void publishTalks() {
    ProcessorNode<?, ?, ?, ?> previousNode = context.currentNode();
    ProcessorRecordContext previousRecord = context.recordContext();
    context.setCurrentNode(node);
    try {
      ledger.writeBack(
          new StoreLedger.Publisher() {
            @Override
            public void talk(String talkId, byte[] encoded, Object source) {
              ProcessorRecordContext changedBy = (ProcessorRecordContext) source;
              context.setRecordContext(changedBy);
              statesPublished.record();
              // A new record, not the input's: the input's headers (anyone's) must not ride along.
              context.forward(
                  new Record<Object, Object>(talkId, encoded, changedBy.timestamp()),
                  ParleyTopology.TALK_STATE_SINK);
            }

            @Override
            public void unwritable(String talkId, Object source, RuntimeException problem) {
              unwritable.record(); // StoreLedger has logged it
            }
          });
    } finally {
      context.setRecordContext(previousRecord);
      context.setCurrentNode(previousNode);
    }
  }

  private void deadLetter(
      Record<byte[], byte[]> record, RecordMetadata source, Kind kind, String reason) {
    deadLettered.record();
    Record<byte[], byte[]> letter = DeadLetter.of(record, source, kind, reason);
    context.forward(
        new Record<Object, Object>(
            letter.key(), letter.value(), letter.timestamp(), letter.headers()),
        ParleyTopology.DEAD_LETTERS_SINK);
  }
}
