package org.parley.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.avro.AgreementKind;
import org.parley.avro.AgreementReached;
import org.parley.avro.CommitmentMade;
import org.parley.avro.DeadlineSet;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkAnnounced;
import org.parley.avro.TalkStatus;
import org.parley.avro.TalkStatusChanged;
import org.parley.model.Events;
import org.parley.model.JsonForm;

/**
 * The GDELT and ICEWS adapters on real samples (test resources, with their provenance). The
 * expected counts were computed independently, with a short Python script over the raw columns
 * applying the mapping table in the README; the rows checked one by one were read by hand.
 */
class FeedImportTest {

  private static InputStream resource(String name) {
    return FeedImportTest.class.getResourceAsStream("/feeds/" + name);
  }

  private static List<DiplomaticEvent> events(Feed feed, String file) throws Exception {
    List<DiplomaticEvent> events = new ArrayList<>();
    FeedImport.read(feed, resource(file), CameoEvents.Window.NONE, events::add);
    return events;
  }

  private static List<DiplomaticEvent> withId(List<DiplomaticEvent> events, String prefix) {
    return events.stream().filter(e -> e.getEventId().startsWith(prefix)).toList();
  }

  @Test
  void theIcewsSampleMapsToExactlyTheseEvents() throws Exception {
    FeedImport.Summary summary = FeedImport.read(Feed.ICEWS, resource("events.2018.sample.tab"),
        CameoEvents.Window.NONE, e -> { });

    assertThat(summary.rowsRead()).isEqualTo(3_705);
    assertThat(summary.malformedCount()).isZero();
    assertThat(summary.rowsMapped()).isEqualTo(1_493);
    assertThat(summary.eventsByType()).isEqualTo(Map.of("TalkAnnounced", 628L, "TalkStatusChanged", 957L,
        "CommitmentMade", 185L, "DeadlineSet", 1L, "AgreementReached", 59L));
    assertThat(summary.skippedByReason().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2_212);
    assertThat(summary.skippedByReason()).containsEntry("CAMEO 010 (Make statement, not specified below) has no Parley event", 528L);
  }

  @Test
  void theGdeltSamplesMapToExactlyTheseEvents() throws Exception {
    FeedImport.Summary events = FeedImport.read(Feed.GDELT, resource("events.csv"), CameoEvents.Window.NONE, e -> { });
    FeedImport.Summary translingual = FeedImport.read(Feed.GDELT, resource("eventsT.csv"), CameoEvents.Window.NONE,
        e -> { });

    assertThat(events.rowsRead()).isEqualTo(100);
    assertThat(events.rowsMapped()).isEqualTo(33);
    assertThat(events.eventsByType()).isEqualTo(Map.of("TalkAnnounced", 18L, "TalkStatusChanged", 29L,
        "CommitmentMade", 3L));
    assertThat(events.skippedByReason()).containsEntry("missing source or target actor", 33L)
        .containsEntry("source and target are the same actor", 4L);
    assertThat(translingual.rowsMapped()).isEqualTo(16);
    assertThat(translingual.eventsByType()).isEqualTo(Map.of("TalkAnnounced", 12L, "TalkStatusChanged", 13L,
        "CommitmentMade", 2L));
    assertThat(translingual.skippedByReason()).containsEntry(
        "CAMEO 0874 (Retreat or surrender militarily) has no Parley event", 2L); // the third lacks an actor
  }

  @Test
  void anIcewsConsultationRowOpensItsTalkAndPutsItInProgress() throws Exception {
    // Line 2: 32889836, 2018-06-01, Foreign Affairs (Bangladesh) -> High Ranking Military Personnel (Vietnam),
    // CAMEO 040 Consult, published by the Vietnam News Agency Bulletin.
    List<DiplomaticEvent> row = withId(events(Feed.ICEWS, "events.2018.sample.tab"), "icews-32889836");

    assertThat(row).extracting(DiplomaticEvent::getEventId).containsExactly("icews-32889836-talk", "icews-32889836");
    DiplomaticEvent consult = row.get(1);
    assertThat(consult.getTalkId()).isEqualTo("icews:foreign-affairs-bangladesh--high-ranking-military-personnel-vietnam");
    assertThat(consult.getOccurredAt()).hasToString("2018-06-01T00:00:00Z");
    assertThat(consult.getCameoCode()).isEqualTo("040");
    assertThat(consult.getSource().getActor()).isEqualTo("Foreign Affairs (Bangladesh)");
    assertThat(consult.getSource().getOutlet()).isEqualTo("ICEWS: Vietnam News Agency Bulletin");
    assertThat(((TalkStatusChanged) consult.getPayload()).getStatus()).isEqualTo(TalkStatus.IN_PROGRESS);
    assertThat(((TalkAnnounced) row.get(0).getPayload()).getParties())
        .containsExactly("Foreign Affairs (Bangladesh)", "High Ranking Military Personnel (Vietnam)");
  }

  @Test
  void anUltimatumAnAgreementAndATruceMapAsTheTableSays() throws Exception {
    List<DiplomaticEvent> all = events(Feed.ICEWS, "events.2018.sample.tab");

    // 32891071: Donald Trump -> Justin Trudeau, 139 Give ultimatum, 2018-06-01.
    DeadlineSet ultimatum = (DeadlineSet) withId(all, "icews-32891071").stream()
        .filter(e -> e.getPayload() instanceof DeadlineSet).findFirst().orElseThrow().getPayload();
    assertThat(ultimatum.getDueAt()).hasToString("2018-06-08T00:00:00Z");
    assertThat(ultimatum.getDescription()).startsWith("Ultimatum from Donald Trump to Justin Trudeau");

    // 32891943: United Kingdom -> United States, 057 Sign formal agreement.
    AgreementReached signed = (AgreementReached) withId(all, "icews-32891943").stream()
        .filter(e -> e.getPayload() instanceof AgreementReached).findFirst().orElseThrow().getPayload();
    assertThat(signed.getSummary()).isEqualTo("United Kingdom and United States: Sign formal agreement");

    // 32899976: China -> United States, 0871 Declare truce, ceasefire, 2018-06-02.
    List<DiplomaticEvent> truce = withId(all, "icews-32899976");
    assertThat(truce).extracting(Events::type).containsExactly("CommitmentMade", "CommitmentMade", "AgreementReached");
    assertThat(truce.get(0).getTalkId()).isEqualTo("icews:china--united-states");
    assertThat(((CommitmentMade) truce.get(0).getPayload()).getCommitmentId()).isEqualTo("ceasefire-china");
    AgreementReached ceasefire = (AgreementReached) truce.get(2).getPayload();
    assertThat(ceasefire.getKind()).isEqualTo(AgreementKind.CEASE_FIRE);
    assertThat(ceasefire.getInEffect()).containsExactly("ceasefire-china", "ceasefire-united-states");
  }

  @Test
  void aGdeltRowKeepsItsDateAddedAndSourceUrl() throws Exception {
    // events.csv, line 6: 410412352, 20140218, AUSTRALIA -> INVESTOR, 013 (not mapped); so take the first
    // mapped row and check it against its own columns.
    List<String> lines = new String(resource("events.csv").readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    DiplomaticEvent first = events(Feed.GDELT, "events.csv").stream()
        .filter(e -> !e.getEventId().endsWith("-talk")).findFirst().orElseThrow();
    String[] columns = lines.stream().filter(l -> ("gdelt-" + l.split("\t")[0]).equals(first.getEventId()))
        .findFirst().orElseThrow().split("\t", -1);

    assertThat(first.getCameoCode()).isEqualTo(columns[26]);
    assertThat(first.getSource().getActor()).isEqualTo(columns[6].isEmpty() ? columns[5] : columns[6]);
    assertThat(first.getSource().getUrl()).isEqualTo(columns[60]);
    assertThat(first.getOccurredAt().toString()).startsWith(columns[1].substring(0, 4) + "-" + columns[1].substring(4, 6)
        + "-" + columns[1].substring(6, 8));
    assertThat(first.getRecordedAt().toString()).startsWith(columns[59].substring(0, 4) + "-");
  }

  @Test
  void malformedRowsAreReportedWithTheirLineNumbersAndTheRestIsRead() throws Exception {
    String header = "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity"
        + "\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\tCity\tDistrict\tProvince"
        + "\tCountry\tLatitude\tLongitude";
    String good = "1\t2018-06-01\tA\tx\tx\tConsult\t040\t1\tB\tx\tx\t1\t1\tP\tNA\tNA\tNA\tNA\t0\t0";
    String file = String.join("\n", header, good, "2\t2018-06-01\tA\tx", good.replace("2018-06-01", "01/06/2018")
        .replace("1\t", "3\t"), good.replace("\t040\t", "\t999\t").replaceFirst("1", "4"), good.replaceFirst("1", "5"));

    FeedImport.Summary summary = FeedImport.read(Feed.ICEWS,
        new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), CameoEvents.Window.NONE, e -> { });

    assertThat(summary.malformed()).extracting(Object::toString).containsExactly(
        "line 3: expected 20 tab-separated columns, found 4",
        "line 4: Event Date '01/06/2018' is not a date",
        "line 5: CAMEO Code '999' is not a CAMEO 1.1b3 event code");
    assertThat(summary.rowsRead()).isEqualTo(5);
    assertThat(summary.rowsMapped()).isEqualTo(2);
  }

  @Test
  void readingTheSameFileTwiceGivesTheSameEvents() throws Exception {
    List<String> first = events(Feed.ICEWS, "events.2018.sample.tab").stream().map(JsonForm::toJson).toList();
    List<String> second = events(Feed.ICEWS, "events.2018.sample.tab").stream().map(JsonForm::toJson).toList();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void talksCanBeCutByYearOrMonth() {
    FeedRow row = new FeedRow(Feed.ICEWS, 2, "1", java.time.LocalDate.parse("2018-06-01"),
        java.time.Instant.parse("2018-06-01T00:00:00Z"), "Kim Jong-Un", "Donald Trump", "046", "ICEWS", null);

    assertThat(new CameoEvents(CameoEvents.Window.NONE).talkId(row)).isEqualTo("icews:donald-trump--kim-jong-un");
    assertThat(new CameoEvents(CameoEvents.Window.YEAR).talkId(row)).isEqualTo("icews:donald-trump--kim-jong-un@2018");
    assertThat(new CameoEvents(CameoEvents.Window.MONTH).talkId(row)).isEqualTo("icews:donald-trump--kim-jong-un@2018-06");
  }
}
