package org.parley.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.parley.client.Topics;
import org.parley.core.TalkFold;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running fold: Parley's topology in a KafkaStreams instance, exactly-once. {@link #start} and
 * {@link #close} are the whole contract; every command that runs a pipeline (live or rebuild) goes
 * through here so they cannot drift apart.
 */
public final class Pipeline implements AutoCloseable {
  /** Parley's commit interval, unless the configuration sets {@code commit.interval.ms}. */
  public static final int COMMIT_INTERVAL_MS = 30;

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  public static final String DEFAULT_APPLICATION_ID = "parley";

  /**
   * What a pipeline needs: where Kafka is, its application id (the consumer group and the prefix of
   * its internal topics), where its stores live, its topics and fold, and any client properties
   * (security, tuning) to pass to every Kafka client, under Kafka's own names.
   */
  public record Settings(
      String bootstrapServers,
      String applicationId,
      Path stateDir,
      Topics topics,
      TalkFold fold,
      RawEventFold.Rules rules,
      Map<String, Object> clientProperties,
      Instant alertsFrom) {

    public Settings(
        String bootstrapServers,
        String applicationId,
        Path stateDir,
        Topics topics,
        TalkFold fold,
        RawEventFold.Rules rules,
        Map<String, Object> clientProperties) {
      this(bootstrapServers, applicationId, stateDir, topics, fold, rules, clientProperties, null);
    }
  }

  private final Settings settings;
  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);

  public Pipeline(Settings settings) {
    this.settings = settings;
    this.streams =
        new KafkaStreams(
            ParleyTopology.build(
                settings.topics(), settings.fold(), settings.rules(), settings.alertsFrom()),
            properties(settings));
    streams.setUncaughtExceptionHandler(
        e -> {
          // Data never gets here (bad records are dead-lettered); this is the broker or the disk.
          // Replace the thread.
          LOG.error("stream thread failed; replacing it", e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.setStateListener(
        (now, before) -> {
          LOG.info("pipeline {}: {} -> {}", settings.applicationId(), before, now);
          if (now == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
  }

  /**
   * The Kafka Streams configuration of a pipeline; exposed so that tests and docs show exactly what
   * runs.
   */
  // processing.exception.handler.global.enabled is deprecated in Kafka Streams 4.3 but still the
  // switch that sends a processing failure to the dead-letter topic; dropping it would change
  // behaviour.
  @SuppressWarnings("deprecation")
  public static Properties properties(Settings settings) {
    Properties props = new Properties();
    props.putAll(settings.clientProperties());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
    props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // Parley dead-letters bad records itself; a record that makes the code throw (a bug) goes to
    // the same topic through Kafka Streams' own dead-letter support, and the pipeline carries on.
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueProcessingExceptionHandler.class);
    props.put(
        StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
        settings.topics().deadLetters().name());
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // Kafka Streams 4.3 rebuilds its config for the partition assignor from the consumer's settings
    // and warns that the flag above is off unless the consumer carries it too.
    props.put(
        StreamsConfig.mainConsumerPrefix(
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
        true);
    // A talk's state can outgrow the default 1 MB request; the state topic allows 8 MB records.
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 8 * 1024 * 1024);
    // The talks store's changelog gets every state too: on a broker with the default 1 MB record
    // limit, a state over 1 MB would abort the transaction and come back forever. Streams creates
    // its internal topics with this.
    props.put(
        StreamsConfig.topicPrefix(
            org.apache.kafka.common.config.TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
        Integer.toString(8 * 1024 * 1024));
    props.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
    props.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
    // A task reads one partition of one topic, so it has no other input to wait for before taking
    // the next record, which is all this setting governs. Left at its default, Kafka Streams 4.3.1
    // formats a log message with String.format (logged or not) every time it finds a task's
    // partition idle: 3 % of the stream thread's time at 10,000 events/s (issue 14, round 22).
    props.putIfAbsent(
        StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    // Alerts reach read_committed readers only when the transaction commits, so the interval is
    // most of an alert's latency. Measured with `parley bench` at 1,000 events/s: p99
    // publish-to-alert 129 ms at Streams' 100 ms, 84 ms at 50 ms. At 10,000 events/s, once the
    // bench stopped timing (c) beside a JIT warming the broker up: p99 72 to 110 ms at 30 ms
    // (fourteen runs, twelve of them under 100) against 102 to 128 at 50 (eight runs), with the
    // pipeline's throughput on the default log within its noise (README, Performance). A busy
    // talk's state is published once a commit, so a third more states on that log.
    props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
    return props;
  }

  public Pipeline start() {
    streams.start();
    return this;
  }

  /** Waits until every task is assigned and restored. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * A total kept by the fold processor, summed over this instance's tasks: {@code events-applied},
   * {@code events-duplicate}, {@code events-dead-lettered}, {@code alerts-raised}, {@code
   * states-published}.
   */
  public long total(String operation) {
    return streams.metrics().entrySet().stream()
        .filter(
            e ->
                e.getKey().name().equals(operation + "-total")
                    && e.getKey().group().contains("parley"))
        .mapToLong(e -> ((Number) e.getValue().metricValue()).longValue())
        .sum();
  }

  public KafkaStreams streams() {
    return streams;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Stops processing, commits, and leaves the group so that another instance takes over at once.
   */
  @Override
  public void close() {
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
  }
}
