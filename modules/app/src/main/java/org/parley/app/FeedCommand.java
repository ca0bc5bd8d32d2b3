package org.parley.app;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.parley.ingest.EventPublisher;
import org.parley.ingest.Utf8Lines;
import org.parley.ingest.feed.CameoEvents;
import org.parley.ingest.feed.Feed;
import org.parley.ingest.feed.FeedImport;
import org.parley.topology.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import-feed", mixinStandardHelpOptions = true,
    description = {
        "Import a CAMEO-coded event feed: a GDELT 2.0 Events export or ICEWS coded event data. A talk is a",
        "pair of actors; event ids come from the feed's own, so importing a file again adds nothing. Rows",
        "that cannot be mapped are counted by reason; malformed rows are reported by line and skipped."})
final class FeedCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  Logging.Options logging;

  @Mixin
  ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "FEED", converter = FeedConverter.class, description = "gdelt or icews")
  Feed feed;

  @Parameters(index = "1", paramLabel = "FILE", description = "The feed file.")
  Path file;

  @Option(names = "--window", defaultValue = "none",
      description = "Cut each pair's talk by time: none, year or month (default: ${DEFAULT-VALUE}).")
  String window;

  @Option(names = "--dry-run", negatable = false, description = "Map and count, publish nothing.")
  boolean dryRun;

  static final class FeedConverter implements picocli.CommandLine.ITypeConverter<Feed> {
    @Override
    public Feed convert(String value) {
      return switch (value.toLowerCase()) {
        case "gdelt" -> Feed.GDELT;
        case "icews" -> Feed.ICEWS;
        default -> throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not gdelt or icews");
      };
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new CommandFailure("no such file: " + file);
    }
    CameoEvents.Window cut = switch (window.toLowerCase()) {
      case "none" -> CameoEvents.Window.NONE;
      case "year" -> CameoEvents.Window.YEAR;
      case "month" -> CameoEvents.Window.MONTH;
      default -> throw new BadUsage("--window: '" + window + "' is not none, year or month");
    };
    PrintWriter out = spec.commandLine().getOut();
    Topics topics = Topics.standard();
    long lines;
    try (InputStream in = Files.newInputStream(file)) {
      lines = Utf8Lines.count(in); // by bytes: a line in another encoding is the import's to report, not a crash here
    }
    Progress progress = new Progress("import-feed", "rows", lines, spec.commandLine().getErr());
    long published = 0;
    long alreadyPresent = 0;
    FeedImport.Summary summary;
    if (dryRun) {
      try (InputStream in = Files.newInputStream(file)) {
        summary = FeedImport.read(feed, in, cut, event -> { }, progress::update);
      }
    } else {
      cluster.requireTopics(topics.events().name());
      try (Interruption interruption = new Interruption();
          EventLog log = new EventLog(cluster.bootstrapServers, cluster.clientProperties(), topics.events().name());
          EventPublisher publisher = new EventPublisher(cluster.bootstrapServers, cluster.clientProperties(),
              topics.events(), "feed");
          InputStream in = Files.newInputStream(file)) {
        ImportPublisher importer = new ImportPublisher(log, publisher);
        summary = FeedImport.read(feed, in, cut, event -> {
          if (interruption.getAsBoolean()) {
            throw new Interruption.Stopped(String.format("import-feed stopped after publishing %,d events; run it"
                + " again to finish (what is there already is skipped)", importer.published()));
          }
          importer.offer(event);
        }, progress::update);
        importer.flush();
        published = importer.published();
        alreadyPresent = importer.alreadyPresent();
      }
    }
    progress.finish(lines);
    report(out, summary);
    if (!dryRun) {
      out.printf("published %,d events to %s; %,d were already there%n", published, topics.events().name(),
          alreadyPresent);
    }
    return 0;
  }

  private void report(PrintWriter out, FeedImport.Summary summary) {
    out.printf("read %,d rows of %s (%s)%n", summary.rowsRead(), file.getFileName(), feed);
    out.printf("  mapped %,d rows to %,d events: %s%n", summary.rowsMapped(), summary.events(),
        summary.eventsByType().entrySet().stream().map(e -> e.getKey() + " " + String.format("%,d", e.getValue()))
            .collect(Collectors.joining(", ")));
    long skipped = summary.skippedByReason().values().stream().mapToLong(Long::longValue).sum();
    out.printf("  skipped %,d rows%s%n", skipped, skipped == 0 ? "" : ":");
    summary.skippedByReason().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.printf("    %,7d  %s%n", e.getValue(), e.getKey()));
    out.printf("  malformed %,d rows%s%n", summary.malformedCount(), summary.malformedCount() == 0 ? "" : ":");
    summary.malformed().forEach(bad -> out.println("    " + bad));
    if (summary.malformedCount() > summary.malformed().size()) {
      out.printf("    and %,d more%n", summary.malformedCount() - summary.malformed().size());
    }
  }
}
