package org.parley.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void theLineShowsTheShareDoneTheRateAndTheTimeLeft() {
    Progress progress =
        new Progress("rebuild", "records", 100_000, new PrintWriter(new StringWriter()), false);

    assertThat(progress.line(25_000, 5.0))
        .isEqualTo(
            "rebuild [######------------------]  25%  25,000/100,000 records  5,000 records/s  15 s left");
    assertThat(progress.line(100_000, 20.0))
        .startsWith("rebuild [########################] 100%")
        .doesNotContain("left");
  }

  @Test
  void noTimeLeftIsPromisedBeforeTheRateIsKnown() {
    Progress progress =
        new Progress("import", "events", 1_000_000, new PrintWriter(new StringWriter()), false);

    assertThat(progress.line(10, 0.3)).doesNotContain("left");
    assertThat(progress.line(0, 5.0)).doesNotContain("left");
    assertThat(progress.line(500_000, 5.0)).endsWith("5 s left");
  }

  @Test
  void notAllDoneIsNotShownAsAHundredPercent() {
    Progress progress =
        new Progress("export", "records", 1_000, new PrintWriter(new StringWriter()), false);

    assertThat(progress.line(996, 3.0)).contains(" 99%");
  }

  @Test
  void theFinalLineIsPrintedOnceAtAHundredPercentWhenNotATerminal() {
    StringWriter out = new StringWriter();
    Progress progress = new Progress("export", "records", 1_000, new PrintWriter(out), false);

    progress.update(960);
    progress.update(1_000);
    progress.finish(
        960); // transaction markers: fewer records than offsets, but the log was read to its end
    progress.finish();

    assertThat(out.toString().lines())
        .hasSize(1)
        .first()
        .asString()
        .contains("100%  1,000/1,000 records");
  }
}
