package org.parley.app.cli;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.InterruptException;
import org.parley.app.replay.EventLog;
import org.parley.app.replay.ImportPublisher;
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.Interruption;
import org.parley.app.runtime.Logging;
import org.parley.client.Topics;
import org.parley.ingest.EventPublisher;
import org.parley.ingest.feed.CameoEvents;
import org.parley.ingest.feed.Feed;
import org.parley.ingest.feed.FeedImport;
import org.parley.ingest.feed.FollowProgress;
import org.parley.ingest.feed.GdeltUpdates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "follow-feed",
    description = {
      "Follow GDELT 2.0 live: poll lastupdate.txt, download each new Events export (every 15 minutes) once,",
      "and import it as import-feed does. Restartable: it resumes after the last export it finished (kept in",
      "<data-dir>/feeds/gdelt.progress), fetching the slots it missed; importing again adds nothing."
    })
final class FollowFeedCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Mixin ClusterOptions cluster;

  @Mixin FeedOptions feedOptions;

  @Parameters(
      index = "0",
      paramLabel = "FEED",
      description = "gdelt (the only feed published live)")
  String feed;

  @Option(
      names = "--url",
      paramLabel = "BASE",
      description = "Where GDELT 2.0 is served (default: ${DEFAULT-VALUE}).",
      defaultValue = "http://data.gdeltproject.org/gdeltv2/")
  URI base;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description = "Where the progress is kept (default: ${DEFAULT-VALUE}, as for `parley up`).")
  Path dataDir;

  @Option(
      names = "--interval",
      defaultValue = "60s",
      converter = DurationArgument.class,
      paramLabel = "DURATION",
      description =
          "How often to poll lastupdate.txt (default: ${DEFAULT-VALUE}; GDELT updates every 15 minutes).")
  Duration interval;

  @Option(
      names = "--from",
      paramLabel = "yyyyMMddHHmmss",
      description =
          "On a first run, start at this export slot instead of the latest (no effect once there is progress).")
  String from;

  @Option(
      names = "--max-catch-up",
      defaultValue = "1d",
      converter = DurationArgument.class,
      paramLabel = "DURATION",
      description =
          "After a long stop, fetch at most this much of the missed exports; older ones are skipped, and"
              + " said so (import them with import-feed). Default: ${DEFAULT-VALUE} (96 exports).")
  Duration maxCatchUp;

  @Option(
      names = "--until-caught-up",
      negatable = false,
      description =
          "Stop once the latest export is imported, instead of following (for cron, or a backfill).")
  boolean untilCaughtUp;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = "Serve Prometheus metrics at http://localhost:PORT/metrics while following.")
  Integer metricsPort;

  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong lastSlot = new AtomicLong();
  private final AtomicLong behind = new AtomicLong();

  @Override
  public Integer call() throws Exception {
    if (!feed.equalsIgnoreCase("gdelt")) {
      throw new CommandFailure(
          "follow-feed: '"
              + feed
              + "' is not gdelt (ICEWS is not published live; use import-feed)");
    }
    CameoEvents mapping = new CameoEvents(feedOptions.options());
    Instant start = from == null ? null : GdeltUpdates.slotOf(from + ".export.CSV.zip");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    GdeltUpdates gdelt = new GdeltUpdates(base);
    FollowProgress progress =
        new FollowProgress(dataDir.resolve("feeds").resolve("gdelt.progress"));
    Topics topics = Topics.standard();
    cluster.requireTopics(topics.events().name());
    Gauge.builder("parley.feed.last.export", lastSlot, AtomicLong::get)
        .tag("feed", "gdelt")
        .baseUnit("seconds")
        .description("The slot of the last export finished, in seconds since the epoch")
        .register(metrics);
    Gauge.builder("parley.feed.exports.behind", behind, AtomicLong::get)
        .tag("feed", "gdelt")
        .description("Exports published but not yet imported")
        .register(metrics);
    progress.last().ifPresent(slot -> lastSlot.set(slot.getEpochSecond()));

    HttpServer server = metricsPort == null ? null : serveMetrics(metricsPort);
    try (Interruption interruption = new Interruption();
        EventLog log =
            new EventLog(
                cluster.bootstrapServers, cluster.clientProperties(), topics.events().name());
        EventPublisher publisher =
            new EventPublisher(
                cluster.bootstrapServers,
                cluster.clientProperties(),
                topics.events(),
                "follow-feed")) {
      ImportPublisher importer = new ImportPublisher(log, publisher);
      out.printf(
          "following GDELT at %s; progress in %s%s%n",
          gdelt.base(),
          progress.file(),
          progress
              .last()
              .map(slot -> " (last finished: " + new GdeltUpdates.Export(slot, null, null) + ")")
              .orElse(" (none yet)"));
      out.flush();
      while (!stopped(interruption)) {
        boolean caughtUp;
        try {
          caughtUp = poll(gdelt, progress, start, mapping, importer, out, err, interruption);
        } catch (IOException e) {
          counter("parley.feed.exports", "failed").increment();
          if (untilCaughtUp) {
            throw new CommandFailure(
                "follow-feed: "
                    + e.getMessage()
                    + "; run it again to retry (it resumes after"
                    + " the last export it finished)");
          }
          err.println(
              "follow-feed: " + e.getMessage() + "; retrying in " + interval.toSeconds() + " s");
          err.flush();
          caughtUp = false;
        }
        if (untilCaughtUp && caughtUp) {
          break;
        }
        if (!sleep(interval, interruption)) {
          break;
        }
      }
    } catch (InterruptException e) {
      // interrupted while publishing: the export under way is not marked finished, so a rerun
      // imports it
      Thread.currentThread().interrupt();
    } finally {
      if (server != null) {
        server.stop(0);
      }
    }
    return 0;
  }

  /** Imports every export due; true when the latest one is done. */
  private boolean poll(
      GdeltUpdates gdelt,
      FollowProgress progress,
      Instant start,
      CameoEvents mapping,
      ImportPublisher importer,
      PrintWriter out,
      PrintWriter err,
      Interruption interruption)
      throws IOException {
    GdeltUpdates.Export latest = gdelt.latest();
    Optional<Instant> last = progress.last();
    Instant after =
        last.orElse(
            start == null
                ? latest.slot().minus(GdeltUpdates.INTERVAL)
                : start.minus(GdeltUpdates.INTERVAL));
    if (Duration.between(after, latest.slot()).compareTo(maxCatchUp) > 0) {
      Instant resumeAt = latest.slot().minus(maxCatchUp);
      err.printf(
          "follow-feed: %s exports between %s and %s are more than --max-catch-up %s old and are skipped;"
              + " import them with import-feed%n",
          Duration.between(after, resumeAt).dividedBy(GdeltUpdates.INTERVAL),
          new GdeltUpdates.Export(after.plus(GdeltUpdates.INTERVAL), null, null),
          new GdeltUpdates.Export(resumeAt, null, null),
          maxCatchUp);
      after = resumeAt;
    }
    List<GdeltUpdates.Export> due = GdeltUpdates.after(after, latest);
    for (int i = 0; i < due.size(); i++) {
      if (stopped(interruption)) {
        return false;
      }
      behind.set(due.size() - i);
      GdeltUpdates.Export export = due.get(i);
      Optional<byte[]> csv = gdelt.download(export);
      if (csv.isEmpty()) {
        if (export.equals(latest)) {
          throw new IOException(
              gdelt.base().resolve(export.fileName())
                  + ": HTTP 404, though lastupdate.txt names it");
        }
        counter("parley.feed.exports", "missing").increment();
        out.printf("%s: not published by GDELT (404); skipped%n", export);
      } else {
        long published = importer.published();
        long present = importer.alreadyPresent();
        byte[] bytes = csv.get();
        FeedImport.Summary summary =
            FeedImport.read(
                Feed.GDELT,
                () -> new ByteArrayInputStream(bytes),
                mapping,
                importer::offer,
                rows -> {});
        importer.flush();
        counter("parley.feed.exports", "imported").increment();
        counter("parley.feed.rows", "mapped").increment(summary.rowsMapped());
        counter("parley.feed.rows", "skipped").increment(summary.skipped());
        counter("parley.feed.rows", "malformed").increment(summary.malformedCount());
        counter("parley.feed.events", "published").increment(importer.published() - published);
        counter("parley.feed.events", "already_present")
            .increment(importer.alreadyPresent() - present);
        out.printf(
            "%s: %,d rows, %,d mapped to %,d events, %,d skipped, %,d malformed; published %,d (%,d already"
                + " there); %d more due%n",
            export,
            summary.rowsRead(),
            summary.rowsMapped(),
            summary.events(),
            summary.skipped(),
            summary.malformedCount(),
            importer.published() - published,
            importer.alreadyPresent() - present,
            due.size() - i - 1);
        summary.malformed().forEach(bad -> err.println("  " + export + ", " + bad));
      }
      progress.finished(export);
      lastSlot.set(export.slot().getEpochSecond());
      out.flush();
    }
    behind.set(0);
    return true;
  }

  private Counter counter(String name, String outcome) {
    return Counter.builder(name).tag("feed", "gdelt").tag("outcome", outcome).register(metrics);
  }

  private HttpServer serveMetrics(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
          }
        });
    server.start();
    return server;
  }

  private static boolean stopped(Interruption interruption) {
    return interruption.getAsBoolean() || Thread.currentThread().isInterrupted();
  }

  /**
   * Waits for the next poll; false when asked to stop meanwhile (Ctrl-C, or the thread
   * interrupted).
   */
  private static boolean sleep(Duration interval, Interruption interruption) {
    long until = System.nanoTime() + interval.toNanos();
    while (System.nanoTime() < until) {
      if (stopped(interruption)) {
        return false;
      }
      try {
        Thread.sleep(Math.max(1, Math.min(250, (until - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
