package org.parley.topology;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.parley.avro.Alert;
import org.parley.client.ParleyClients;
import org.parley.client.Topics;
import org.parley.core.PartitionFold;
import org.parley.core.TalkFold;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole events topic folded again into fresh output topics, up to where it ended when the
 * refold began: a rebuild. Each partition goes through the same {@link RawEventFold} and {@link
 * StoreLedger} as in the live pipeline, so a record is refused or applied the same way and the same
 * alerts come out, byte for byte, in the same order; only the driver differs.
 *
 * <p>Why not Kafka Streams, as the live pipeline: a rebuild has no one to resume it. It starts over
 * if it stops (and removes what it wrote), so it needs neither changelogs for its stores nor a
 * transaction per commit to make its progress survive a crash. Kafka Streams would pay for both on
 * every record (about half of the bytes a rebuild wrote were changelogs, and a commit's markers and
 * flushes every second); here the stores are a local RocksDB without a write-ahead log, the output
 * goes out through an idempotent producer in large batches. A partition writes its talks back to
 * the stores every {@link #RECORDS_PER_WRITE_BACK} records or {@link #BYTES_PER_WRITE_BACK} bytes,
 * or when {@link StoreLedger#full}, and each talk's state is published once, when the partition is
 * done: the output topic then holds every talk's latest state, which is what the state topic
 * promises, and none of the states in between, which nobody reads from a rebuild. Its output is
 * complete, and so final, only when {@link #run} returns; a failure part way is the caller's to
 * clean up.
 */
public final class Refold {
  private static final Logger LOG = LoggerFactory.getLogger(Refold.class);

  /**
   * Records of one partition between two write-backs, at most: bounds the history entries and seen
   * ids held between them, and is counted in records, not time, so that the same log publishes the
   * same states.
   */
  public static final int RECORDS_PER_WRITE_BACK = 10_000;

  /**
   * Bytes of records (keys and values) of one partition between two write-backs, at most, give or
   * take the record that crosses it: the ledger holds each applied event's bytes until then, and
   * 10,000 events can be up to 64 KB each.
   */
  public static final long BYTES_PER_WRITE_BACK = 16L * 1024 * 1024;

  /**
   * What the refold did, over all partitions, and the CPU its folding threads used (they are gone
   * when it returns, so whoever measures a process's threads cannot ask them).
   */
  public record Totals(
      boolean finished,
      long records,
      long applied,
      long duplicates,
      long deadLettered,
      long alerts,
      long states,
      Duration foldingCpu) {}

  /** What Kafka Streams' dead-letter builder reads of a record whose processing threw. */
  private record DefectContext(
      String topic,
      int partition,
      long offset,
      Headers headers,
      String processorNodeId,
      TaskId taskId,
      long timestamp,
      byte[] sourceRawKey,
      byte[] sourceRawValue)
      implements ErrorHandlerContext {}

  /** Where a record was in the log, for the talk states it changed and for the log. */
  private record Place(String topic, int partition, long offset, long timestamp)
      implements RecordMetadata {}

  private final Topics topics;
  private final TalkFold talkFold;
  private final RawEventFold.Rules rules;
  private final Instant alertsFrom;
  private final KafkaProducer<byte[], byte[]> producer;
  private final LocalStores stores;
  private final Serializer<String> keys = new StringSerializer();
  private final Serializer<Alert> alertValues;
  private final AtomicReference<Exception> failed = new AtomicReference<>();

  /** The rebuild's own store: when each talk last changed (see {@link Partition#publish}). */
  static final String CHANGED_AT_STORE = "changed-at";

  /** The threads that fold, named so that whoever counts a process's threads can tell them. */
  public static final String THREAD_PREFIX = "parley-rebuild-fold-";

  /**
   * Counted down once the broker leads every output partition ({@link #awaitLeaders}): nothing is
   * sent before.
   */
  private final CountDownLatch leading = new CountDownLatch(1);

  /** Set when the folding threads should stop: the caller asked, or one of them failed. */
  private volatile boolean stopping;

  /** The first folding thread's failure, if one failed. */
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

  /** Whether the caller asked the refold to stop. */
  private boolean stopped;

  /** How far each partition has been read: its consumer's position, at most its end. */
  private final Map<Integer, Long> positions = new ConcurrentHashMap<>();

  /** CPU the folding threads used, summed as each ends. */
  private final AtomicLong foldingCpu = new AtomicLong();

  private Refold(
      String bootstrap,
      Map<String, Object> client,
      Path stateDir,
      Topics topics,
      TalkFold talkFold,
      RawEventFold.Rules rules,
      Instant alertsFrom) {
    this.topics = topics;
    this.talkFold = talkFold;
    this.rules = rules;
    this.alertsFrom = alertsFrom;
    this.alertValues = topics.alerts().valueSerializer();
    Map<String, Object> config = ParleyClients.producerConfig(bootstrap, client);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // A talk's state can be up to 8 MB, as in the pipeline.
    config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    // Nobody waits for a rebuild's records one by one: few, large requests cost the broker least.
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    this.stores = new LocalStores(stateDir);
    try {
      this.producer =
          new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    } catch (RuntimeException e) {
      stores.close();
      throw e;
    }
  }

  /**
   * Folds every partition of the events topic from its start to {@code end} (offsets after the last
   * record to fold, by partition) and publishes what comes out to {@code topics}' output topics,
   * which must exist with as many partitions as the events topic. Returns once everything it
   * published is acknowledged, or, unfinished, soon after {@code stop} says so.
   *
   * <p>Partitions are folded side by side, one thread a core (no more than there are partitions):
   * they share nothing but the producer and the local RocksDB, both made for it.
   *
   * @param progress told how many records have been folded, now and then
   */
  public static Totals run(
      String bootstrap,
      Map<String, Object> client,
      Path stateDir,
      Topics topics,
      TalkFold talkFold,
      RawEventFold.Rules rules,
      Instant alertsFrom,
      Map<Integer, Long> end,
      LongConsumer progress,
      BooleanSupplier stop)
      throws InterruptedException {
    Refold refold = new Refold(bootstrap, client, stateDir, topics, talkFold, rules, alertsFrom);
    boolean finished = false;
    try {
      Totals totals =
          refold.fold(ParleyClients.consumerConfig(bootstrap, client), end, progress, stop);
      finished = totals.finished();
      return totals;
    } finally {
      // Stopped or failed, what the producer still holds is for topics about to be deleted: it
      // need not be delivered first (a Ctrl-C has a minute for all of the cleaning up).
      refold.producer.close(finished ? Duration.ofSeconds(30) : Duration.ZERO);
      refold.stores.close();
    }
  }

  private Totals fold(
      Map<String, Object> reader,
      Map<Integer, Long> end,
      LongConsumer progress,
      BooleanSupplier stop)
      throws InterruptedException {
    List<Integer> toRead = end.keySet().stream().filter(p -> end.get(p) > 0).sorted().toList();
    int threads = Math.max(1, Math.min(toRead.size(), Runtime.getRuntime().availableProcessors()));
    List<Reader> readers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      List<Integer> share = new ArrayList<>();
      for (int j = i; j < toRead.size(); j += threads) {
        share.add(toRead.get(j));
      }
      readers.add(new Reader(reader, share, end));
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            new ThreadFactory() {
              private int made;

              @Override
              public synchronized Thread newThread(Runnable work) {
                return new Thread(work, THREAD_PREFIX + (++made));
              }
            });
    CountDownLatch finishing = new CountDownLatch(readers.size());
    try {
      for (Reader each : readers) {
        pool.execute(
            () -> {
              try {
                each.run();
              } finally {
                finishing.countDown();
              }
            });
      }
      // While the folding threads make their consumers and read their first records (about a
      // tenth of a second here): they wait for this only at their first send.
      try {
        if (awaitLeaders(reader, end.size(), stop)) {
          leading.countDown();
        }
      } catch (RuntimeException | Error e) {
        firstFailure.compareAndSet(null, e);
        stopping = true;
      }
      boolean abandoned = false;
      while (finishing.getCount() > 0) {
        if (!stopped && stop.getAsBoolean()) {
          stopped = true;
          stopping = true;
        }
        if (stopping && !abandoned) {
          // Stopped, or a folding thread failed. Another may be blocked on a full producer buffer
          // (up to max.block.ms): what the producer holds is for topics about to be deleted, so it
          // goes, and the send returns.
          abandoned = true;
          producer.close(Duration.ZERO);
        }
        progress.accept(read());
        finishing.await(100, TimeUnit.MILLISECONDS); // returns as soon as the last thread ends
      }
      // The first failure is the cause: the others may only have met the producer closed after it.
      Throwable first = firstFailure.get();
      if (!stopped && first != null) {
        throw first instanceof RuntimeException problem
            ? problem
            : new IllegalStateException(first.toString(), first);
      }
    } finally {
      stopping = true;
      pool.shutdown();
      // The stores are closed once this returns: no folding thread may still be using them. Each
      // sees the flag after at most one poll's records.
      while (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("waiting for the rebuild's folding threads to stop");
      }
    }
    if (stopped) {
      return totals(false, readers); // once no thread is adding to what it counts
    }
    progress.accept(read());
    producer.flush();
    throwIfFailed();
    return totals(true, readers);
  }

  /**
   * Waits until the broker leads every partition of the output topics, which were just created: it
   * answers a partition's end offset only then. A produce request that reaches a partition before
   * can be overtaken by the producer's next one, and the idempotent producer then retries the first
   * until it times out, its records lost to the rebuild (KAFKA-15591, fixed in the broker after
   * Kafka 4.3; seen here once in a bench run, on a loaded machine).
   */
  private boolean awaitLeaders(Map<String, Object> reader, int partitions, BooleanSupplier stop) {
    List<TopicPartition> outputs = new ArrayList<>();
    for (String topic :
        List.of(topics.talkState().name(), topics.alerts().name(), topics.deadLetters().name())) {
      for (int partition = 0; partition < partitions; partition++) {
        outputs.add(new TopicPartition(topic, partition));
      }
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(reader, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      while (true) {
        if (stopping) {
          return false; // a folding thread failed meanwhile
        }
        if (stop.getAsBoolean()) {
          stopped = true;
          stopping = true;
          return false;
        }
        try {
          consumer.endOffsets(outputs, Duration.ofSeconds(1));
          return true;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "the broker did not take the lead of the rebuild's new topics within a minute", e);
          }
        }
      }
    }
  }

  /** One thread's share of the partitions, read by its own consumer. */
  private final class Reader {
    private final Map<String, Object> config;
    private final List<Integer> share;
    private final Map<Integer, Long> end;
    private final Map<Integer, Partition> partitions = new HashMap<>();

    Reader(Map<String, Object> config, List<Integer> share, Map<Integer, Long> end) {
      this.config = new HashMap<>(config);
      this.config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
      // A partition whose position falls out of the log (records deleted under the rebuild) must
      // fail it, not skip to the end and leave a talk's events out.
      this.config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
      this.share = share;
      this.end = end;
    }

    void run() {
      String topic = topics.events().name();
      KafkaConsumer<byte[], byte[]> consumer = null;
      try {
        consumer =
            new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> reading = new ArrayList<>();
        for (int partition : share) {
          reading.add(new TopicPartition(topic, partition));
          partitions.put(partition, new Partition(partition));
        }
        consumer.assign(reading);
        consumer.seekToBeginning(reading);
        while (!reading.isEmpty()) {
          if (stopping) {
            return;
          }
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.offset() < end.get(record.partition())) {
              partitions.get(record.partition()).fold(record);
            }
          }
          throwIfFailed();
          // Read_committed positions step over transaction markers and aborted records, so a
          // partition is done when its position reaches the end, whether or not a record sat
          // there.
          List<TopicPartition> done = new ArrayList<>();
          for (TopicPartition partition : reading) {
            long position = Math.min(consumer.position(partition), end.get(partition.partition()));
            positions.put(partition.partition(), position);
            if (position >= end.get(partition.partition())) {
              done.add(partition);
            }
          }
          if (!done.isEmpty()) {
            reading.removeAll(done);
            consumer.pause(done);
          }
        }
        for (Partition partition : partitions.values()) {
          partition.writeBack();
          partition.publish();
        }
      } catch (RuntimeException | Error e) {
        firstFailure.compareAndSet(null, e);
        // Reported by the thread that waits for this one (thrown from here, it would only be
        // printed). The other threads need not fold on for output that will be removed.
        stopping = true;
      } finally {
        foldingCpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
        if (consumer != null) {
          // It has no group to leave and nothing to commit: closing need not wait for a fetch the
          // broker may still be holding open (up to fetch.max.wait.ms, half a second).
          consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
      }
    }
  }

  /** Records of the log read so far, as offsets count them (transaction markers included). */
  private long read() {
    return positions.values().stream().mapToLong(Long::longValue).sum();
  }

  private Totals totals(boolean finished, List<Reader> readers) {
    long applied = 0;
    long duplicates = 0;
    long deadLettered = 0;
    long alerts = 0;
    long states = 0;
    for (Reader reader : readers) {
      for (Partition partition : reader.partitions.values()) {
        applied += partition.applied;
        duplicates += partition.duplicates;
        deadLettered += partition.deadLettered;
        alerts += partition.alerts;
        states += partition.states;
      }
    }
    return new Totals(
        finished,
        read(),
        applied,
        duplicates,
        deadLettered,
        alerts,
        states,
        Duration.ofNanos(foldingCpu.get()));
  }

  private void throwIfFailed() {
    Exception problem = failed.get();
    if (problem != null) {
      throw new IllegalStateException(
          "the rebuild could not write its output: " + problem, problem);
    }
  }

  private void send(String topic, byte[] key, byte[] value, Long timestamp, Headers headers) {
    while (leading.getCount() > 0) {
      if (stopping) {
        return; // for output about to be removed
      }
      try {
        leading.await(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the output topics' leaders", e);
      }
    }
    producer.send(
        new ProducerRecord<>(topic, null, timestamp, key, value, headers),
        (metadata, problem) -> {
          if (problem != null) {
            failed.compareAndSet(null, problem);
          }
        });
  }

  /** One partition of the events topic, folded as the pipeline's task for it folds it. */
  private final class Partition {
    private final StoreLedger ledger;
    private final RawEventFold fold;

    /** The talks as last written back: what {@link #publish} sends. */
    private final KeyValueStore<String, byte[]> talks;

    /**
     * When each talk last changed, as of its last write-back: the time its state is published with,
     * the time of the record that changed it last, as the pipeline publishes it.
     */
    private final KeyValueStore<String, Long> changedAt;

    private int sinceWriteBack;
    private long bytesSinceWriteBack;
    private long applied;
    private long duplicates;
    private long deadLettered;
    private long alerts;
    private long states;

    Partition(int partition) {
      talks = stores.store(ParleyTopology.TALKS_STORE, partition, Serdes.ByteArray());
      changedAt = stores.store(CHANGED_AT_STORE, partition, Serdes.Long());
      ledger =
          new StoreLedger(
              talks,
              stores.store(ParleyTopology.SEEN_EVENTS_STORE, partition, Serdes.Long()),
              stores.store(ParleyTopology.WAKE_UPS_STORE, partition, Serdes.String()),
              stores.store(ParleyTopology.TALK_HISTORY_STORE, partition, Serdes.ByteArray()));
      fold = new RawEventFold(new PartitionFold(talkFold, ledger), rules, ledger);
    }

    void fold(ConsumerRecord<byte[], byte[]> record) {
      Place place =
          new Place(record.topic(), record.partition(), record.offset(), record.timestamp());
      ledger.folding(place);
      RawEventFold.Result result;
      try {
        result = fold.accept(record.key(), record.value(), record.timestamp());
      } catch (RuntimeException defect) {
        // What the pipeline's processing exception handler does with it: log it, dead-letter the
        // record with the exception, and carry on.
        LOG.error(
            "a defect folding {}-{}@{}", place.topic(), place.partition(), place.offset(), defect);
        deadLetterDefect(record, place, defect);
        return;
      }
      if (result instanceof RawEventFold.Result.Applied done) {
        applied++;
        for (Alert alert : done.alerts()) {
          if (alertsFrom != null && alert.getEventTime().isBefore(alertsFrom)) {
            continue;
          }
          alerts++;
          String to = topics.alerts().name();
          send(
              to,
              keys.serialize(to, alert.getTalkId()),
              alertValues.serialize(to, alert),
              record.timestamp(),
              new RecordHeaders());
        }
      } else if (result instanceof RawEventFold.Result.DeadLettered refused) {
        deadLettered++;
        Record<byte[], byte[]> letter =
            DeadLetter.of(
                new Record<>(record.key(), record.value(), record.timestamp()),
                place,
                refused.kind(),
                refused.reason());
        send(
            topics.deadLetters().name(),
            letter.key(),
            letter.value(),
            letter.timestamp(),
            letter.headers());
      } else {
        duplicates++;
      }
      bytesSinceWriteBack += record.serializedValueSize() + Math.max(0, record.serializedKeySize());
      if (ledger.full()
          || ++sinceWriteBack >= RECORDS_PER_WRITE_BACK
          || bytesSinceWriteBack >= BYTES_PER_WRITE_BACK) {
        writeBack();
      }
    }

    void writeBack() {
      sinceWriteBack = 0;
      bytesSinceWriteBack = 0;
      if (!ledger.pending()) {
        return;
      }
      ledger.writeBack(
          (talkId, encoded, source) -> changedAt.put(talkId, ((Place) source).timestamp()));
    }

    /**
     * Publishes every talk of the partition once, as last written back: a rebuild's state topic
     * ends with each talk's latest state, as the pipeline's does, without the states in between (on
     * the bench's log, four times as many states as talks).
     */
    void publish() {
      String to = topics.talkState().name();
      try (KeyValueIterator<String, byte[]> each = talks.all()) {
        while (each.hasNext() && !stopping) {
          KeyValue<String, byte[]> talk = each.next();
          Long at = changedAt.get(talk.key);
          states++;
          send(to, keys.serialize(to, talk.key), talk.value, at, new RecordHeaders());
        }
      }
    }

    /**
     * The dead letter Kafka Streams' processing exception handler writes for the live pipeline
     * (built by the same code), for a record whose fold threw.
     */
    private void deadLetterDefect(
        ConsumerRecord<byte[], byte[]> record, Place place, RuntimeException defect) {
      deadLettered++;
      ProducerRecord<byte[], byte[]> letter =
          ExceptionHandlerUtils.buildDeadLetterQueueRecord(
              topics.deadLetters().name(),
              record.key(),
              record.value(),
              new DefectContext(
                  place.topic(),
                  place.partition(),
                  place.offset(),
                  record.headers(),
                  ParleyTopology.FOLD_PROCESSOR,
                  new TaskId(0, place.partition()),
                  place.timestamp(),
                  record.key(),
                  record.value()),
              defect);
      send(letter.topic(), letter.key(), letter.value(), record.timestamp(), letter.headers());
    }
  }
}
