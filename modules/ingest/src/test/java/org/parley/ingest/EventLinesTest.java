package org.parley.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.parley.model.SeedStory;

class EventLinesTest {

  private final EventLines lines =
      new EventLines(Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));

  private EventLines.Read read(String text) throws Exception {
    return lines.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theSeedStoryReadsCleanly() throws Exception {
    EventLines.Read read = read(String.join("\n", SeedStory.lines()));

    assertThat(read.ok()).isTrue();
    assertThat(read.events()).isEqualTo(SeedStory.events());
  }

  @Test
  void everyBadLineIsReportedWithItsNumberAndBlankLinesAreSkipped() throws Exception {
    String good = SeedStory.lines().get(0);
    EventLines.Read read =
        read(
            good
                + "\n\n{\"type\":\"TalkAnnounced\"\nnot json at all\n"
                + good.replace("\"geneva-2016-01\"", "\"\""));

    assertThat(read.ok()).isFalse();
    assertThat(read.problems()).extracting(EventLines.BadLine::line).containsExactly(3L, 4L, 5L);
    assertThat(read.problems().get(0).toString()).startsWith("line 3: not valid JSON");
    assertThat(read.problems().get(2).toString()).isEqualTo("line 5: eventId: must not be empty");
  }

  @Test
  void aLineRepeatingAnEarlierEventExactlyIsSkippedAndCounted() throws Exception {
    String first = SeedStory.lines().get(0);
    String second = SeedStory.lines().get(1);

    EventLines.Read read = read(first + "\n" + second + "\n" + first + "\n" + second);

    assertThat(read.ok()).isTrue();
    assertThat(read.events()).containsExactly(SeedStory.events().get(0), SeedStory.events().get(1));
    assertThat(read.repeated()).isEqualTo(2);
  }

  @Test
  void repeatedLinesWithoutRecordedAtAreStillRepeats() throws Exception {
    String line =
        SeedStory.lines().get(0).replace("\"recordedAt\": \"2016-09-08T20:00:00Z\", ", "");
    Instant[] now = {Instant.parse("2026-11-25T10:00:00Z")};
    Clock ticking = new Clock() { // a second passes between the two lines: their stamps differ
          @Override
          public Instant instant() {
            now[0] = now[0].plusSeconds(1);
            return now[0];
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };

    EventLines.Read read =
        new EventLines(ticking)
            .read(new ByteArrayInputStream((line + "\n" + line).getBytes(StandardCharsets.UTF_8)));

    assertThat(read.ok()).isTrue();
    assertThat(read.events()).hasSize(1);
    assertThat(read.repeated()).isEqualTo(1);
  }

  @Test
  void theSameEventIdWithOtherContentIsReportedNamingTheFirstLine() throws Exception {
    String good = SeedStory.lines().get(0);

    EventLines.Read read =
        read(good + "\n" + good.replace("2016-09-08T20:00:00Z", "2016-09-08T20:00:01Z"));

    assertThat(read.problems())
        .extracting(Object::toString)
        .containsExactly(
            "line 2: eventId 'geneva-2016-01' of talk 'syria-ceasefire-geneva-2016' is already used on line 1 for"
                + " another event (an exact repeat of a line is skipped)");
  }

  @Test
  void aLineThatIsNotUtf8IsNamedAndTheLinesAroundItAreStillRead() throws Exception {
    byte[] good = (SeedStory.lines().get(0) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] latin1 =
        (SeedStory.lines().get(1).replace("Toner", "T\u00f6ner") + "\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] file = new byte[good.length + latin1.length + 1];
    System.arraycopy(good, 0, file, 0, good.length);
    System.arraycopy(latin1, 0, file, good.length, latin1.length);
    file[file.length - 1] = '\n';

    EventLines.Read read = lines.read(new ByteArrayInputStream(file));

    assertThat(read.problems())
        .extracting(Object::toString)
        .containsExactly("line 2: not valid UTF-8 text (save the file as UTF-8)");
    assertThat(read.events()).hasSize(1);
  }

  @Test
  void aLineWithoutRecordedAtIsStampedWithTheTimeOfReading() throws Exception {
    String line =
        SeedStory.lines().get(0).replace("\"recordedAt\": \"2016-09-08T20:00:00Z\", ", "");

    EventLines.Read read = read(line);

    assertThat(read.events().get(0).getRecordedAt())
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
  }
}
