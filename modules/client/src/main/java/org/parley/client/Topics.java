package org.parley.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.parley.avro.Alert;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;

/**
 * The topics of Parley, its public contract: names (with a version suffix), serdes and how long
 * each keeps its records.
 *
 * <ul>
 *   <li>events: keyed by talk id, Avro DiplomaticEvent, kept forever: the source of truth;
 *   <li>talk state: keyed by talk id, Avro TalkState, compacted: the latest state of every talk;
 *   <li>alerts: keyed by talk id, Avro Alert, kept three years;
 *   <li>dead letters: the original key and bytes of every record the pipeline refused, with the
 *       reason and where it came from in headers, kept thirty days.
 * </ul>
 *
 * <p>A rebuild writes to output topics with a suffix, so that it never touches the live ones.
 */
public record Topics(
    Topic<String, DiplomaticEvent> events,
    Topic<String, TalkState> talkState,
    Topic<String, Alert> alerts,
    Topic<byte[], byte[]> deadLetters) {

  public static final String EVENTS = ParleyTopics.EVENTS;
  public static final String TALK_STATE = ParleyTopics.TALK_STATE;
  public static final String ALERTS = ParleyTopics.ALERTS;
  public static final String DEAD_LETTERS = ParleyTopics.DEAD_LETTERS;

  /**
   * The cluster's clock key (the first record, kept forever): the ticker seals its ClockTicks with
   * it and the pipeline checks the seal. Readable by Parley's own principals only, never by
   * producers.
   */
  public static final String CLOCK_KEY = "parley.clock-key.v1";

  /** The largest record (a batch, as the broker counts it) the events topic takes: 1 MiB. */
  public static final int MAX_EVENT_RECORD_BYTES = 1024 * 1024;

  public static Topics standard() {
    return withOutputSuffix("");
  }

  /** The live events topic, with state, alerts and dead letters named {@code <name><suffix>}. */
  public static Topics withOutputSuffix(String suffix) {
    return new Topics(
        new Topic<>(EVENTS, Serdes.String(), ParleySerdes.events()),
        new Topic<>(TALK_STATE + suffix, Serdes.String(), ParleySerdes.talkStates()),
        new Topic<>(ALERTS + suffix, Serdes.String(), ParleySerdes.alerts()),
        new Topic<>(DEAD_LETTERS + suffix, Serdes.ByteArray(), Serdes.ByteArray()));
  }

  /**
   * The events topic as bytes: the pipeline reads it raw so a record it cannot read is
   * dead-lettered as it was.
   */
  public Topic<byte[], byte[]> rawEvents() {
    return new Topic<>(events.name(), Serdes.ByteArray(), Serdes.ByteArray());
  }

  /** How each topic is created: its name and its topic-level configuration. */
  public record Spec(String name, Map<String, String> config) {}

  public List<Spec> specs() {
    return List.of(
        new Spec(
            events.name(),
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                "-1",
                TopicConfig.RETENTION_BYTES_CONFIG,
                "-1",
                // An event is at most 64 KiB; a bigger record is refused by the broker at the door.
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(MAX_EVENT_RECORD_BYTES))),
        new Spec(
            talkState.name(),
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(8 * 1024 * 1024))),
        new Spec(
            alerts.name(),
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(Duration.ofDays(3 * 365).toMillis()))),
        new Spec(
            deadLetters.name(),
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(Duration.ofDays(30).toMillis()))));
  }
}
