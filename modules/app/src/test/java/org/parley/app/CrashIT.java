package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.replay.EventLog;
import org.parley.app.replay.TalkStates;
import org.parley.app.runtime.ClockKeys;
import org.parley.client.Topics;

/**
 * `parley run` in its own JVM, killed with SIGKILL at random points of a 100,000-event run, ten
 * times, and started again each time on the same data directory. Exactly-once means that, read with
 * read_committed, the alerts topic then holds exactly the alerts of a reference fold of the log, in
 * order, none missing and none twice, and the state topic ends as the fold does.
 */
class CrashIT {
  static final int KILLS = 10;

  @TempDir Path dir;

  @Test
  void tenKillsDuringAHundredThousandEventRunLoseAndDuplicateNothing() throws Exception {
    try (TestCluster cluster = TestCluster.single()) {
      String bootstrap = cluster.bootstrapServers();
      Topics topics = Topics.standard();
      Cli.run("topics", "create", "-b", bootstrap);
      ReplayIT.publish(bootstrap, ReplayIT.logWithTicks(ClockKeys.seal(bootstrap, Map.of())));
      // A killed instance leaves its group membership behind until the session times out.
      Path config =
          Files.writeString(
              dir.resolve("client.properties"),
              "session.timeout.ms=6000\n" + "heartbeat.interval.ms=1000\n");
      String[] run = {
        "run",
        "-b",
        bootstrap,
        "--data-dir",
        dir.resolve("data").toString(),
        "--no-gateway",
        "--no-ticker",
        "--config",
        config.toString(),
        "--instance-id",
        "crash"
      };

      Random random = new Random(20261125);
      long total = end(bootstrap);
      // Each kill strikes once the run has committed past a point of the log: the k-th at a random
      // place within the k-th of twelve shares, so the last leaves a twelfth still to fold. (Kills
      // at a guessed time after start struck after the end of the log once the fold got faster.)
      long share = total / (KILLS + 2);
      int midStream = 0;
      for (int kill = 0; kill < KILLS; kill++) {
        long killAt = share * (kill + 1) + (long) (random.nextDouble() * share);
        try (ChildProcess parley = ChildProcess.parley(run)) {
          awaitRunning(parley);
          awaitCommitted(bootstrap, killAt, parley);
          parley.process
              .destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no leaving the group
          parley.process.waitFor();
        }
        long done = committed(bootstrap);
        System.out.printf(
            "kill %d (once past %,d): %,d of %,d records committed%n",
            kill + 1, killAt, done, total);
        midStream += done < total ? 1 : 0;
      }
      assertThat(midStream).as("kills that struck before the end of the log").isEqualTo(KILLS);

      try (ChildProcess parley = ChildProcess.parley(run)) {
        awaitRunning(parley);
        ReplayIT.awaitCaughtUp(bootstrap, "parley");
        parley.stop();
      }

      ReferenceFold expected = ReferenceFold.of(bootstrap, topics);
      Map<Integer, List<String>> alerts = new HashMap<>();
      TopicReader.byPartition(
              bootstrap,
              topics.alerts().name(),
              new StringDeserializer(),
              topics.alerts().valueDeserializer())
          .forEach(
              (p, records) ->
                  alerts.put(p, records.stream().map(r -> r.value().getAlertId()).toList()));
      assertThat(expected.alertCount()).isGreaterThan(30_000);
      assertThat(alerts).isEqualTo(expected.alertIds());
      assertThat(PipelineContract.json(TalkStates.latest(bootstrap, Map.of(), topics.talkState())))
          .isEqualTo(PipelineContract.json(expected.talks()));
    }
  }

  private static void awaitRunning(ChildProcess parley) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (parley.err().stream().noneMatch(l -> l.contains("-> RUNNING"))) {
      if (System.nanoTime() > deadline || !parley.process.isAlive()) {
        throw new AssertionError(
            "parley run did not start; stderr:\n" + String.join("\n", parley.err()));
      }
      Thread.sleep(100);
    }
  }

  /** Waits until the run has committed at least {@code records} of the events topic. */
  private static void awaitCommitted(String bootstrap, long records, ChildProcess parley)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      while (committed(admin) < records) {
        if (System.nanoTime() > deadline || !parley.process.isAlive()) {
          throw new AssertionError(
              "parley run did not commit "
                  + records
                  + " records of the log; stderr:\n"
                  + String.join("\n", parley.err()));
        }
        Thread.sleep(20);
      }
    }
  }

  private static long end(String bootstrap) {
    try (EventLog log = new EventLog(bootstrap, Map.of(), Topics.EVENTS)) {
      return log.endOffsets().values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static long committed(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      return committed(admin);
    }
  }

  private static long committed(Admin admin) throws Exception {
    return admin
        .listConsumerGroupOffsets("parley")
        .partitionsToOffsetAndMetadata()
        .get()
        .entrySet()
        .stream()
        .filter(e -> e.getKey().topic().equals(Topics.EVENTS) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }
}
