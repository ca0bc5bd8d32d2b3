package org.parley.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.parley.client.Topic;
import org.parley.client.Topics;
import org.parley.core.TalkFold;

/**
 * The map of Parley's stream processing:
 *
 * <pre>
 *   parley.events.v1 ──> [events] ──> [fold] ──┬──> [talk-state]   ──> parley.talk-state.v1
 *       (raw bytes)                     │      ├──> [alerts]       ──> parley.alerts.v1
 *                                       │      └──> [dead-letters] ──> parley.dead-letters.v1
 *                  talks, seen-events, wake-ups, talk-history (one set per partition)
 *                  before-commit: no data; the fold writes its stores back and publishes talk states
 *                  once per commit, when Kafka Streams flushes its caches before committing
 * </pre>
 *
 * <p>One processor, not a chain of DSL operators, because the fold of a partition is one thing: a
 * talk's time passes, its deadlines come due, the event applies, and a clock tick wakes the quiet
 * talks it is due for, in log order and atomically (the stores and all three outputs commit in one
 * exactly-once transaction). Splitting it would put a repartition or a second store between the
 * ticks and the talks they wake, and replays would no longer see deadlines pass at the same point.
 * Ticks travel in the events topic itself for the same reason: a second input topic would be merged
 * with the events in an order that depends on timing, not on the log.
 *
 * <p>The stores: {@code talks} is the state of every talk, as encoded Avro (queried by the
 * gateway); {@code seen-events} the (talk, event id) pairs already applied; {@code wake-ups}
 * indexes each talk with an open deadline under its next threshold, so a clock tick touches only
 * the talks due. Each talk's own time is part of its state. {@code talk-history} keeps the events
 * each talk was folded from, as corrected: corrections fold a talk again from it, and the gateway
 * reads a talk's timeline from it.
 */
public final class ParleyTopology {

  public static final String EVENTS_SOURCE = "events";
  public static final String FOLD_PROCESSOR = "fold";
  public static final String TALK_STATE_SINK = "talk-state";
  public static final String ALERTS_SINK = "alerts";
  public static final String DEAD_LETTERS_SINK = "dead-letters";

  public static final String TALKS_STORE = "talks";
  public static final String SEEN_EVENTS_STORE = "seen-events";
  public static final String WAKE_UPS_STORE = "wake-ups";
  public static final String TALK_HISTORY_STORE = "talk-history";

  private ParleyTopology() {}

  /**
   * The topology is a pure function of its topics and fold: built and tested without a running
   * application.
   */
  public static Topology build(Topics topics, TalkFold fold, RawEventFold.Rules rules) {
    return build(topics, fold, rules, null);
  }

  /**
   * As {@link #build(Topics, TalkFold, RawEventFold.Rules)}, publishing only the alerts of log time
   * {@code alertsFrom} or later (all when null): a rebuild from a time folds the whole log but
   * re-announces only what happened since.
   */
  public static Topology build(
      Topics topics, TalkFold fold, RawEventFold.Rules rules, java.time.Instant alertsFrom) {
    Topic<String, org.parley.avro.TalkState> state = topics.talkState();
    Topology topology = new Topology();
    Topic<byte[], byte[]> events = topics.rawEvents();
    topology.addSource(
        EVENTS_SOURCE, events.keyDeserializer(), events.valueDeserializer(), events.name());
    topology.addProcessor(
        FOLD_PROCESSOR, () -> new FoldProcessor(fold, rules, alertsFrom), EVENTS_SOURCE);
    // Talk states are stored and published as the same encoded bytes (see StoreLedger).
    topology.addStateStore(
        store(TALKS_STORE, state.keySerde(), Serdes.ByteArray()), FOLD_PROCESSOR);
    topology.addStateStore(
        store(SEEN_EVENTS_STORE, Serdes.String(), Serdes.Long()), FOLD_PROCESSOR);
    topology.addStateStore(store(WAKE_UPS_STORE, Serdes.String(), Serdes.String()), FOLD_PROCESSOR);
    topology.addStateStore(
        store(TALK_HISTORY_STORE, Serdes.String(), Serdes.ByteArray()), FOLD_PROCESSOR);
    topology.addStateStore(BeforeCommit.builder(), FOLD_PROCESSOR);
    topology.addSink(
        TALK_STATE_SINK,
        state.name(),
        state.keySerializer(),
        Serdes.ByteArray().serializer(),
        FOLD_PROCESSOR);
    topology.addSink(
        ALERTS_SINK,
        topics.alerts().name(),
        topics.alerts().keySerializer(),
        topics.alerts().valueSerializer(),
        FOLD_PROCESSOR);
    topology.addSink(
        DEAD_LETTERS_SINK,
        topics.deadLetters().name(),
        topics.deadLetters().keySerializer(),
        topics.deadLetters().valueSerializer(),
        FOLD_PROCESSOR);
    return topology;
  }

  private static <K, V> StoreBuilder<KeyValueStore<K, V>> store(
      String name,
      org.apache.kafka.common.serialization.Serde<K> keys,
      org.apache.kafka.common.serialization.Serde<V> values) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values);
  }
}
