package org.parley.app.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.parley.app.replay.EventLog;
import org.parley.app.replay.Rebuild;
import org.parley.app.runtime.ClockKeys;
import org.parley.app.runtime.EmbeddedBroker;
import org.parley.app.runtime.TopicAdmin;
import org.parley.avro.Alert;
import org.parley.avro.AlertType;
import org.parley.avro.CommitmentMade;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.CommitmentStatusChanged;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.Source;
import org.parley.avro.TalkAnnounced;
import org.parley.client.ParleyClients;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.core.TalkFold;
import org.parley.ingest.EventPublisher;
import org.parley.ingest.SyntheticLog;
import org.parley.model.StoryTime;
import org.parley.topology.BoundedRocksDb;
import org.parley.topology.Pipeline;
import org.parley.topology.RawEventFold;
import org.parley.topology.Refold;

/**
 * The benchmark behind `parley bench`, with the Kafka broker in this process: a synthetic log is
 * published, then (a) a plain consumer reads it, (a2) the smallest exactly-once Kafka Streams app
 * folds it, (a3) the same app writing two records per event, (b) the exactly-once pipeline folds
 * it, (a4) the (a2) app writes the alerts and states (b) published, as many and as big (each
 * Streams application twice: JIT cold, then warm, (a2) warm three times; (a4) between (b)'s runs,
 * as it needs (b)'s count), (c) publish-to-alert latency is measured at a fixed offered rate, (c2)
 * the same load goes through the smallest exactly-once Streams app (both after the same untimed
 * warm-up, and after (c2)'s load has warmed the broker up for both), (d) it is rebuilt, and (e)
 * peak heap and resident memory are taken.
 *
 * <p>Everything it starts (broker, pipelines, clients, threads, the temporary directory) is closed
 * on every path out, failures included.
 */
public final class Bench {

  /**
   * What to measure: the log's size, the latency runs' load (timed for {@code latencySeconds} after
   * at least {@code warmUpSeconds} of the same load untimed, and then until the JIT settles, for at
   * most {@code warmUpMaxSeconds}: see {@link WarmUp}), and the pipeline's commit interval (null:
   * Parley's).
   */
  public record Settings(
      int talks,
      int events,
      int rate,
      int latencySeconds,
      int warmUpSeconds,
      int warmUpMaxSeconds,
      Integer commitInterval,
      int partitions,
      boolean skipRebuild) {}

  private final Settings settings;
  private final PrintWriter progress;

  public Bench(Settings settings, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs every measure, printing what it does to {@code progress}; returns the table's numbers. */
  public Result run() throws Exception {
    Path dir = Files.createTempDirectory("parley-bench");
    Map<String, Object> client = Map.of();
    try (HeapWatch heap = new HeapWatch();
        EmbeddedBroker broker =
            EmbeddedBroker.start(
                new EmbeddedBroker.Settings(dir.resolve("kafka"), freePort(), freePort()))) {
      String bootstrap = broker.bootstrapServers();
      Topics topics = Topics.standard();
      try (TopicAdmin admin = new TopicAdmin(bootstrap, client)) {
        admin.create(topics, settings.partitions(), (short) 1);
      }
      progress.printf(
          "publishing %,d events over %,d talks...%n", settings.events(), settings.talks());
      double publishRate = publish(bootstrap, client, topics);

      progress.println("(a) reading with a plain consumer...");
      double consumerRate = plainConsumerRate(bootstrap, topics);

      // Each Kafka Streams application runs twice over the same log, under a new application id:
      // the first run pays for the JIT compiling its code (on two cores, most of a short run), the
      // second shows what it does once compiled, as a pipeline that runs for days does. (a2), the
      // yardstick of (b) and (d), runs warm WARM_RUNS times and counts its median run (as (d)).
      progress.printf(
          "(a2) counting per talk with a plain Kafka Streams app (exactly_once_v2), %d times...%n",
          WARM_RUNS + 1);
      double floorCold =
          plainStreamsRate(
                  bootstrap, topics, dir.resolve("floor"), "parley-bench-floor-1", Writes.NOTHING)
              .rate();
      List<Run> floorRuns = new ArrayList<>();
      for (int run = 2; run <= WARM_RUNS + 1; run++) {
        floorRuns.add(
            plainStreamsRate(
                bootstrap,
                topics,
                dir.resolve("floor"),
                "parley-bench-floor-" + run,
                Writes.NOTHING));
      }
      Run floor = median(floorRuns);
      double floorRate = floor.rate();

      progress.println(
          "(a3) the same app also writing two records per event (an output and a store entry), twice...");
      try (TopicAdmin admin = new TopicAdmin(bootstrap, client)) {
        admin
            .admin()
            .createTopics(List.of(new NewTopic(COPIES, settings.partitions(), (short) 1)))
            .all()
            .get();
      }
      plainStreamsRate(
          bootstrap,
          topics,
          dir.resolve("floor"),
          "parley-bench-writes-1",
          Writes.COPIES_AND_ENTRIES);
      double writesRate =
          plainStreamsRate(
                  bootstrap,
                  topics,
                  dir.resolve("floor"),
                  "parley-bench-writes-2",
                  Writes.COPIES_AND_ENTRIES)
              .rate();

      progress.println("(b) folding with the exactly-once pipeline, twice...");
      Map<String, Object> streams = new HashMap<>(client);
      if (settings.commitInterval() != null) {
        streams.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval());
      }
      TalkFold fold = new TalkFold(DeadlineClock.standard());
      RawEventFold.Rules rules =
          new RawEventFold.Rules(
              ClockKeys.seal(bootstrap, client), StoryTime.DEFAULT_FUTURE_TOLERANCE);
      double pipelineCold;
      List<Written> written;
      try (Pipeline pipeline =
          new Pipeline(
              new Pipeline.Settings(
                  bootstrap,
                  "parley-bench-cold",
                  dir.resolve("cold"),
                  Topics.withOutputSuffix(".cold"),
                  fold,
                  rules,
                  streams))) {
        try (TopicAdmin admin = new TopicAdmin(bootstrap, client)) {
          admin.create(Topics.withOutputSuffix(".cold"), settings.partitions(), (short) 1);
        }
        pipeline.start();
        pipeline.awaitRunning(Duration.ofMinutes(2));
        long running = System.nanoTime();
        awaitCommitted(bootstrap, "parley-bench-cold", topics);
        pipelineCold = settings.events() / seconds(running);
        written = written(bootstrap, "parley-bench-cold", ".cold");
      }
      Outputs outputs = outputs(bootstrap, Topics.withOutputSuffix(".cold"));
      progress.printf(
          "(a4) the (a2) app also writing what (b) published: %.3f alerts and %.3f states per event, twice...%n",
          outputs.alertsPerEvent(), outputs.statesPerEvent());
      Topics floorOutputs = Topics.withOutputSuffix(".floor");
      try (TopicAdmin admin = new TopicAdmin(bootstrap, client)) {
        admin.create(floorOutputs, settings.partitions(), (short) 1);
      }
      Writes contract = Writes.outputsOf(outputs, floorOutputs);
      plainStreamsRate(bootstrap, topics, dir.resolve("floor"), "parley-bench-outputs-1", contract);
      double outputsRate =
          plainStreamsRate(
                  bootstrap, topics, dir.resolve("floor"), "parley-bench-outputs-2", contract)
              .rate();
      Outputs outputsWritten = outputs(bootstrap, floorOutputs);
      progress.println("(b) second run, JIT warm...");
      double pipelineRate;
      CpuUse pipelineCpu;
      double startup;
      Latency latency;
      CommitTimes latencyCommits;
      try (Pipeline pipeline =
          new Pipeline(
              new Pipeline.Settings(
                  bootstrap,
                  "parley-bench",
                  dir.resolve("streams"),
                  topics,
                  fold,
                  rules,
                  streams))) {
        pipeline.start();
        long started = System.nanoTime();
        pipeline.awaitRunning(Duration.ofMinutes(2));
        long running = System.nanoTime();
        CpuUse.Start cpu = CpuUse.start();
        awaitCommitted(bootstrap, "parley-bench", topics);
        pipelineCpu = cpu.end();
        pipelineRate = settings.events() / seconds(running);
        startup = (running - started) / 1e9;

        // Whichever latency run comes first warms up the broker's and the clients' code for this
        // load (small transactions, read committed), which the JIT is still compiling then: up to
        // a core of it ((c2) run first had p99 73 ms against 64 and 65 run second). (c2)'s load,
        // untimed, pays for both, so that neither is timed beside a compiler warming up the other's
        // path.
        warmUpBroker(bootstrap, client, dir.resolve("floor"));
        progress.printf(
            "(c) publish-to-alert latency at %,d events/s for %d s, after %s untimed...%n",
            settings.rate(),
            settings.latencySeconds(),
            settings.warmUpMaxSeconds() > settings.warmUpSeconds()
                ? String.format(
                    "%d to %d s (until the JIT settles)",
                    settings.warmUpSeconds(), settings.warmUpMaxSeconds())
                : settings.warmUpSeconds() + " s");
        latency = latency(bootstrap, topics, pipeline);
        latencyCommits = latency.commits();
      }
      progress.printf(
          "(c2) the same latency through a plain Kafka Streams app copying each event (exactly_once_v2)...%n");
      FloorLatency floorLatency =
          plainStreamsLatency(bootstrap, client, dir.resolve("floor"), true);

      double rebuildCold = Double.NaN;
      List<Run> rebuildRuns = new ArrayList<>();
      if (!settings.skipRebuild()) {
        // As (a2): a first run that pays for compiling the rebuild's own code (its readers, its
        // local stores), which on two cores is most of a run this short, then WARM_RUNS counted.
        progress.printf("(d) rebuilding, %d times...%n", WARM_RUNS + 1);
        for (int run = 0; run <= WARM_RUNS; run++) {
          CpuUse.Start cpu = CpuUse.start();
          Rebuild.Result rebuilt =
              Rebuild.run(
                  bootstrap,
                  client,
                  dir,
                  fold,
                  rules,
                  null,
                  // A second apart, so the rebuilds' output topics have different names.
                  Clock.offset(Clock.systemUTC(), Duration.ofSeconds(run)),
                  progress,
                  () -> false);
          Run measured =
              new Run(
                  rebuilt.folded().records() / (rebuilt.took().toMillis() / 1000.0),
                  cpu.end(rebuilt.folded().foldingCpu().toNanos() / 1e9));
          if (run == 0) {
            rebuildCold = measured.rate();
          } else {
            rebuildRuns.add(measured);
          }
        }
      }
      Run rebuild = rebuildRuns.isEmpty() ? null : median(rebuildRuns);
      return new Result(
          settings,
          publishRate,
          consumerRate,
          floorCold,
          floorRate,
          rates(floorRuns),
          floor.cpu(),
          writesRate,
          outputs,
          outputsRate,
          outputsWritten,
          pipelineCold,
          pipelineRate,
          pipelineCpu,
          startup,
          written,
          latency,
          latencyCommits,
          floorLatency,
          rebuildCold,
          rebuild == null ? Double.NaN : rebuild.rate(),
          rates(rebuildRuns),
          rebuild == null ? null : rebuild.cpu(),
          heap.peak(),
          peakRss());
    } finally {
      Rebuild.deleteRecursively(dir);
    }
  }

  /**
   * The numbers of one run. {@code outputsWritten} is what (a4)'s two runs wrote between them, read
   * back from their topics.
   */
  public record Result(
      Settings settings,
      double publishRate,
      double consumerRate,
      double floorCold,
      double floorRate,
      List<Double> floorWarm,
      CpuUse floorCpu,
      double writesRate,
      Outputs outputs,
      double outputsRate,
      Outputs outputsWritten,
      double pipelineCold,
      double pipelineRate,
      CpuUse pipelineCpu,
      double startupSeconds,
      List<Written> written,
      Latency latency,
      CommitTimes latencyCommits,
      FloorLatency floorLatency,
      double rebuildCold,
      double rebuildRate,
      List<Double> rebuildWarm,
      CpuUse rebuildCpu,
      long peakHeap,
      String peakRss) {

    /** The table `parley bench` prints. */
    public void print(PrintWriter out) {
      Histogram histogram = latency.histogram();
      out.printf(
          "%nParley bench: %,d talks, %,d events, %d partitions; broker in this process; %d cores, Java %s,"
              + " max heap %,d MB%n",
          settings.talks(),
          settings.events(),
          settings.partitions(),
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"),
          Runtime.getRuntime().maxMemory() >> 20);
      out.println("  measure                                          result");
      out.printf(
          "  publish (transactions of 1,000)                   %,10.0f events/s%n", publishRate);
      out.printf(
          "  (a) plain consumer read (the ceiling)             %,10.0f records/s%n", consumerRate);
      out.printf(
          "  (a2) plain Kafka Streams count per talk, EOS v2   %,10.0f records/s   (median of %s;"
              + " first run, JIT cold: %,.0f)%n",
          floorRate, describe(floorWarm), floorCold);
      out.println(floorCpu.describe("(a2), median run"));
      out.printf(
          "  (a3) (a2) writing 2 records per event             %,10.0f records/s   (a3)/(a2) = %.3f%n",
          writesRate, writesRate / floorRate);
      out.printf(
          "  (a4) (a2) writing what (b) published              %,10.0f records/s   (a4)/(a2) = %.3f"
              + "   (%.3f alerts of %,d bytes and %.3f talk states of %,d bytes per event,"
              + " as (b)'s first run: the records Parley's contract asks for, with no work to make"
              + " them)%n",
          outputsRate,
          outputsRate / floorRate,
          outputs.alertsPerEvent(),
          outputs.alertBytes(),
          outputs.statesPerEvent(),
          outputs.stateBytes());
      out.printf(
          "  (b) pipeline, exactly_once_v2, output committed   %,10.0f events/s   (b)/(a) = %.3f"
              + "   (b)/(a2) = %.3f   (b)/(a3) = %.3f   (b)/(a4) = %.3f   (startup %.1f s not"
              + " counted)%n",
          pipelineRate,
          pipelineRate / consumerRate,
          pipelineRate / floorRate,
          pipelineRate / writesRate,
          pipelineRate / outputsRate,
          startupSeconds);
      out.printf(
          "      first run, JIT cold                         %,10.0f events/s   (b)/(a2) = %.3f, both cold%n",
          pipelineCold, pipelineCold / floorCold);
      out.println(pipelineCpu.describe("(b), second run"));
      out.println("      what (b) wrote per event of the log, by topic (first run; offsets count");
      out.println("      transaction markers too; bytes as stored by the broker):");
      for (Written topic : written) {
        out.printf(
            "        %-34s %6.3f records %7.0f bytes%n",
            topic.topic(), topic.recordsPerEvent(), topic.bytesPerEvent());
      }
      out.printf(
          "  (c) publish-to-alert at %,d events/s offered      %s   (%,d sent and timed after %s;"
              + " %,d alerts)%n",
          settings.rate(),
          percentiles(histogram),
          latency.sent(),
          latency.warmUp(),
          histogram.getTotalCount());
      out.printf(
          "      of which until the broker appended the alert   %s"
              + " (Kafka Streams' producer sends at the commit's flush, or after 100 ms);"
              + " the rest is the commit and the read%n",
          percentiles(latency.appended()));
      out.println(latencyCommits.describe("(c)"));
      out.println(latency.cpu().describe("(c), timed part"));
      out.printf(
          "  (c2) the same through plain Kafka Streams, EOS v2  %s"
              + "   (a stateless copy of each event to an output topic, same commit interval:"
              + " exactly-once Kafka Streams doing nothing else; timed after %s)%n",
          percentiles(floorLatency.histogram()), floorLatency.warmUp());
      out.println(floorLatency.commits().describe("(c2)"));
      out.println(floorLatency.cpu().describe("(c2), timed part"));
      out.println(
          settings.skipRebuild()
              ? "  (d) rebuild                                       skipped"
              : String.format(
                  "  (d) rebuild                                       %,10.0f records/s   (d)/(a2) = %.3f"
                      + "   (median of %s; first run, JIT cold: %,.0f)",
                  rebuildRate, rebuildRate / floorRate, describe(rebuildWarm), rebuildCold));
      if (rebuildCpu != null) {
        out.println(
            rebuildCpu.describe(
                "(d), median run (the rebuild's folding threads as stream threads)"));
      }
      out.printf(
          "  (e) peak heap used / peak resident memory          %,d MB / %s%n",
          peakHeap >> 20, peakRss);
      out.printf(
          "  commit.interval.ms %s, (d) none (a rebuild writes back every %,d records or %d MB"
              + " of a partition); RocksDB budget %d MB shared by all stores%n",
          settings.commitInterval() == null
              ? Pipeline.COMMIT_INTERVAL_MS + " (Parley's default)"
              : settings.commitInterval().toString(),
          Refold.RECORDS_PER_WRITE_BACK,
          Refold.BYTES_PER_WRITE_BACK >> 20,
          BoundedRocksDb.BUDGET >> 20);
    }
  }

  /** The synthetic log, published in transactions of 1,000; returns events/s. */
  private double publish(String bootstrap, Map<String, Object> client, Topics topics) {
    long started = System.nanoTime();
    try (EventPublisher publisher =
        new EventPublisher(bootstrap, client, topics.events(), "bench")) {
      List<DiplomaticEvent> batch = new ArrayList<>(1_000);
      SyntheticLog log = new SyntheticLog(settings.talks(), settings.events(), 42);
      while (log.hasNext()) {
        batch.add(log.next());
        if (batch.size() == 1_000 || !log.hasNext()) {
          publisher.publish(batch);
          batch.clear();
        }
      }
    }
    return settings.events() / seconds(started);
  }

  /**
   * (a2), the floor a Kafka Streams application cannot go below: the smallest one that reads the
   * events topic (as bytes, no decoding) and keeps a count per talk, with exactly_once_v2 and the
   * same commit interval as Parley's pipeline, timed from running to its offsets committed at the
   * end.
   *
   * <p>(a3), with {@code writes}: the same application also writing two records per event, as
   * Parley's pipeline must (here an alert or so per event, and the event in its talk's history):
   * each event copied to an output topic and put in a changelogged store under its own key. What
   * Kafka itself costs for those records, on the same broker and cores.
   */
  private Run plainStreamsRate(
      String bootstrap, Topics topics, Path stateDir, String applicationId, Writes writes)
      throws Exception {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<byte[], byte[]> events =
        builder.stream(
            topics.events().name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()));
    events.groupByKey().count(Materialized.as("talk-counts"));
    writes.add(builder, events);
    try (KafkaStreams streams = startPlainStreams(builder, bootstrap, applicationId, stateDir)) {
      long started = System.nanoTime();
      CpuUse.Start cpu = CpuUse.start();
      awaitCommitted(bootstrap, applicationId, topics);
      CpuUse used = cpu.end();
      return new Run(settings.events() / seconds(started), used);
    }
  }

  /** What a plain Kafka Streams app of the bench writes beside its count per talk. */
  private interface Writes {
    void add(StreamsBuilder builder, KStream<byte[], byte[]> events);

    /** (a2): nothing. */
    Writes NOTHING = (builder, events) -> {};

    /** (a3): each event copied to an output topic and put in a changelogged store. */
    Writes COPIES_AND_ENTRIES =
        (builder, events) -> {
          builder.addStateStore(
              Stores.keyValueStoreBuilder(
                      Stores.persistentKeyValueStore("entries"),
                      Serdes.ByteArray(),
                      Serdes.ByteArray())
                  .withCachingDisabled());
          events
              .process(() -> new EntryWriter(), "entries")
              .to(COPIES, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        };

    /**
     * (a4): the records Parley's contract makes it write, as many per event and as big as (b) wrote
     * them: alerts and talk states, to topics made as Parley's are.
     */
    static Writes outputsOf(Outputs outputs, Topics to) {
      return (builder, events) -> {
        events
            .process(() -> new Repeater(outputs.alertsPerEvent(), outputs.alertBytes()))
            .to(to.alerts().name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        events
            .process(() -> new Repeater(outputs.statesPerEvent(), outputs.stateBytes()))
            .to(to.talkState().name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
      };
    }
  }

  /**
   * What (b) published per event of the log, counted record by record from its committed output (no
   * transaction markers): alerts and talk states, and the mean size of their values (their keys are
   * talk ids, as the events' are).
   */
  public record Outputs(
      double alertsPerEvent, int alertBytes, double statesPerEvent, int stateBytes) {}

  private Outputs outputs(String bootstrap, Topics topics) {
    long[] alerts = read(bootstrap, topics.alerts().name());
    long[] states = read(bootstrap, topics.talkState().name());
    return new Outputs(
        alerts[0] / (double) settings.events(),
        (int) (alerts[1] / Math.max(1, alerts[0])),
        states[0] / (double) settings.events(),
        (int) (states[1] / Math.max(1, states[0])));
  }

  /** The committed records of a topic, read to its end: {count, bytes of their values}. */
  private static long[] read(String bootstrap, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        ParleyClients.committedReader(
            bootstrap,
            Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000),
            topic,
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      Set<TopicPartition> parts = consumer.assignment();
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long count = 0;
      long bytes = 0;
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          count++;
          bytes += record.serializedValueSize();
        }
      }
      return new long[] {count, bytes};
    }
  }

  /** A throughput, and where the process's CPU went while it was measured. */
  private record Run(double rate, CpuUse cpu) {}

  /**
   * Warm runs of (a2) and (d), the two ends of the rebuild's ratio, each counted by its median run.
   * A run takes a second or two here, with the JIT and the collector sharing the two cores, and one
   * run of (a2) ranged from 131,675 to 265,992 records/s over the benches of the fourteenth round
   * of issue 14: a single run left the ratio to chance.
   */
  static final int WARM_RUNS = 3;

  private static Run median(List<Run> runs) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingDouble(Run::rate));
    return sorted.get(sorted.size() / 2);
  }

  private static List<Double> rates(List<Run> runs) {
    return runs.stream().map(Run::rate).toList();
  }

  /** "3 warm runs: 1, 2, 3", the rates as measured, in order. */
  private static String describe(List<Double> warm) {
    return warm.size()
        + " warm runs: "
        + String.join(", ", warm.stream().map(r -> String.format("%,.0f", r)).toList());
  }

  /**
   * A plain Kafka Streams application as Parley's pipeline runs: exactly_once_v2, the same commit
   * interval; returned once running.
   */
  private KafkaStreams startPlainStreams(
      StreamsBuilder builder, String bootstrap, String applicationId, Path stateDir)
      throws InterruptedException {
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        settings.commitInterval() != null
            ? settings.commitInterval()
            : Pipeline.COMMIT_INTERVAL_MS);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    // As the pipeline sets it (see Pipeline.properties): a task of these apps reads one partition
    // too, and the yardstick should not pay for Kafka Streams formatting messages Parley skips.
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    CountDownLatch running = new CountDownLatch(1);
    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    streams.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
    streams.start();
    if (!running.await(2, TimeUnit.MINUTES)) {
      streams.close();
      throw new IllegalStateException(applicationId + " was not running after 2 minutes");
    }
    return streams;
  }

  /** The topics of (c2). */
  private static final String LATENCY_EVENTS = "parley-bench.latency-events";

  private static final String LATENCY_COPIES = "parley-bench.latency-copies";

  /** A header of (c2)'s events: when the event was due to be sent (System.nanoTime). */
  private static final String DUE = "parley-bench-due";

  /** (c2)'s load for the warm-up's seconds, untimed, on topics and an application of its own. */
  private void warmUpBroker(String bootstrap, Map<String, Object> client, Path stateDir)
      throws Exception {
    if (settings.warmUpSeconds() == 0) {
      return;
    }
    progress.printf(
        "warming up the broker for the latency runs: (c2)'s load for %d s, untimed...%n",
        settings.warmUpSeconds());
    plainStreamsLatency(bootstrap, client, stateDir, false);
  }

  /**
   * (c2), or with {@code timedRun} false only its untimed first seconds ({@link #warmUpBroker}):
   * publish-to-output latency through the smallest exactly-once Kafka Streams application, at (c)'s
   * offered load, with (c)'s events: each copied to an output topic, same commit interval, timed
   * from the moment (c) times from (when the event was due to be sent) to its copy being read
   * committed. A reference for what exactly-once Kafka Streams gives at this commit interval on
   * this machine, before Parley does anything. The first {@code warmUpSeconds} warm the application
   * up and are not timed, as (c)'s do.
   */
  private FloorLatency plainStreamsLatency(
      String bootstrap, Map<String, Object> client, Path stateDir, boolean timedRun)
      throws Exception {
    // The untimed run has topics and an application of its own, so the timed one starts afresh.
    String run = timedRun ? "" : "-untimed";
    String events = LATENCY_EVENTS + run;
    String copiesTopic = LATENCY_COPIES + run;
    try (TopicAdmin admin = new TopicAdmin(bootstrap, client)) {
      admin
          .admin()
          .createTopics(
              List.of(
                  new NewTopic(events, settings.partitions(), (short) 1),
                  new NewTopic(copiesTopic, settings.partitions(), (short) 1)))
          .all()
          .get();
    }
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(events, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
        .to(copiesTopic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
    Histogram histogram = new Histogram(TimeUnit.MINUTES.toNanos(5), 3);
    // The broker's warm-up before both latency runs is the minimum alone: each run then waits for
    // the JIT to settle on its own load.
    WarmUp warmUp =
        timedRun ? warmUp() : new WarmUp(settings.warmUpSeconds(), settings.warmUpSeconds());
    long timedEvents = timedRun ? (long) settings.rate() * settings.latencySeconds() : 0;
    AtomicLong received = new AtomicLong();
    AtomicBoolean listening = new AtomicBoolean(true);
    CommitTimes commits;
    CpuUse used;
    long total;
    try (KafkaStreams streams =
        startPlainStreams(builder, bootstrap, "parley-bench-latency-floor" + run, stateDir)) {
      KafkaConsumer<byte[], byte[]> copies =
          ParleyClients.committedReader(
              bootstrap,
              client,
              copiesTopic,
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
      try {
        copies.seekToBeginning(copies.assignment());
      } catch (RuntimeException e) {
        copies.close();
        throw e;
      }
      // The reader's thread owns its consumer, and closes it: a consumer is not for two threads.
      Thread reader =
          new Thread(
              () -> {
                try (copies) {
                  while (listening.get()) {
                    for (ConsumerRecord<byte[], byte[]> record :
                        copies.poll(Duration.ofMillis(100))) {
                      long now = System.nanoTime();
                      java.nio.ByteBuffer header =
                          java.nio.ByteBuffer.wrap(record.headers().lastHeader(DUE).value());
                      header.getLong(); // the event's index
                      long due = header.getLong();
                      if (header.getLong() == 1) { // timed
                        histogram.recordValue(Math.max(0, now - due));
                      }
                      received.incrementAndGet();
                    }
                  }
                }
              },
              "bench-copies");
      reader.start();
      try {
        Map<String, Object> producerConfig = ParleyClients.producerConfig(bootstrap, client);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        Instant base = Instant.parse("2020-01-01T00:00:00Z");
        Topics topics = Topics.standard();
        // Its commits are counted over the timed part only, as (c)'s are.
        CommitTimes[] timed = {null};
        CpuUse.Start[] cpu = {null};
        try (KafkaProducer<String, DiplomaticEvent> producer =
            new KafkaProducer<>(
                producerConfig,
                topics.events().keySerializer(),
                topics.events().valueSerializer())) {
          total =
              sendPaced(
                  warmUp,
                  timedEvents,
                  () -> {
                    timed[0] = CommitTimes.of(streams, System.nanoTime());
                    cpu[0] = CpuUse.start();
                  },
                  (i, due, timedEvent) -> {
                    DiplomaticEvent flip = flip(i, base);
                    ProducerRecord<String, DiplomaticEvent> record =
                        new ProducerRecord<>(events, flip.getTalkId(), flip);
                    record
                        .headers()
                        .add(
                            DUE,
                            java.nio.ByteBuffer.allocate(24)
                                .putLong(i)
                                .putLong(due)
                                .putLong(timedEvent ? 1 : 0)
                                .array());
                    producer.send(record);
                  });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < total && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        commits = CommitTimes.of(streams, System.nanoTime()).since(timed[0]);
        used = cpu[0].end();
      } finally {
        listening.set(false);
        reader.join(5_000);
      }
    }
    return new FloorLatency(histogram, warmUp.describe(), commits, used);
  }

  /** (c2)'s latencies, how its warm-up ended, and its commits while it was timed. */
  public record FloorLatency(Histogram histogram, String warmUp, CommitTimes commits, CpuUse cpu) {}

  /**
   * The {@code i}th event of a latency run: talk lat-(i mod 200)'s commitment flipping between
   * BREACHED and PLEDGED, so that each raises exactly one alert naming it as cause.
   */
  private static DiplomaticEvent flip(long i, Instant base) {
    String talk = "lat-" + (i % LATENCY_TALKS);
    return event(
        talk,
        "flip-" + i,
        base.plusMillis(i + 1),
        new CommitmentStatusChanged(
            "c",
            (i / LATENCY_TALKS) % 2 == 0 ? CommitmentStatus.BREACHED : CommitmentStatus.PLEDGED,
            null));
  }

  private static final int LATENCY_TALKS = 200;

  /**
   * One event of a latency run: its index, when it is due to be sent (System.nanoTime), and whether
   * it is timed (past the warm-up).
   */
  private interface PacedSend {
    void send(long index, long dueNanos, boolean timed);
  }

  /**
   * Sends events at the offered rate, each when it is due: untimed until the warm-up is over, then
   * {@code timedEvents} more, timed, running {@code startTiming} as the warm-up ends (before the
   * first of them, if any). Latency is counted from when the event was due, not when it was sent,
   * so a sender that falls behind cannot hide the delay. Returns how many it sent.
   */
  private long sendPaced(WarmUp warmUp, long timedEvents, Runnable startTiming, PacedSend send)
      throws InterruptedException {
    long start = System.nanoTime();
    warmUp.startAt(start); // the time it took to set the run up is no warm-up
    long timedFrom = -1;
    long i = 0;
    for (; timedFrom < 0 || i < timedFrom + timedEvents; i++) {
      long intended = start + i * 1_000_000_000L / settings.rate();
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      if (timedFrom < 0 && warmUp.over(System.nanoTime())) {
        timedFrom = i;
        startTiming.run();
        if (timedEvents == 0) {
          break;
        }
      }
      send.send(i, intended, timedFrom >= 0);
    }
    return i;
  }

  /** The warm-up of a latency run: {@code --warm-up-seconds}, then until the JIT settles. */
  private WarmUp warmUp() {
    return new WarmUp(settings.warmUpSeconds(), settings.warmUpMaxSeconds());
  }

  /** The output topic of (a3). */
  private static final String COPIES = "parley-bench.copies";

  /**
   * (a3)'s writes: each event put in a store under its own key (partition and offset) and forwarded
   * as it is.
   */
  private static final class EntryWriter implements Processor<byte[], byte[], byte[], byte[]> {
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<byte[], byte[]> entries;

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      this.context = context;
      this.entries = context.getStateStore("entries");
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      RecordMetadata source = context.recordMetadata().orElseThrow();
      entries.put(
          java.nio.ByteBuffer.allocate(12)
              .putInt(source.partition())
              .putLong(source.offset())
              .array(),
          record.value());
      context.forward(record);
    }
  }

  /**
   * (a4)'s writes: {@code perEvent} records for each event, on average (the fraction is carried
   * from event to event), each the event's key and a value of {@code bytes} bytes: over the log, as
   * many records as (b) wrote and as big, with no work to decide what they say.
   */
  private static final class Repeater implements Processor<byte[], byte[], byte[], byte[]> {
    private final double perEvent;
    private final byte[] value;
    private ProcessorContext<byte[], byte[]> context;
    private double owed;

    Repeater(double perEvent, int bytes) {
      this.perEvent = perEvent;
      this.value = new byte[bytes];
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
      this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      for (owed += perEvent; owed >= 1; owed--) {
        context.forward(record.withValue(value));
      }
    }
  }

  private double plainConsumerRate(String bootstrap, Topics topics) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        ParleyClients.committedReader(
            bootstrap,
            Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000),
            topics.events().name(),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      Set<TopicPartition> parts = consumer.assignment();
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long read = 0;
      long started = System.nanoTime();
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        read += consumer.poll(Duration.ofMillis(200)).count();
      }
      return read / seconds(started);
    }
  }

  private static void awaitCommitted(String bootstrap, String group, Topics topics)
      throws Exception {
    try (Admin admin = ParleyClients.admin(bootstrap, Map.of());
        EventLog log = new EventLog(bootstrap, Map.of(), topics.events().name())) {
      Map<Integer, Long> end = log.endOffsets();
      while (true) {
        var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        boolean done =
            end.entrySet().stream()
                .allMatch(
                    e -> {
                      var offset =
                          committed.get(new TopicPartition(topics.events().name(), e.getKey()));
                      return e.getValue() == 0
                          || (offset != null && offset.offset() >= e.getValue());
                    });
        if (done) {
          return;
        }
        Thread.sleep(50);
      }
    }
  }

  /** What a pipeline wrote to one topic, per event of the log. */
  public record Written(String topic, double recordsPerEvent, double bytesPerEvent) {}

  /**
   * What the pipeline {@code applicationId} wrote: to its outputs (the topics named with {@code
   * suffix}) and to its stores' changelogs, as offsets (records and transaction markers) and bytes
   * on the broker's disk, per event of the log. Where the pipeline's writes go is where Kafka's
   * share of its time goes.
   */
  private List<Written> written(String bootstrap, String applicationId, String suffix)
      throws Exception {
    try (Admin admin = ParleyClients.admin(bootstrap, Map.of())) {
      Map<String, Long> bytes = new TreeMap<>();
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      for (var dirs :
          admin.describeLogDirs(List.of(EmbeddedBroker.NODE_ID)).allDescriptions().get().values()) {
        for (var dir : dirs.values()) {
          dir.replicaInfos()
              .forEach(
                  (partition, replica) -> {
                    String topic = partition.topic();
                    if (topic.endsWith(suffix) || topic.startsWith(applicationId + "-")) {
                      bytes.merge(topic, replica.size(), Long::sum);
                      ends.put(partition, OffsetSpec.latest());
                    }
                  });
        }
      }
      Map<String, Long> offsets = new HashMap<>();
      admin
          .listOffsets(ends)
          .all()
          .get()
          .forEach((partition, end) -> offsets.merge(partition.topic(), end.offset(), Long::sum));
      List<Written> written = new ArrayList<>();
      bytes.forEach(
          (topic, size) ->
              written.add(
                  new Written(
                      topic.startsWith(applicationId + "-")
                          ? topic.substring(applicationId.length() + 1)
                          : topic.substring(0, topic.length() - suffix.length()),
                      offsets.get(topic) / (double) settings.events(),
                      size / (double) settings.events())));
      return written;
    }
  }

  /**
   * The time a pipeline's commits took, in total since it started: a commit flushes the producer
   * (waits until every record sent is acknowledged), adds the consumed offsets to the transaction
   * and commits it; alerts are visible to readers only once that is done.
   */
  public record CommitTimes(
      long commits,
      double writeBackNanos,
      double flushNanos,
      double offsetsNanos,
      double commitNanos,
      long atNanos) {
    static CommitTimes of(KafkaStreams streams, long atNanos) {
      Map<String, Double> totals = new HashMap<>();
      streams
          .metrics()
          .forEach(
              (name, metric) -> {
                if ((name.group().equals("stream-thread-metrics")
                        && name.name().equals("commit-total"))
                    || (name.group().equals("stream-parley-metrics")
                        && name.name().equals("write-back-time-ns-total"))
                    || (name.group().equals("producer-metrics")
                        && name.name()
                            .matches("(flush|txn-send-offsets|txn-commit)-time-ns-total"))) {
                  totals.merge(
                      name.name(), ((Number) metric.metricValue()).doubleValue(), Double::sum);
                }
              });
      return new CommitTimes(
          totals.getOrDefault("commit-total", 0.0).longValue(),
          totals.getOrDefault("write-back-time-ns-total", 0.0),
          totals.getOrDefault("flush-time-ns-total", 0.0),
          totals.getOrDefault("txn-send-offsets-time-ns-total", 0.0),
          totals.getOrDefault("txn-commit-time-ns-total", 0.0),
          atNanos);
    }

    CommitTimes since(CommitTimes before) {
      return new CommitTimes(
          commits - before.commits,
          writeBackNanos - before.writeBackNanos,
          flushNanos - before.flushNanos,
          offsetsNanos - before.offsetsNanos,
          commitNanos - before.commitNanos,
          atNanos - before.atNanos);
    }

    /** The table's line for the commits during a latency run ({@code run}: "(c)" or "(c2)"). */
    String describe(String run) {
      return String.format(
          "      during %s: a commit every %.0f ms, each %swaiting %.1f ms for the producer's flush,"
              + " %.1f ms to add its offsets, %.1f ms to commit",
          run,
          everyMillis(),
          writeBackNanos > 0
              ? String.format("writing back for %.1f ms, ", perCommitMillis(writeBackNanos))
              : "",
          perCommitMillis(flushNanos),
          perCommitMillis(offsetsNanos),
          perCommitMillis(commitNanos));
    }

    /** How far apart the commits were, on average, in ms. */
    double everyMillis() {
      return commits == 0 ? Double.NaN : atNanos / 1e6 / commits;
    }

    double perCommitMillis(double nanos) {
      return commits == 0 ? Double.NaN : nanos / commits / 1e6;
    }
  }

  /** Publish-to-alert latencies, and how many events were sent to raise them. */
  public record Latency(
      Histogram histogram,
      Histogram appended,
      long sent,
      String warmUp,
      CommitTimes commits,
      CpuUse cpu) {}

  /**
   * Offers {@code rate} events a second, each a commitment flipping between PLEDGED and BREACHED,
   * so each raises exactly one alert naming it as cause, timed from when the event was due to be
   * sent ({@link #sendPaced}).
   */
  private Latency latency(String bootstrap, Topics topics, Pipeline pipeline) throws Exception {
    List<DiplomaticEvent> setup = new ArrayList<>();
    // In the past: an event dated ahead of the log by more than the future tolerance would be
    // refused.
    Instant base = Instant.parse("2020-01-01T00:00:00Z");
    for (int t = 0; t < LATENCY_TALKS; t++) {
      setup.add(
          event(
              "lat-" + t,
              "announce",
              base,
              new TalkAnnounced(
                  "Latency talk " + t, List.of("A", "B"), List.of(), null, "A", null)));
      setup.add(
          event(
              "lat-" + t,
              "pledge",
              base,
              new CommitmentMade(
                  "c", "A", "Act", "B", CommitmentStatus.PLEDGED, List.of(), List.of(), null)));
    }
    // The broker stamps each alert with the time it appended it, which splits the latency in two:
    // up to the append (the event reaching the pipeline, being folded, and Kafka Streams' producer
    // sending the alert: at the commit's flush at the latest), and from the append to the alert
    // being read (the transaction committing, its markers, the read). The bench's topic only.
    try (Admin admin = ParleyClients.admin(bootstrap, Map.of())) {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.TOPIC, topics.alerts().name()),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry(
                              TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
    }
    try (EventPublisher publisher =
        new EventPublisher(bootstrap, Map.of(), topics.events(), "bench")) {
      publisher.publish(setup);
    }
    awaitCommitted(bootstrap, "parley-bench", topics);
    Histogram histogram = new Histogram(TimeUnit.MINUTES.toNanos(5), 3);
    Histogram appended = new Histogram(TimeUnit.MINUTES.toNanos(5), 3);
    CommitTimes[] timed = {null};
    CpuUse.Start[] cpu = {null};
    Map<String, Long> due = new ConcurrentHashMap<>();
    long timedEvents = (long) settings.rate() * settings.latencySeconds();
    // The same load first warms up what this run exercises and (b) did not (the commits of talks
    // that change every few milliseconds), as (c2)'s first seconds warm it up.
    WarmUp warmUp = warmUp();
    try (AlertTimer timer = new AlertTimer(bootstrap, topics, due, histogram, appended)) {
      Map<String, Object> producerConfig = ParleyClients.producerConfig(bootstrap, Map.of());
      producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 1);
      try (KafkaProducer<String, DiplomaticEvent> producer =
          new KafkaProducer<>(
              producerConfig, topics.events().keySerializer(), topics.events().valueSerializer())) {
        sendPaced(
            warmUp,
            timedEvents,
            () -> {
              timed[0] = CommitTimes.of(pipeline.streams(), System.nanoTime());
              cpu[0] = CpuUse.start();
            },
            (i, intended, timedEvent) -> {
              DiplomaticEvent flip = flip(i, base);
              if (timedEvent) {
                due.put(flip.getEventId(), intended);
              }
              producer.send(new ProducerRecord<>(topics.events().name(), flip.getTalkId(), flip));
            });
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (histogram.getTotalCount() < timedEvents && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }
    return new Latency(
        histogram,
        appended,
        timedEvents,
        warmUp.describe(),
        CommitTimes.of(pipeline.streams(), System.nanoTime()).since(timed[0]),
        cpu[0].end());
  }

  /**
   * Reads alerts from the end of the topic on its own thread, and records for each
   * commitment-status alert how long after its causing event was due it arrived. Closing stops the
   * thread and its consumer.
   */
  private static final class AlertTimer implements AutoCloseable {
    private final AtomicBoolean listening = new AtomicBoolean(true);
    private final Thread listener;

    AlertTimer(
        String bootstrap,
        Topics topics,
        Map<String, Long> due,
        Histogram histogram,
        Histogram appended) {

      KafkaConsumer<String, Alert> alerts =
          ParleyClients.committedReader(
              bootstrap,
              Map.of(),
              topics.alerts().name(),
              topics.alerts().keyDeserializer(),
              topics.alerts().valueDeserializer());
      try {
        Set<TopicPartition> parts = alerts.assignment();
        alerts.seekToEnd(parts);
        parts.forEach(alerts::position);
      } catch (RuntimeException e) {
        alerts.close();
        throw e;
      }
      listener =
          new Thread(
              () -> {
                try (alerts) {
                  while (listening.get()) {
                    for (ConsumerRecord<String, Alert> record :
                        alerts.poll(Duration.ofMillis(100))) {
                      long now = System.nanoTime();
                      Alert alert = record.value();
                      Long sentAt =
                          alert.getType() == AlertType.COMMITMENT_STATUS_CHANGED
                              ? due.remove(alert.getCauseEventId())
                              : null;
                      if (sentAt != null) {
                        long took = now - sentAt;
                        histogram.recordValue(Math.max(0, took));
                        if (record.timestampType() == TimestampType.LOG_APPEND_TIME) {
                          // From the append to now on one clock (the broker's is this JVM's):
                          // the rest of the latency came before the append.
                          long sinceAppend =
                              TimeUnit.MILLISECONDS.toNanos(
                                  Math.max(0, System.currentTimeMillis() - record.timestamp()));
                          appended.recordValue(Math.max(0, took - sinceAppend));
                        }
                      }
                    }
                  }
                }
              },
              "bench-alerts");
      listener.start();
    }

    @Override
    public void close() throws InterruptedException {
      listening.set(false);
      listener.join(5_000);
    }
  }

  private static DiplomaticEvent event(String talk, String id, Instant at, Object payload) {
    return DiplomaticEvent.newBuilder()
        .setEventId(id)
        .setTalkId(talk)
        .setOccurredAt(at)
        .setRecordedAt(at)
        .setSource(new Source("bench", null, null))
        .setPayload(payload)
        .build();
  }

  /** The peak heap in use, sampled every 100 ms on a daemon thread until closed. */
  private static final class HeapWatch implements AutoCloseable {
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;

    HeapWatch() {
      thread =
          new Thread(
              () -> {
                var memory = ManagementFactory.getMemoryMXBean();
                while (!Thread.currentThread().isInterrupted()) {
                  peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "bench-heap");
      thread.setDaemon(true);
      thread.start();
    }

    long peak() {
      return peak.get();
    }

    @Override
    public void close() {
      thread.interrupt();
    }
  }

  /** Peak resident set size, from /proc (Linux). */
  private static String peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return String.format("%,d MB", Long.parseLong(line.replaceAll("\\D", "")) >> 10);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return "n/a";
  }

  /** A latency histogram as the table prints it: p50, p99, p99.9 and max, in ms. */
  private static String percentiles(Histogram histogram) {
    return String.format(
        "p50 %s  p99 %s  p99.9 %s  max %s",
        ms(histogram.getValueAtPercentile(50)),
        ms(histogram.getValueAtPercentile(99)),
        ms(histogram.getValueAtPercentile(99.9)),
        ms(histogram.getMaxValue()));
  }

  private static String ms(long nanos) {
    return String.format("%,.0f ms", nanos / 1e6);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
