package org.parley.app.replay;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.Interruption;
import org.parley.app.runtime.TopicAdmin;
import org.parley.client.Topics;
import org.parley.core.TalkFold;
import org.parley.topology.Pipeline;
import org.parley.topology.RawEventFold;

/**
 * Folds the whole events topic again, into fresh output: its own application id, its own state and
 * its own output topics (named with a {@code .rebuild-<time>} suffix). The live pipeline and its
 * topics are not touched. The rebuild ends at the log's end as it was when it started.
 *
 * <p>Stopped early, it removes everything it created, so there is never a half-built output.
 */
public final class Rebuild {

  public record Result(
      String applicationId,
      Topics output,
      long records,
      Duration took,
      long applied,
      long duplicates,
      long deadLettered,
      long alerts,
      long states) {}

  /**
   * A rebuild commits once a second, not every 30 ms like the live pipeline: nobody waits for its
   * alerts, and a talk changed by many events between two commits is written and published once.
   * Measured with `parley bench` on 4,000 talks, 400,000 events: the pipeline folded 25,856
   * events/s committing every 1,000 ms against 15,519 every 50 ms, the talk states written falling
   * from 0.45 to 0.10 per event; the rebuild row went from 13,161 and 15,693 to 17,914 records/s.
   * It helps little on the bench's default log (1,000 talks): the fewer talks a log keeps busy, the
   * less a longer interval saves. The talks held between commits stay bounded: a task that holds
   * 2,000 changed talks commits at once. {@code -X commit.interval.ms=...} overrides it; above 10
   * s, Kafka Streams also wants {@code -X producer.transaction.timeout.ms=} at least as long.
   */
  public static final int COMMIT_INTERVAL_MS = 1_000;

  private Rebuild() {}

  public static Result run(
      String bootstrap,
      Map<String, Object> client,
      Path dataDir,
      TalkFold fold,
      RawEventFold.Rules rules,
      Instant alertsFrom,
      Clock clock,
      PrintWriter progressOut,
      BooleanSupplier stop)
      throws InterruptedException {
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC)
            .format(clock.instant());
    String applicationId = "parley-rebuild-" + stamp;
    Topics output = Topics.withOutputSuffix(".rebuild-" + stamp);
    Path stateDir = dataDir.resolve("rebuild-" + stamp);
    long started = System.nanoTime();
    try (TopicAdmin admin = new TopicAdmin(bootstrap, client);
        EventLog log = new EventLog(bootstrap, client, output.events().name())) {
      admin.requireTopics(List.of(output.events().name()));
      Map<Integer, Long> end = log.endOffsets();
      long total = end.values().stream().mapToLong(Long::longValue).sum();
      admin.create(output, end.size(), admin.replicationOf(output.events().name()));
      Map<String, Object> streams = new HashMap<>(client);
      streams.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
      Pipeline pipeline;
      try {
        pipeline =
            new Pipeline(
                new Pipeline.Settings(
                    bootstrap, applicationId, stateDir, output, fold, rules, streams, alertsFrom));
      } catch (RuntimeException e) {
        // A setting Kafka Streams refuses (say -X commit.interval.ms above the transaction
        // timeout): nothing was folded, and the output topics made for this rebuild go too.
        removeAll(admin.admin(), applicationId, output, stateDir);
        throw e;
      }
      pipeline.start();
      Progress progress = new Progress("rebuild", "records", total, progressOut);
      try {
        long done = 0;
        while (done < total) {
          if (stop.getAsBoolean()) {
            pipeline.close();
            removeAll(admin.admin(), applicationId, output, stateDir);
            throw new Interruption.Stopped(
                "rebuild stopped at "
                    + done
                    + " of "
                    + total
                    + " records; removed its partial output ("
                    + output.talkState().name()
                    + ", "
                    + output.alerts().name()
                    + ", "
                    + output.deadLetters().name()
                    + ")");
          }
          KafkaStreams.State state = pipeline.streams().state();
          if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
            throw new CommandFailure(
                "the rebuild pipeline stopped (" + state + "); see the log above");
          }
          done = committed(admin.admin(), applicationId, output.events().name(), end);
          progress.update(done);
          if (done < total) {
            Thread.sleep(250);
          }
        }
        progress.finish(total);
        Result result =
            new Result(
                applicationId,
                output,
                total,
                Duration.ofNanos(System.nanoTime() - started),
                pipeline.total("events-applied"),
                pipeline.total("events-duplicate"),
                pipeline.total("events-dead-lettered"),
                pipeline.total("alerts-raised"),
                pipeline.total("states-published"));
        pipeline.close();
        removeWorkingState(admin.admin(), applicationId, stateDir);
        return result;
      } finally {
        pipeline.close();
      }
    }
  }

  /** How far the rebuild has got: committed offsets, each capped at the end it is heading for. */
  private static long committed(Admin admin, String group, String topic, Map<Integer, Long> end)
      throws InterruptedException {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      long done = 0;
      for (var partition : end.entrySet()) {
        OffsetAndMetadata committed = offsets.get(new TopicPartition(topic, partition.getKey()));
        done += Math.min(partition.getValue(), committed == null ? 0 : committed.offset());
      }
      return done;
    } catch (ExecutionException e) {
      return 0; // the group does not exist until the first commit
    }
  }

  /**
   * The rebuild's internal topics (changelogs), its consumer group and its local stores: not part
   * of the output.
   */
  private static void removeWorkingState(Admin admin, String applicationId, Path stateDir)
      throws InterruptedException {
    try {
      List<String> internal =
          admin.listTopics().names().get().stream()
              .filter(name -> name.startsWith(applicationId + "-"))
              .toList();
      admin.deleteTopics(internal).all().get();
      admin.deleteConsumerGroups(List.of(applicationId)).all().get();
    } catch (ExecutionException e) {
      // best effort: what is left is named after the rebuild and harmless
    }
    deleteRecursively(stateDir);
  }

  private static void removeAll(Admin admin, String applicationId, Topics output, Path stateDir)
      throws InterruptedException {
    removeWorkingState(admin, applicationId, stateDir);
    try {
      List<String> outputs =
          List.of(output.talkState().name(), output.alerts().name(), output.deadLetters().name());
      admin.deleteTopics(outputs).all().get();
      // The controller has deleted them; a broker still lists them until its metadata catches up.
      // Wait for that, so that "removed" is true when the user reads it.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (admin.listTopics().names().get().stream().anyMatch(outputs::contains)
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } catch (ExecutionException e) {
      throw new CommandFailure(
          "rebuild stopped, but its output topics could not all be removed: "
              + TopicAdmin.rootMessage(e));
    }
  }

  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
      for (Path path : paths) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
