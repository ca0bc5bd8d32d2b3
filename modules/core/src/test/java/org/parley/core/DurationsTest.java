package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The words alert messages give a deadline's move or a warning's horizon. */
class DurationsTest {

  @Test
  void aDurationIsSaidInItsTwoLargestUnitsPresent() {
    String[][] cases = {
      {"0", "0 s"},
      {"1", "1 s"},
      {"59", "59 s"},
      {"60", "1 min"},
      {"90", "1 min 30 s"},
      {"3600", "1 h"},
      {"3661", "1 h 1 min"},
      {"5400", "1 h 30 min"},
      {"86400", "1 day"},
      {"86401", "1 day 1 s"},
      {"90000", "1 day 1 h"},
      {"93784", "1 day 2 h"},
      {"172800", "2 days"},
      {"864000", "10 days"},
      {"31622400", "366 days"},
    };
    for (String[] c : cases) {
      assertThat(Durations.describe(Duration.ofSeconds(Long.parseLong(c[0]))))
          .as(c[0] + " s")
          .isEqualTo(c[1]);
    }
  }
}
