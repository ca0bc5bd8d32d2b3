package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void theLineShowsTheShareDoneTheRateAndTheTimeLeft() {
    Progress progress = new Progress("rebuild", "records", 100_000, new PrintWriter(new StringWriter()), false);

    assertThat(progress.line(25_000, 5.0))
        .isEqualTo("rebuild [######------------------]  25%  25,000/100,000 records  5,000 records/s  15 s left");
    assertThat(progress.line(100_000, 20.0)).startsWith("rebuild [########################] 100%")
        .doesNotContain("left");
  }
}
