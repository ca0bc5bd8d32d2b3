package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.replay.EventLog;
import org.parley.app.replay.LogExport;
import org.parley.app.replay.Rebuild;
import org.parley.app.replay.StateDiff;
import org.parley.app.replay.TalkStates;
import org.parley.app.replay.TimeTravel;
import org.parley.app.runtime.ClockKeys;
import org.parley.app.runtime.ClockTicker;
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.Interruption;
import org.parley.app.runtime.TopicAdmin;
import org.parley.avro.ClockTick;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.Source;
import org.parley.avro.TalkState;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.core.TalkFold;
import org.parley.ingest.EventPublisher;
import org.parley.ingest.SyntheticLog;
import org.parley.model.ClockSeal;
import org.parley.model.JsonForm;
import org.parley.model.StoryTime;
import org.parley.topology.RawEventFold;

/**
 * The events topic as the source of truth, in practice: a 100,000-event log (with clock ticks)
 * folded live, then rebuilt, travelled through, exported and imported into a second cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayIT {
  static final int EVENTS = 100_000;
  static final int TALKS = 1_000;

  private final Topics topics = Topics.standard();
  private TestCluster cluster;
  private String bootstrap;
  private ParleyInstance live;

  @TempDir static Path dir;

  @BeforeAll
  void aLogFoldedLive() throws Exception {
    cluster = TestCluster.single();
    bootstrap = cluster.bootstrapServers();
    try (TopicAdmin admin = new TopicAdmin(bootstrap, Map.of())) {
      admin.create(topics, 6, (short) 1);
    }
    live = live(bootstrap, dir.resolve("live"));
    long started = System.nanoTime();
    publish(bootstrap, logWithTicks(ClockKeys.seal(bootstrap, Map.of())));
    awaitCaughtUp(bootstrap, "parley");
    System.out.printf(
        "live: %,d events published and folded in %.1f s%n",
        EVENTS, (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  void stop() throws Exception {
    live.close();
    cluster.close();
  }

  /** `parley rebuild` as it runs by default, with its stores under {@code dir}. */
  static Rebuild.Result rebuild(String bootstrap, Path dir, PrintWriter progress)
      throws InterruptedException {
    return Rebuild.run(
        bootstrap,
        Map.of(),
        dir,
        new TalkFold(DeadlineClock.standard()),
        rules(bootstrap),
        null,
        Clock.systemUTC(),
        progress,
        () -> false);
  }

  private RawEventFold.Rules rules() {
    return rules(bootstrap);
  }

  /**
   * `parley rebuild` on this cluster with these client settings, its output topics named by {@code
   * startedAt}, its progress unprinted, stopped when {@code stop} says so.
   */
  private Rebuild.Result rebuild(Map<String, Object> client, Clock startedAt, BooleanSupplier stop)
      throws InterruptedException {
    return Rebuild.run(
        bootstrap,
        client,
        dir,
        new TalkFold(DeadlineClock.standard()),
        rules(),
        null,
        startedAt,
        new PrintWriter(new StringWriter()),
        stop);
  }

  /** The live pipeline's rules on this cluster: its ticker's seal, the default future tolerance. */
  static RawEventFold.Rules rules(String bootstrap) {
    return new RawEventFold.Rules(
        ClockKeys.seal(bootstrap, Map.of()), StoryTime.DEFAULT_FUTURE_TOLERANCE);
  }

  /**
   * The synthetic log with a round of clock ticks (one per partition, sealed as the ticker seals
   * them) every 5,000 events.
   */
  static List<DiplomaticEvent> logWithTicks(ClockSeal seal) {
    List<DiplomaticEvent> log = new ArrayList<>();
    SyntheticLog events = new SyntheticLog(TALKS, EVENTS, 42);
    while (events.hasNext()) {
      DiplomaticEvent event = events.next();
      log.add(event);
      if (log.size() % 5_000 == 0) {
        for (int partition = 0; partition < 6; partition++) {
          log.add(
              seal.seal(
                  DiplomaticEvent.newBuilder()
                      .setEventId("tick-" + log.size() + "-p" + partition)
                      .setTalkId(ClockTicker.KEY)
                      .setOccurredAt(event.getOccurredAt().plusSeconds(1))
                      .setRecordedAt(event.getOccurredAt())
                      .setSource(new Source("ticker", null, null))
                      .setPayload(new ClockTick(partition, null))
                      .build()));
        }
      }
    }
    return log;
  }

  static void publish(String bootstrap, List<DiplomaticEvent> events) {
    try (EventPublisher publisher =
        new EventPublisher(bootstrap, Map.of(), Topics.standard().events(), "it")) {
      for (int i = 0; i < events.size(); i += 1_000) {
        publisher.publish(events.subList(i, Math.min(events.size(), i + 1_000)));
      }
    }
  }

  /** Waits until the application has committed every record the events topic holds now. */
  static void awaitCaughtUp(String bootstrap, String applicationId) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        EventLog log = new EventLog(bootstrap, Map.of(), Topics.EVENTS)) {
      Map<Integer, Long> end = log.endOffsets();
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                var committed =
                    admin
                        .listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata()
                        .get();
                return end.entrySet().stream()
                    .allMatch(
                        e -> {
                          var offset = committed.get(new TopicPartition(Topics.EVENTS, e.getKey()));
                          return e.getValue() == 0
                              || (offset != null && offset.offset() >= e.getValue());
                        });
              });
    }
  }

  /** Every record's value, as bytes, partition by partition in offset order. */
  static Map<Integer, List<String>> bytes(String bootstrap, String topic) {
    Map<Integer, List<String>> values = new HashMap<>();
    TopicReader.byPartition(
            bootstrap, topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
        .forEach(
            (p, records) ->
                values.put(
                    p,
                    records.stream()
                        .map(r -> java.util.HexFormat.of().formatHex(r.value()))
                        .toList()));
    return values;
  }

  /** Every record of a state topic, in each partition's order: its talk, and its time and bytes. */
  private static List<KeyValue<String, String>> stateRecords(String bootstrap, String topic) {
    List<KeyValue<String, String>> records = new ArrayList<>();
    TopicReader.byPartition(bootstrap, topic, new StringDeserializer(), new ByteArrayDeserializer())
        .values()
        .forEach(
            partition ->
                partition.forEach(
                    r ->
                        records.add(
                            KeyValue.pair(
                                r.key(),
                                r.timestamp()
                                    + " "
                                    + java.util.HexFormat.of().formatHex(r.value())))));
    return records;
  }

  /** The live pipeline, as `parley run` starts it, with its stores under {@code stores}. */
  static ParleyInstance live(String bootstrap, Path stores) throws Exception {
    return ParleyInstance.start(
        new ParleyInstance.Settings(
            bootstrap, Map.of(), stores, "parley", null, DeadlineClock.DEFAULT_HORIZONS, "it"));
  }

  @Test
  void aRebuildOfTheLogGivesTheSameStateAndTheSameAlertsByteForByte() throws Exception {
    StringWriter progress = new StringWriter();
    Set<String> topicsBefore = cluster.kit.admin().listTopics().names().get();

    Rebuild.Result rebuilt = rebuild(bootstrap, dir, new PrintWriter(progress));

    System.out.printf(
        "rebuild: %,d records in %.1f s%n",
        rebuilt.folded().records(), rebuilt.took().toMillis() / 1000.0);
    Map<Integer, List<String>> liveAlerts = bytes(bootstrap, topics.alerts().name());
    assertThat(liveAlerts.values().stream().mapToInt(List::size).sum()).isGreaterThan(30_000);
    assertThat(bytes(bootstrap, rebuilt.output().alerts().name())).isEqualTo(liveAlerts);
    assertThat(rebuilt.folded().alerts())
        .isEqualTo(liveAlerts.values().stream().mapToInt(List::size).sum());
    assertThat(rebuilt.folded().applied()).isGreaterThan(EVENTS * 9L / 10);
    assertThat(progress.toString()).contains("rebuild [########################] 100%");

    Cli diff = Cli.run("diff", "-b", bootstrap, "--right", rebuilt.output().talkState().name());
    assertThat(diff.exit()).isZero();
    assertThat(diff.out().strip())
        .isEqualTo(
            "identical: "
                + String.format("%,d", TALKS)
                + " talks in "
                + Topics.TALK_STATE
                + " and "
                + rebuilt.output().talkState().name());
    // Each talk's state once, the latest, as the pipeline published it last: same bytes, same time.
    Map<String, String> liveLatest = new HashMap<>();
    stateRecords(bootstrap, topics.talkState().name()).forEach(r -> liveLatest.put(r.key, r.value));
    List<KeyValue<String, String>> rebuiltStates =
        stateRecords(bootstrap, rebuilt.output().talkState().name());
    assertThat(rebuiltStates).hasSize(TALKS);
    assertThat(rebuilt.folded().states()).isEqualTo(TALKS);
    for (KeyValue<String, String> state : rebuiltStates) {
      assertThat(state.value).as(state.key).isEqualTo(liveLatest.get(state.key));
    }
    // The rebuild's working state (its local stores) is gone; its output, and only that, stays.
    assertThat(cluster.kit.admin().listTopics().names().get())
        .containsExactlyInAnyOrderElementsOf(
            Stream.concat(
                    topicsBefore.stream(),
                    Stream.of(
                        rebuilt.output().talkState().name(),
                        rebuilt.output().alerts().name(),
                        rebuilt.output().deadLetters().name()))
                .toList());
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).noneMatch(p -> p.getFileName().toString().startsWith("rebuild-"));
    }
  }

  @Test
  void aTalkAsOfTheTimeOfEachOfItsEventsIsTheStateThePipelinePublishedThen() throws Exception {
    List<TalkState> published = new ArrayList<>();
    TopicReader.byPartition(
            bootstrap,
            topics.talkState().name(),
            new StringDeserializer(),
            topics.talkState().valueDeserializer())
        .values()
        .forEach(list -> list.stream().map(ConsumerRecord::value).forEach(published::add));
    try (EventLog log = new EventLog(bootstrap, Map.of(), Topics.EVENTS)) {
      int checked = 0;
      for (String talkId :
          List.of(SyntheticLog.talkId(7), SyntheticLog.talkId(420), SyntheticLog.talkId(999))) {
        List<TalkState> history =
            published.stream().filter(s -> s.getTalkId().equals(talkId)).toList();
        // The pipeline publishes a talk once per commit in which it changed (not once per event),
        // so how many states a talk has depends on where the commits fell; every one is checked.
        assertThat(history).hasSizeGreaterThan(5);
        for (int i = 0; i < history.size(); i++) {
          Instant at = history.get(i).getUpdatedAt();
          // The live state at that moment: the last one published with that log time or earlier.
          TalkState expected =
              history.stream()
                  .filter(s -> !s.getUpdatedAt().isAfter(at))
                  .reduce((a, b) -> b)
                  .orElseThrow();

          TalkState asOf =
              TimeTravel.talk(log, talkId, at, new TalkFold(DeadlineClock.standard()), rules())
                  .talk()
                  .orElseThrow();

          assertThat(JsonForm.toJson(asOf))
              .as("%s as of %s", talkId, at)
              .isEqualTo(JsonForm.toJson(expected));
          checked++;
        }
      }
      assertThat(checked).isGreaterThan(30);
    }
    Cli before = Cli.run("talk", SyntheticLog.talkId(7), "--as-of", "2020-01-01", "-b", bootstrap);
    assertThat(before.exit()).isEqualTo(1);
    assertThat(before.err())
        .contains("talk 'talk-000007' does not exist as of 2020-01-01T00:00:00Z");
  }

  @Test
  void aLogExportedAndImportedIntoASecondClusterFoldsToTheSameState() throws Exception {
    Path ndjson = dir.resolve("log.ndjson");
    Path avro = dir.resolve("log.avro");
    assertThat(Cli.run("export", ndjson.toString(), "-b", bootstrap).out())
        .startsWith(
            "exported "
                + String.format("%,d", EVENTS + EVENTS / 5_000 * 6)
                + " events to "
                + ndjson
                + " (ndjson)");
    assertThat(Cli.run("export", avro.toString(), "-b", bootstrap).out()).contains("(avro)");
    Map<String, TalkState> original = TalkStates.latest(bootstrap, Map.of(), topics.talkState());

    try (TestCluster second = TestCluster.single()) {
      String other = second.bootstrapServers();
      Cli.run("topics", "create", "-b", other);
      Cli first = Cli.run("import", avro.toString(), "-b", other);
      Cli again = Cli.run("import", avro.toString(), "-b", other);
      Cli asNdjson = Cli.run("import", ndjson.toString(), "-b", other);

      assertThat(first.out())
          .startsWith(
              "imported "
                  + String.format("%,d", EVENTS + EVENTS / 5_000 * 6)
                  + " events to parley.events.v1; 0 were already there");
      assertThat(again.out()).startsWith("imported 0 events");
      assertThat(asNdjson.out()).startsWith("imported 0 events");
      try (ParleyInstance there =
          ParleyInstance.start(
              new ParleyInstance.Settings(
                  other,
                  Map.of(),
                  dir.resolve("second"),
                  "parley",
                  null,
                  DeadlineClock.DEFAULT_HORIZONS,
                  "it"))) {
        awaitCaughtUp(other, "parley");
        Map<String, TalkState> copied = TalkStates.latest(other, Map.of(), topics.talkState());
        assertThat(StateDiff.compare("first", original, "second", copied)).isEmpty();
        assertThat(copied).hasSize(TALKS);
      }
    }
  }

  @Test
  void anInterruptedExportWritesNoFileAndAnInterruptedRebuildLeavesNoTopics() throws Exception {
    Path file = dir.resolve("cut.ndjson");
    AtomicInteger polls = new AtomicInteger();
    try (EventLog log = new EventLog(bootstrap, Map.of(), Topics.EVENTS)) {
      assertThatThrownBy(
              () ->
                  LogExport.run(
                      log,
                      file,
                      new LogExport.Filter(null, null, null),
                      new PrintWriter(new StringWriter()),
                      () -> polls.incrementAndGet() > 20_000))
          .isInstanceOf(Interruption.Stopped.class)
          .hasMessage("export stopped; no file was written");
    }
    assertThat(file).doesNotExist();
    assertThat(file.resolveSibling("cut.ndjson.partial")).doesNotExist();

    // Stopped once it has written alerts: part way, with output to remove.
    AcknowledgedAlerts.reset();
    assertThatThrownBy(
            () ->
                rebuild(
                    AcknowledgedAlerts.CONFIG,
                    Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), java.time.ZoneOffset.UTC),
                    () -> AcknowledgedAlerts.count() > 0))
        .isInstanceOf(Interruption.Stopped.class)
        .hasMessageStartingWith("rebuild stopped at ")
        .hasMessageContaining("removed its partial output");
    assertThat(cluster.kit.admin().listTopics().names().get())
        .noneMatch(t -> t.contains("20300101-000000"));
    assertThat(dir.resolve("rebuild-20300101-000000")).doesNotExist();
  }

  @Test
  void aRebuildStartedInTheSameSecondAsAnotherFailsAndLeavesTheOthersOutputAsItWas()
      throws Exception {
    Clock sameSecond = Clock.fixed(Instant.parse("2032-01-01T00:00:00Z"), java.time.ZoneOffset.UTC);
    Rebuild.Result first = rebuild(Map.of(), sameSecond, () -> false);
    Map<Integer, List<String>> alerts = bytes(bootstrap, first.output().alerts().name());

    assertThatThrownBy(() -> rebuild(Map.of(), sameSecond, () -> false))
        .isInstanceOf(CommandFailure.class)
        .hasMessageStartingWith("the rebuild could not make its output topics (topic parley.")
        .hasMessageContaining("exists already")
        .hasMessageContaining("run this one again")
        .hasMessageEndingWith("and made no output");
    assertThat(cluster.kit.admin().listTopics().names().get())
        .contains(
            first.output().talkState().name(),
            first.output().alerts().name(),
            first.output().deadLetters().name());
    assertThat(bytes(bootstrap, first.output().alerts().name())).isEqualTo(alerts);
  }

  @Test
  void aRebuildThatFailsPartWayRemovesWhatItHadWrittenAndSaysWhy() throws Exception {
    Set<String> topicsBefore = cluster.kit.admin().listTopics().names().get();

    // A producer limit that lets alerts through but not the talks' states (3 to 4 KB here), which
    // go out from the first write-back on: the rebuild has written alerts when it fails.
    AcknowledgedAlerts.reset();
    Map<String, Object> client = new HashMap<>(AcknowledgedAlerts.CONFIG);
    client.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000);
    assertThatThrownBy(
            () ->
                rebuild(
                    client,
                    Clock.fixed(Instant.parse("2031-01-01T00:00:00Z"), java.time.ZoneOffset.UTC),
                    () -> false))
        .isInstanceOf(CommandFailure.class)
        .hasMessageStartingWith("the rebuild failed (")
        .hasMessageContaining("max.request.size")
        .hasMessageContaining(") and removed its partial output (parley.talk-state.v1.rebuild-");
    assertThat(AcknowledgedAlerts.count()).as("alerts written before it failed").isPositive();
    assertThat(cluster.kit.admin().listTopics().names().get())
        .containsExactlyInAnyOrderElementsOf(topicsBefore);
    assertThat(dir.resolve("rebuild-20310101-000000")).doesNotExist();
  }
}
