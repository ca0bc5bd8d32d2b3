package org.parley.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GdeltUpdatesTest {
  // GDELT's lastupdate.txt as it reads: size, MD5 and URL of the export, mentions and GKG files of
  // the latest slot.
  private static final String LAST_UPDATE =
      """
      150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip
      318084 bb27f78ba45f69a17ea6ed7755e9f8ff http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip
      10768507 ea8dde0beb0ba98810a92db068c0ce99 http://data.gdeltproject.org/gdeltv2/20150218230000.gkg.csv.zip
      """;

  @Test
  void lastUpdateNamesTheLatestExportWithItsSizeAndMd5() throws Exception {
    GdeltUpdates.Export latest = GdeltUpdates.parseLastUpdate(LAST_UPDATE, "lastupdate.txt");

    assertThat(latest)
        .isEqualTo(
            new GdeltUpdates.Export(
                Instant.parse("2015-02-18T23:00:00Z"),
                150_383L,
                "297a16b493de7cf6ca809a7cc31d0b93"));
    assertThat(latest.fileName()).isEqualTo("20150218230000.export.CSV.zip");
  }

  @Test
  void aLastUpdateWithoutAnExportLineSaysWhatItExpected() {
    assertThatThrownBy(
            () ->
                GdeltUpdates.parseLastUpdate("<html>maintenance</html>", "http://x/lastupdate.txt"))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "http://x/lastupdate.txt: no line names an Events export"
                + " (<size> <md5> <url ending in .export.CSV.zip>)");
    assertThatThrownBy(() -> GdeltUpdates.slotOf("2015021823.export.CSV.zip"))
        .hasMessageContaining("is not a GDELT Events export name (yyyyMMddHHmmss.export.CSV.zip)");
  }

  @Test
  void theExportsDueAfterTheLastFinishedAreEverySlotUpToTheLatest() throws Exception {
    GdeltUpdates.Export latest = GdeltUpdates.parseLastUpdate(LAST_UPDATE, "lastupdate.txt");

    assertThat(GdeltUpdates.after(Instant.parse("2015-02-18T22:15:00Z"), latest))
        .extracting(Object::toString)
        .containsExactly(
            "20150218223000.export.CSV.zip",
            "20150218224500.export.CSV.zip",
            "20150218230000.export.CSV.zip");
    assertThat(GdeltUpdates.after(latest.slot(), latest)).isEmpty();
  }

  @Test
  void progressSurvivesARestartAndIsReplacedWhole(@TempDir Path dir) throws Exception {
    FollowProgress progress = new FollowProgress(dir.resolve("feeds/gdelt.progress"));
    assertThat(progress.last()).isEmpty();

    progress.finished(new GdeltUpdates.Export(Instant.parse("2015-02-18T22:45:00Z"), null, null));
    progress.finished(new GdeltUpdates.Export(Instant.parse("2015-02-18T23:00:00Z"), null, null));

    assertThat(new FollowProgress(dir.resolve("feeds/gdelt.progress")).last())
        .contains(Instant.parse("2015-02-18T23:00:00Z"));
    try (var files = Files.list(dir.resolve("feeds"))) {
      assertThat(files)
          .extracting(p -> p.getFileName().toString())
          .containsExactly("gdelt.progress");
    }
  }
}
