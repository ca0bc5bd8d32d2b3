package org.parley.client;

/**
 * The names of Parley's topics: the contract a downstream service reads. Every record is keyed by
 * talk id (a UTF-8 string); values are Avro single-object encoded ({@link ParleySerdes}).
 *
 * <ul>
 *   <li>{@link #EVENTS}: DiplomaticEvent, kept forever: the source of truth;
 *   <li>{@link #TALK_STATE}: TalkState, compacted: the latest state of every talk;
 *   <li>{@link #ALERTS}: Alert, kept three years;
 *   <li>{@link #DEAD_LETTERS}: the original bytes of each record the pipeline refused, with the
 *       reason in headers, kept thirty days.
 * </ul>
 *
 * <p>Read them with {@code isolation.level=read_committed}: Parley writes in transactions.
 */
public final class ParleyTopics {
  public static final String EVENTS = "parley.events.v1";
  public static final String TALK_STATE = "parley.talk-state.v1";
  public static final String ALERTS = "parley.alerts.v1";
  public static final String DEAD_LETTERS = "parley.dead-letters.v1";

  /**
   * Headers of a dead letter (UTF-8 text): why the record was refused, what kind of problem, where
   * it came from.
   */
  public static final String DEAD_LETTER_REASON = "__streams.errors.message";

  public static final String DEAD_LETTER_KIND = "parley.error.kind";
  public static final String DEAD_LETTER_SOURCE_TOPIC = "__streams.errors.topic";
  public static final String DEAD_LETTER_SOURCE_PARTITION = "__streams.errors.partition";
  public static final String DEAD_LETTER_SOURCE_OFFSET = "__streams.errors.offset";

  private ParleyTopics() {}
}
