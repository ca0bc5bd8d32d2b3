package org.parley.topology;

import java.time.Instant;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.parley.avro.Alert;
import org.parley.avro.TalkState;
import org.parley.core.PartitionFold;
import org.parley.core.PartitionFold.Outcome;
import org.parley.core.TalkFold;
import org.parley.topology.DeadLetter.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves bytes to and from the core: hands each record of the events topic to the partition's
 * {@link RawEventFold} and forwards what comes out to the talk-state, alerts and dead-letters
 * sinks. It decides nothing about talks itself.
 *
 * <p>It reads raw bytes, not events, so that a record it cannot read reaches the dead-letter topic
 * exactly as it arrived. Its three children take different types (talk states already encoded by
 * the ledger, alerts, raw bytes), hence the Object output types; each forward names its child.
 */
final class FoldProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(FoldProcessor.class);

  private final TalkFold talkFold;
  private final RawEventFold.Rules rules;
  private final Instant alertsFrom;
  private ProcessorContext<Object, Object> context;
  private RawEventFold fold;
  private StoreLedger ledger;
  private Sensor applied;
  private Sensor duplicates;
  private Sensor deadLettered;
  private Sensor alertsRaised;
  private Sensor statesPublished;

  FoldProcessor(TalkFold talkFold, RawEventFold.Rules rules, Instant alertsFrom) {
    this.talkFold = talkFold;
    this.rules = rules;
    this.alertsFrom = alertsFrom;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.ledger = new StoreLedger(
        context.getStateStore(ParleyTopology.TALKS_STORE),
        context.getStateStore(ParleyTopology.SEEN_EVENTS_STORE),
        context.getStateStore(ParleyTopology.WAKE_UPS_STORE),
        context.getStateStore(ParleyTopology.TALK_HISTORY_STORE));
    this.fold = new RawEventFold(new PartitionFold(talkFold, ledger), rules, ledger::encodedSize);
    var metrics = context.metrics();
    String task = context.taskId().toString();
    applied = metrics.addRateTotalSensor("parley", task, "events-applied", Sensor.RecordingLevel.INFO);
    duplicates = metrics.addRateTotalSensor("parley", task, "events-duplicate", Sensor.RecordingLevel.INFO);
    deadLettered = metrics.addRateTotalSensor("parley", task, "events-dead-lettered", Sensor.RecordingLevel.INFO);
    alertsRaised = metrics.addRateTotalSensor("parley", task, "alerts-raised", Sensor.RecordingLevel.INFO);
    statesPublished = metrics.addRateTotalSensor("parley", task, "states-published", Sensor.RecordingLevel.INFO);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    try {
      forward(record, fold.accept(record.key(), record.value(), record.timestamp()));
    } finally {
      ledger.recordDone();
    }
  }

  private void forward(Record<byte[], byte[]> record, RawEventFold.Result result) {
    if (result instanceof RawEventFold.Result.Refused refused) {
      deadLetter(record, refused.kind(), refused.reason());
    } else if (((RawEventFold.Result.Folded) result).outcome() instanceof Outcome.Applied done) {
      applied.record();
      for (TalkState talk : done.talks()) {
        statesPublished.record();
        // A new record, not record.withKey(...): the input's headers (anyone's) must not ride along.
        context.forward(new Record<Object, Object>(talk.getTalkId(), ledger.encoded(talk), record.timestamp()),
            ParleyTopology.TALK_STATE_SINK);
      }
      for (Alert alert : done.alerts()) {
        if (alertsFrom != null && alert.getEventTime().isBefore(alertsFrom)) {
          continue;
        }
        alertsRaised.record();
        context.forward(new Record<Object, Object>(alert.getTalkId(), alert, record.timestamp()),
            ParleyTopology.ALERTS_SINK);
      }
    } else {
      duplicates.record();
    }
  }

  private void deadLetter(Record<byte[], byte[]> record, Kind kind, String reason) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    LOG.warn("dead-lettered {}-{}@{} ({}): {}", source.topic(), source.partition(), source.offset(), kind, reason);
    deadLettered.record();
    Record<byte[], byte[]> letter = DeadLetter.of(record, source, kind, reason);
    context.forward(new Record<Object, Object>(letter.key(), letter.value(), letter.timestamp(), letter.headers()),
        ParleyTopology.DEAD_LETTERS_SINK);
  }
}
