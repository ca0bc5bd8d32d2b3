package org.parley.topology;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.parley.avro.Alert;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.client.Topic;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.core.TalkFold;
import org.parley.model.ClockSeal;
import org.parley.model.Events;
import org.parley.model.RecordCodec;
import org.parley.model.StoryTime;

/**
 * The Parley topology in a TopologyTestDriver, with its topics typed the way producers and
 * consumers see them.
 */
final class PipelineDriver implements AutoCloseable {
  final Topics topics = Topics.standard();
  final TopologyTestDriver driver;
  private final TestInputTopic<byte[], byte[]> events;
  private final TestOutputTopic<String, Alert> alerts;
  private final TestOutputTopic<String, TalkState> states;
  private final TestOutputTopic<byte[], byte[]> deadLetters;

  PipelineDriver() {
    this(DeadlineClock.standard());
  }

  PipelineDriver(DeadlineClock clock) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "parley-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(
        StreamsConfig.STATE_DIR_CONFIG,
        Path.of("target", "ttd-state", java.util.UUID.randomUUID().toString())
            .toAbsolutePath()
            .toString());
    driver =
        new TopologyTestDriver(
            ParleyTopology.build(
                topics,
                new TalkFold(clock),
                new RawEventFold.Rules(SEAL, StoryTime.DEFAULT_FUTURE_TOLERANCE)),
            props);
    Topic<byte[], byte[]> raw = topics.rawEvents();
    events = driver.createInputTopic(raw.name(), raw.keySerializer(), raw.valueSerializer());
    alerts =
        driver.createOutputTopic(
            topics.alerts().name(),
            topics.alerts().keyDeserializer(),
            topics.alerts().valueDeserializer());
    states =
        driver.createOutputTopic(
            topics.talkState().name(),
            topics.talkState().keyDeserializer(),
            topics.talkState().valueDeserializer());
    deadLetters =
        driver.createOutputTopic(
            topics.deadLetters().name(),
            topics.deadLetters().keyDeserializer(),
            topics.deadLetters().valueDeserializer());
  }

  /**
   * The clock key of the test cluster: ticks sent through {@link #send} are sealed with it, as the
   * ticker does.
   */
  static final ClockSeal SEAL =
      new ClockSeal("parley-test-clock-key".getBytes(StandardCharsets.UTF_8));

  /**
   * Publishes events keyed by their talk id, as every Parley publisher does, each reaching the log
   * at its {@code loggedAt} or else its {@code recordedAt}; clock ticks sealed as the ticker seals
   * them.
   */
  PipelineDriver send(DiplomaticEvent... events) {
    for (DiplomaticEvent event : events) {
      DiplomaticEvent sent = Events.isClockTick(event) ? SEAL.seal(event) : event;
      Instant heard = event.getLoggedAt() != null ? event.getLoggedAt() : event.getRecordedAt();
      sendRaw(event.getTalkId(), RecordCodec.events().encode(sent), heard);
    }
    return this;
  }

  PipelineDriver send(List<DiplomaticEvent> events) {
    return send(events.toArray(DiplomaticEvent[]::new));
  }

  PipelineDriver sendRaw(String key, byte[] value) {
    return sendRaw(key, value, Instant.parse("2026-01-01T00:00:00Z"));
  }

  PipelineDriver sendRaw(String key, byte[] value, Instant timestamp) {
    events.pipeInput(
        new TestRecord<>(
            key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, timestamp));
    return this;
  }

  PipelineDriver sendRaw(String key, byte[] value, org.apache.kafka.common.header.Headers headers) {
    events.pipeInput(
        new TestRecord<>(
            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
            value,
            headers,
            Instant.parse("2026-01-01T00:00:00Z")));
    return this;
  }

  List<TestRecord<String, Alert>> alertRecords() {
    return alerts.readRecordsToList();
  }

  List<TestRecord<String, TalkState>> stateRecords() {
    return states.readRecordsToList();
  }

  List<Alert> alerts() {
    return alerts.readValuesToList();
  }

  List<TalkState> states() {
    return states.readValuesToList();
  }

  List<TestRecord<byte[], byte[]>> deadLetters() {
    return deadLetters.readRecordsToList();
  }

  TalkState talk(String talkId) {
    KeyValueStore<String, byte[]> store = driver.getKeyValueStore(ParleyTopology.TALKS_STORE);
    byte[] bytes = store.get(talkId);
    try {
      return bytes == null ? null : RecordCodec.talks().decode(bytes);
    } catch (org.parley.model.UndecodableRecord e) {
      throw new IllegalStateException(e);
    }
  }

  static String header(Headers headers, String name) {
    return DeadLetter.header(headers, name);
  }

  @Override
  public void close() {
    driver.close();
  }

  static Path resource(String name) {
    try {
      return Path.of(PipelineDriver.class.getClassLoader().getResource(name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
