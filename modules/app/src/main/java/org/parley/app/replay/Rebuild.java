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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.Interruption;
import org.parley.app.runtime.TopicAdmin;
import org.parley.client.Topics;
import org.parley.core.TalkFold;
import org.parley.topology.RawEventFold;
import org.parley.topology.Refold;

/**
 * Folds the whole events topic again, into fresh output: its own local stores and its own output
 * topics (named with a {@code .rebuild-<time>} suffix), through {@link Refold}. The live pipeline
 * and its topics are not touched. The rebuild ends at the log's end as it was when it started.
 *
 * <p>Stopped early, or failed, it removes everything it created, so there is never a half-built
 * output.
 */
public final class Rebuild {

  /** Where the rebuild wrote, how long it took, and what its fold counted. */
  public record Result(Topics output, Duration took, Refold.Totals folded) {}

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
    Topics output = Topics.withOutputSuffix(".rebuild-" + stamp);
    Path stateDir = dataDir.resolve("rebuild-" + stamp);
    long started = System.nanoTime();
    try (TopicAdmin admin = new TopicAdmin(bootstrap, client);
        EventLog log = new EventLog(bootstrap, client, output.events().name())) {
      admin.requireTopics(List.of(output.events().name()));
      Map<Integer, Long> end = log.endOffsets();
      long total = end.values().stream().mapToLong(Long::longValue).sum();
      Progress progress = new Progress("rebuild", "records", total, progressOut);
      List<String> outputs =
          List.of(output.talkState().name(), output.alerts().name(), output.deadLetters().name());
      // The topics this rebuild made: all it may remove. Another rebuild started in the same second
      // has the same names; the second one to create them must not remove the first one's.
      List<String> made = new ArrayList<>();
      try {
        admin.createNew(
            output.specs().stream().filter(spec -> outputs.contains(spec.name())).toList(),
            end.size(),
            admin.replicationOf(output.events().name()),
            made);
      } catch (CommandFailure e) {
        throw new CommandFailure(
            "the rebuild could not make its output topics ("
                + e.getMessage()
                + "; they are named by the second the rebuild started: if another rebuild started"
                + " in the same second, run this one again) and "
                + removeAll(admin.admin(), made, null));
      }
      Refold.Totals totals;
      try {
        totals =
            Refold.run(
                bootstrap,
                client,
                stateDir,
                output,
                fold,
                rules,
                alertsFrom,
                end,
                progress::update,
                stop);
      } catch (RuntimeException | InterruptedException e) {
        throw new CommandFailure(
            "the rebuild failed ("
                + TopicAdmin.rootMessage(e)
                + ") and "
                + removeAll(admin.admin(), made, stateDir));
      } catch (Error e) {
        // RocksDB's native library that will not load, say: nothing must be left half-built.
        removeAll(admin.admin(), made, stateDir);
        throw e;
      }
      if (!totals.finished()) {
        throw new Interruption.Stopped(
            String.format(
                "rebuild stopped at %,d of %,d records; %s",
                totals.records(), total, removeAll(admin.admin(), made, stateDir)));
      }
      progress.finish(total);
      deleteRecursively(stateDir);
      return new Result(output, Duration.ofNanos(System.nanoTime() - started), totals);
    }
  }

  /**
   * Removes the output topics a rebuild that did not finish made ({@code outputs}) and its local
   * stores (none yet when null: a rebuild that could not make its topics must not touch the stores
   * of another of the same second), and says what it did, for the user: "removed its partial output
   * (...)", or which topics are left to delete by hand when the cluster would not delete them (when
   * it cannot be reached, say).
   */
  private static String removeAll(Admin admin, List<String> outputs, Path stateDir) {
    if (outputs.isEmpty()) {
      return "made no output";
    }
    try {
      admin.deleteTopics(outputs).all().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return "could not remove its partial output ("
          + TopicAdmin.rootMessage(e)
          + "): delete "
          + String.join(", ", outputs)
          + " by hand";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "was interrupted removing its partial output: delete "
          + String.join(", ", outputs)
          + " by hand";
    } finally {
      try {
        if (stateDir != null) {
          deleteRecursively(stateDir);
        }
      } catch (UncheckedIOException e) {
        // Named after the rebuild, under the data directory, and never read again: harmless.
      }
    }
    try {
      // The controller has deleted them; a broker still lists them until its metadata catches up.
      // Wait for that (a while at most), so that "removed" is true when the user reads it.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (admin.listTopics().names().get(5, TimeUnit.SECONDS).stream()
              .anyMatch(outputs::contains)
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } catch (ExecutionException | TimeoutException e) {
      // Deleted; only the listing failed.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "removed its partial output (" + String.join(", ", outputs) + ")";
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
