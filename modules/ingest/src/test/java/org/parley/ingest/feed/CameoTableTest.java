package org.parley.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CameoTableTest {

  private static Map<String, String> parse(String text) throws Exception {
    return CameoTable.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void thePinnedTableHasNoMalformedLine() throws Exception {
    // parse() refuses the whole table on any malformed line; reading the resource again checks it
    // afresh.
    Map<String, String> codes =
        CameoTable.parse(CameoTable.class.getResourceAsStream(CameoTable.RESOURCE));

    assertThat(codes)
        .hasSize(311)
        .containsEntry("1056", "Demand de-escalation of military engagement")
        .containsEntry("106", "Demand meeting, negotiation")
        .containsEntry("0871", "Declare truce, ceasefire")
        .containsEntry("196", "Violate ceasefire");
    assertThat(codes.values()).noneMatch(d -> d.matches(".*(\\d{2,4}:|\\[).*"));
  }

  @Test
  void aLineWithAnotherRunIntoItIsReportedWithItsLineNumber() {
    String table =
        "# header\n10\tDEMAND\n105\tDemand that target yields\n"
            + "1056\tDemand de-escalation of military engagement106:[-5.0] Demand withdrawal\n";

    assertThatThrownBy(() -> parse(table))
        .hasMessage(
            "malformed CAMEO table: line 4: the description has another"
                + " entry run into it: 1056\tDemand de-escalation of military engagement106:[-5.0] Demand withdrawal");
  }

  @Test
  void missingTabsDuplicatesOrphansAndDisorderAreEachReported() {
    String table =
        "10\tDEMAND\n101 Demand information\n100\tDemand\n100\tDemand again\n1071\tOrphan\n10\tBack\n";

    assertThatThrownBy(() -> parse(table))
        .hasMessageContainingAll(
            "line 2: expected code<TAB>description, found 1 tab-separated fields",
            "line 4: code 100 appears twice",
            "line 5: code 1071 has no parent 107 above it",
            "line 6: code 10 appears twice");
  }
}
