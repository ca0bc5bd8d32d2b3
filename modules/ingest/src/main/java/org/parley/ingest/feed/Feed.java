package org.parley.ingest.feed;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;
import org.parley.ingest.Utf8Lines;

/**
 * The coded feeds Parley reads, and how to read a row of each.
 *
 * <ul>
 *   <li>GDELT 2.0 Events export: 61 tab-separated columns, no header. GLOBALEVENTID (0), SQLDATE
 *       (1, yyyyMMdd), Actor1 codes (5-14: code, name, country, known group, ethnic, two religions,
 *       three types), Actor2 codes (15-24), EventCode (26), EventRootCode (28), DATEADDED (59,
 *       yyyyMMddHHmmss: when GDELT saw the story), SOURCEURL (60).
 *   <li>ICEWS coded event data: 20 tab-separated columns with a header row. Event ID (0), Event
 *       Date (1, yyyy-MM-dd: in practice the story's date), Source Name, Sectors, Country (2-4),
 *       CAMEO Code (6), Target Name, Sectors, Country (8-10), Story ID (11), Sentence Number (12),
 *       Publisher (13).
 * </ul>
 */
public enum Feed {
  GDELT("gdelt", 61, false),
  ICEWS("icews", 20, true);

  /** A row that cannot be read: its line number and why. */
  public record BadRow(long line, String problem) {
    @Override
    public String toString() {
      return "line " + line + ": " + problem;
    }
  }

  private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.BASIC_ISO_DATE;
  private static final DateTimeFormatter GDELT_ADDED =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  private final String prefix;
  private final int columns;
  private final boolean header;

  Feed(String prefix, int columns, boolean header) {
    this.prefix = prefix;
    this.columns = columns;
    this.header = header;
  }

  /** Talk and event ids from this feed start with it: "icews", "gdelt". */
  public String prefix() {
    return prefix;
  }

  /**
   * Reads every row; a row that cannot be read is reported and skipped, never the end of the file.
   */
  public void read(InputStream input, Consumer<FeedRow> rows, Consumer<BadRow> bad)
      throws IOException {
    Utf8Lines.read(
        input,
        new Utf8Lines.Visitor() {
          @Override
          public void line(long number, String line) {
            if (header && number == 1) {
              if (!line.startsWith("Event ID\tEvent Date")) {
                bad.accept(
                    new BadRow(
                        1,
                        "not an ICEWS file: the first line should be the header"
                            + " (Event ID, Event Date, Source Name, ...)"));
              }
              return;
            }
            String[] cells = line.split("\t", -1);
            if (cells.length != columns) {
              bad.accept(
                  new BadRow(
                      number,
                      "expected " + columns + " tab-separated columns, found " + cells.length));
              return;
            }
            try {
              rows.accept(Feed.this == GDELT ? gdelt(number, cells) : icews(number, cells));
            } catch (IllegalArgumentException e) {
              bad.accept(new BadRow(number, e.getMessage()));
            }
          }

          @Override
          public void notUtf8(long number) {
            bad.accept(new BadRow(number, "not valid UTF-8"));
          }
        });
  }

  private FeedRow gdelt(long line, String[] c) {
    LocalDate date = date(c[1], BASIC_DATE, "SQLDATE");
    Instant added;
    try {
      added = LocalDateTime.parse(c[59], GDELT_ADDED).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "DATEADDED '" + c[59] + "' is not a time (yyyyMMddHHmmss)");
    }
    String url = c[60].isBlank() ? null : c[60].strip();
    String code = code(c[26], "EventCode");
    String root = c[28].isBlank() ? code.substring(0, 2) : c[28].strip();
    return new FeedRow(
        this,
        line,
        id(c[0], "GLOBALEVENTID"),
        date,
        added,
        added.atOffset(ZoneOffset.UTC).toLocalDate(),
        GdeltActors.resolve(c, 5),
        GdeltActors.resolve(c, 15),
        code,
        "GDELT",
        url,
        url == null ? null : url + " " + root);
  }

  private FeedRow icews(long line, String[] c) {
    LocalDate date = date(c[1], DateTimeFormatter.ISO_LOCAL_DATE, "Event Date");
    String code = code(c[6], "CAMEO Code");
    String story = c[11].strip();
    String sentence = c[12].strip();
    String mergeKey =
        story.isEmpty() || story.equals("NA") || sentence.isEmpty() || sentence.equals("NA")
            ? null
            : story + "-" + sentence + "-" + code;
    // ICEWS dates an event by its story, and says nothing else about when it was recorded.
    return new FeedRow(
        this,
        line,
        id(c[0], "Event ID"),
        date,
        date.atStartOfDay(ZoneOffset.UTC).toInstant(),
        null,
        IcewsActors.resolve(c[2], c[3], c[4]),
        IcewsActors.resolve(c[8], c[9], c[10]),
        code,
        "ICEWS" + (c[13].isBlank() || c[13].equals("NA") ? "" : ": " + c[13].strip()),
        null,
        mergeKey);
  }

  private static String id(String value, String column) {
    if (value.isBlank() || value.strip().chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(column + " '" + value + "' is not an event id");
    }
    return value.strip();
  }

  private static LocalDate date(String value, DateTimeFormatter format, String column) {
    try {
      return LocalDate.parse(value.strip(), format);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(column + " '" + value + "' is not a date");
    }
  }

  private static String code(String value, String column) {
    String code = value.strip();
    if (!code.matches("\\d{2,4}") || !CameoTable.known(code)) {
      throw new IllegalArgumentException(
          column + " '" + value + "' is not a CAMEO 1.1b3 event code");
    }
    return code;
  }
}
