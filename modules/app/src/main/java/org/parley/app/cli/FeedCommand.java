package org.parley.app.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.parley.app.replay.EventLog;
import org.parley.app.replay.ImportPublisher;
import org.parley.app.replay.Progress;
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.Interruption;
import org.parley.app.runtime.Logging;
import org.parley.client.Topics;
import org.parley.ingest.EventPublisher;
import org.parley.ingest.Utf8Lines;
import org.parley.ingest.feed.CameoEvents;
import org.parley.ingest.feed.Feed;
import org.parley.ingest.feed.FeedImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "import-feed",
    description = {
      "Import a CAMEO-coded event feed: a GDELT 2.0 Events export or ICEWS coded event data. A talk is a",
      "pair of negotiating parties (--talks); rows telling the same event are merged, and importing a file",
      "again adds nothing. Rows kept out (noise, mirrors, codes with no Parley event) are counted by reason;",
      "malformed rows are reported by line and skipped."
    })
final class FeedCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Logging.Options logging;

  @Mixin ClusterOptions cluster;

  @Parameters(
      index = "0",
      paramLabel = "FEED",
      converter = FeedConverter.class,
      description = "gdelt or icews")
  Feed feed;

  @Parameters(index = "1", paramLabel = "FILE", description = "The feed file.")
  Path file;

  @Mixin FeedOptions feedOptions;

  @Option(names = "--dry-run", negatable = false, description = "Map and count, publish nothing.")
  boolean dryRun;

  static final class FeedConverter implements picocli.CommandLine.ITypeConverter<Feed> {
    @Override
    public Feed convert(String value) {
      return switch (value.toLowerCase()) {
        case "gdelt" -> Feed.GDELT;
        case "icews" -> Feed.ICEWS;
        default ->
            throw new picocli.CommandLine.TypeConversionException(
                "'" + value + "' is not gdelt or icews");
      };
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new CommandFailure("no such file: " + file);
    }
    CameoEvents mapping = new CameoEvents(feedOptions.options());
    PrintWriter out = spec.commandLine().getOut();
    Topics topics = Topics.standard();
    long lines;
    try (InputStream in = Files.newInputStream(file)) {
      // Counted by bytes: a line in another encoding is the import's to report, not a crash here.
      lines = Utf8Lines.count(in);
    }
    Progress progress = new Progress("import-feed", "rows", lines, spec.commandLine().getErr());
    long published = 0;
    long alreadyPresent = 0;
    FeedImport.Summary summary;
    if (dryRun) {
      summary =
          FeedImport.read(
              feed, () -> Files.newInputStream(file), mapping, event -> {}, progress::update);
    } else {
      cluster.requireTopics(topics.events().name());
      try (Interruption interruption = new Interruption();
          EventLog log =
              new EventLog(
                  cluster.bootstrapServers, cluster.clientProperties(), topics.events().name());
          EventPublisher publisher =
              new EventPublisher(
                  cluster.bootstrapServers, cluster.clientProperties(), topics.events(), "feed")) {
        ImportPublisher importer = new ImportPublisher(log, publisher);
        summary =
            FeedImport.read(
                feed,
                () -> Files.newInputStream(file),
                mapping,
                event -> {
                  if (interruption.getAsBoolean()) {
                    throw new Interruption.Stopped(
                        String.format(
                            "import-feed stopped after publishing %,d events; run it"
                                + " again to finish (what is there already is skipped)",
                            importer.published()));
                  }
                  importer.offer(event);
                },
                progress::update);
        importer.flush();
        published = importer.published();
        alreadyPresent = importer.alreadyPresent();
      }
    }
    progress.finish(lines);
    report(out, file.getFileName().toString(), feed, summary);
    if (!dryRun) {
      out.printf(
          "published %,d events to %s; %,d were already there%n",
          published, topics.events().name(), alreadyPresent);
    }
    return 0;
  }

  /**
   * The summary of one file: rows read, mapped (events by type), skipped by reason, malformed by
   * line.
   */
  static void report(PrintWriter out, String fileName, Feed feed, FeedImport.Summary summary) {
    out.printf("read %,d rows of %s (%s)%n", summary.rowsRead(), fileName, feed);
    out.printf(
        "  mapped %,d rows to %,d events: %s%n",
        summary.rowsMapped(),
        summary.events(),
        summary.eventsByType().entrySet().stream()
            .map(e -> e.getKey() + " " + String.format("%,d", e.getValue()))
            .collect(Collectors.joining(", ")));
    long skipped = summary.skipped();
    out.printf("  skipped %,d rows%s%n", skipped, skipped == 0 ? "" : ":");
    // Noise and repeats first: they say what the feed got wrong; then the codes Parley has no event
    // for.
    for (boolean noCode : new boolean[] {false, true}) {
      List<Map.Entry<String, Long>> reasons =
          summary.skippedByReason().entrySet().stream()
              .filter(e -> e.getKey().startsWith("CAMEO ") == noCode)
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .toList();
      if (!reasons.isEmpty()) {
        out.printf(
            "    %s (%,d):%n",
            noCode ? "with no Parley event for their code" : "kept out as noise or repeats",
            reasons.stream().mapToLong(Map.Entry::getValue).sum());
        reasons.forEach(e -> out.printf("    %,7d  %s%n", e.getValue(), e.getKey()));
      }
    }
    out.printf(
        "  malformed %,d rows%s%n",
        summary.malformedCount(), summary.malformedCount() == 0 ? "" : ":");
    summary.malformed().forEach(bad -> out.println("    " + bad));
    if (summary.malformedCount() > summary.malformed().size()) {
      out.printf("    and %,d more%n", summary.malformedCount() - summary.malformed().size());
    }
  }
}
