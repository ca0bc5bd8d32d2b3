package org.parley.app.cli;

import java.time.Duration;
import org.parley.ingest.feed.CameoEvents;
import picocli.CommandLine.Option;

/**
 * How coded feed rows become talks, and which are kept: the same options for import-feed and
 * follow-feed.
 */
final class FeedOptions {
  @Option(
      names = "--talks",
      defaultValue = "states",
      paramLabel = "states|actors",
      description =
          "Which level makes a talk (default: ${DEFAULT-VALUE}). states: the negotiating entities (a"
              + " state, with its officials and organs; an organisation; an armed group), the people named kept as"
              + " participants of each day's session. actors: the actors as the feed names them.")
  String talks;

  @Option(
      names = "--window",
      defaultValue = "none",
      paramLabel = "none|year|month",
      description =
          "Cut each pair's talk by time: none, year or month (default: ${DEFAULT-VALUE}).")
  String window;

  @Option(
      names = "--include-sectors",
      negatable = false,
      description =
          "Keep rows where a side is a generic sector (citizens, police, courts, business, media...).")
  boolean includeSectors;

  @Option(
      names = "--max-report-lag",
      defaultValue = "7d",
      converter = DurationArgument.class,
      paramLabel = "DURATION",
      description =
          "Skip rows dated more than this before the story that reports them, where the feed gives the"
              + " story's date (GDELT's DATEADDED): mentions in passing (default: ${DEFAULT-VALUE}).")
  Duration maxReportLag;

  CameoEvents.Options options() {
    CameoEvents.Talks level =
        switch (talks.toLowerCase()) {
          case "states" -> CameoEvents.Talks.STATES;
          case "actors" -> CameoEvents.Talks.ACTORS;
          default -> throw new BadUsage("--talks: '" + talks + "' is not states or actors");
        };
    CameoEvents.Window cut =
        switch (window.toLowerCase()) {
          case "none" -> CameoEvents.Window.NONE;
          case "year" -> CameoEvents.Window.YEAR;
          case "month" -> CameoEvents.Window.MONTH;
          default -> throw new BadUsage("--window: '" + window + "' is not none, year or month");
        };
    if (maxReportLag.isNegative() || maxReportLag.toDays() < 1) {
      throw new BadUsage(
          "--max-report-lag: " + maxReportLag + " is less than a day (feeds date events by day)");
    }
    return new CameoEvents.Options(level, cut, includeSectors, maxReportLag);
  }
}
