package org.parley.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.parley.avro.AgreementKind;
import org.parley.avro.AgreementReached;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.DeadlineSet;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.avro.TalkStatus;
import org.parley.model.Events;
import org.parley.model.JsonForm;

/**
 * The GDELT and ICEWS adapters on the real samples (test resources, with their provenance), and on
 * a few hand-made rows where the samples hold no example (a cease-fire in a war).
 */
class FeedImportTest {
  private static final String HEADER =
      "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text"
          + "\tCAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher"
          + "\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude";

  private static List<String> lines(String resource) throws Exception {
    return new String(
            FeedImportTest.class.getResourceAsStream("/feeds/" + resource).readAllBytes(),
            StandardCharsets.UTF_8)
        .lines()
        .toList();
  }

  private static List<DiplomaticEvent> events(
      Feed feed, String resource, CameoEvents.Options options) throws Exception {
    return SampleFold.of(feed, resource, options).events();
  }

  private static FeedImport.Summary read(
      String icewsText, CameoEvents.Options options, List<DiplomaticEvent> into) throws Exception {
    byte[] bytes = icewsText.getBytes(StandardCharsets.UTF_8);
    return FeedImport.read(Feed.ICEWS, () -> new ByteArrayInputStream(bytes), options, into::add);
  }

  /**
   * An ICEWS row: id, date, source (name, sectors, country), code, target (name, sectors, country),
   * story, sentence.
   */
  private static String icews(
      String id, String source, String code, String target, String story, String sentence) {
    return String.join(
        "\t",
        id,
        "2018-06-01",
        source,
        "Event",
        code,
        "1",
        target,
        story,
        sentence,
        "Hand-made",
        "NA",
        "NA",
        "NA",
        "NA",
        "0",
        "0");
  }

  @Test
  void theIcewsSampleBecomesStateLevelTalksWithTheNoiseCountedByReason() throws Exception {
    SampleFold icews =
        SampleFold.of(Feed.ICEWS, "events.2018.sample.tab", CameoEvents.Options.DEFAULT);
    FeedImport.Summary summary = icews.summary();

    assertThat(summary.rowsRead()).isEqualTo(3_705);
    assertThat(summary.malformedCount()).isZero();
    assertThat(summary.rowsMapped()).isEqualTo(780);
    assertThat(summary.eventsByType())
        .isEqualTo(
            Map.of(
                "TalkAnnounced",
                302L,
                "SessionScheduled",
                102L,
                "TalkStatusChanged",
                505L,
                "CommitmentMade",
                79L,
                "DeadlineSet",
                1L,
                "AgreementReached",
                15L));
    assertThat(summary.skippedByReason())
        .containsEntry(CameoEvents.SECTOR, 202L)
        .containsEntry(CameoEvents.UNIDENTIFIED, 19L)
        .containsEntry(CameoEvents.DOMESTIC, 65L)
        .containsEntry(CameoEvents.MIRRORED, 416L)
        .containsEntry(CameoEvents.AGREEMENT_AGAIN, 11L)
        .containsEntry("CAMEO 010 (Make statement, not specified below) has no Parley event", 528L)
        .containsEntry(
            "CAMEO 1056 (Demand de-escalation of military engagement) has no Parley event", 2L);
    assertThat(summary.skipped()).isEqualTo(3_705 - 780);

    assertThat(icews.refused()).isZero();
    assertThat(icews.talks()).hasSize(171);
    assertThat(icews.alerts()).isEqualTo(388);
    assertThat(icews.alertsByType())
        .containsEntry("AGREEMENT_REACHED HIGH", 15L)
        .containsEntry("TALK_STATUS_CHANGED HIGH", 3L);
    assertThat(icews.top(5))
        .containsExactly(
            "North Korea and United States (IN_PROGRESS, 193 events)",
            "China and United States (IN_PROGRESS, 61 events)",
            "North Korea and Russian Federation (IN_PROGRESS, 46 events)",
            "North Korea and South Korea (IN_PROGRESS, 22 events)",
            "Japan and Vietnam (IN_PROGRESS, 21 events)");
  }

  @Test
  void withTalksAtActorLevelThePeopleAreTheParties() throws Exception {
    SampleFold actors =
        SampleFold.of(
            Feed.ICEWS,
            "events.2018.sample.tab",
            CameoEvents.Options.DEFAULT.withTalks(CameoEvents.Talks.ACTORS));

    assertThat(actors.summary().rowsMapped()).isEqualTo(807);
    assertThat(actors.events()).hasSize(1_220);
    assertThat(actors.talks()).hasSize(290);
    assertThat(actors.alerts()).isEqualTo(589);
    assertThat(actors.top(3))
        .containsExactly(
            "Donald Trump and Kim Jong-Un (IN_PROGRESS, 53 events)",
            "China and Wilbur Ross (IN_PROGRESS, 42 events)",
            "Donald Trump and Kim Yong-chol (IN_PROGRESS, 36 events)");
  }

  @Test
  void theTrumpKimSummitIsOneTalkOfTheTwoStatesWithTheNamedPeopleAsParticipants() throws Exception {
    SampleFold icews =
        SampleFold.of(Feed.ICEWS, "events.2018.sample.tab", CameoEvents.Options.DEFAULT);

    TalkState summit = icews.talks().get("icews:north-korea--united-states");
    assertThat(summit.getParties()).containsExactly("North Korea", "United States");
    assertThat(summit.getStatus()).isEqualTo(TalkStatus.IN_PROGRESS);
    Set<String> participants =
        summit.getSessions().stream()
            .flatMap(s -> s.getParticipants().stream())
            .collect(Collectors.toSet());
    assertThat(participants)
        .contains("Donald Trump", "Kim Jong-Un", "Kim Yong-chol", "Mike Pompeo")
        .doesNotContain("North Korea", "United States");
    assertThat(summit.getSessions())
        .extracting(s -> s.getSessionId())
        .containsExactly("2018-06-01", "2018-06-02");
    // No talk is named after a person or a generic sector any more.
    assertThat(icews.talks().keySet())
        .noneMatch(
            id ->
                id.contains("trump")
                    || id.contains("kim-")
                    || id.contains("citizen")
                    || id.contains("police")
                    || id.contains("court-judge"));
  }

  @Test
  void genericSectorsComeInOnlyWhenAskedAndDomesticPairsNever() throws Exception {
    SampleFold withSectors =
        SampleFold.of(
            Feed.ICEWS, "events.2018.sample.tab", CameoEvents.Options.DEFAULT.withSectors(true));

    assertThat(withSectors.summary().skippedByReason())
        .doesNotContainKey(CameoEvents.SECTOR)
        .containsEntry(CameoEvents.DOMESTIC, 195L);
    assertThat(withSectors.talks())
        .hasSize(209)
        .containsKey("icews:citizen-india--citizen-pakistan")
        .doesNotContainKeys(
            "icews:citizen-india--india",
            "icews:citizen-india--police-india",
            "icews:chief-court-judge-south-korea--court-judge-south-korea");
  }

  @Test
  void aSigningToldInMirroredRowsIsOneAgreementWithOneAlert() throws Exception {
    // Independently of the adapter: the 57 "sign formal agreement" rows are 29 signings (story,
    // sentence, pair).
    List<String[]> signings =
        lines("events.2018.sample.tab").stream()
            .skip(1)
            .map(l -> l.split("\t", -1))
            .filter(c -> c[6].equals("057"))
            .toList();
    assertThat(signings).hasSize(57);
    assertThat(
            signings.stream()
                .map(c -> c[11] + "/" + c[12] + "/" + new java.util.TreeSet<>(List.of(c[2], c[8])))
                .distinct())
        .hasSize(29);

    SampleFold actors =
        SampleFold.of(
            Feed.ICEWS,
            "events.2018.sample.tab",
            CameoEvents.Options.DEFAULT.withTalks(CameoEvents.Talks.ACTORS));
    // Kim Jong-un and Moon Jae-in: 8 rows, 4 stories, one day: one agreement, one AGREEMENT_REACHED
    // alert.
    String kimMoon = "icews:kim-jong-un--moon-jae-in";
    assertThat(actors.talks().get(kimMoon).getAgreements()).hasSize(1);
    assertThat(actors.alertsByTalk().get(kimMoon))
        .filteredOn(a -> a.getType().toString().equals("AGREEMENT_REACHED"))
        .hasSize(1);
    // And at state level the same signings, with North Korea and South Korea, are one agreement
    // too.
    SampleFold states =
        SampleFold.of(Feed.ICEWS, "events.2018.sample.tab", CameoEvents.Options.DEFAULT);
    assertThat(states.talks().get("icews:north-korea--south-korea").getAgreements()).hasSize(1);
    assertThat(states.alertsByType().get("AGREEMENT_REACHED HIGH")).isEqualTo(states.agreements());
  }

  @Test
  void aTradeTruceIsAnAgreementButNotACeaseFire() throws Exception {
    // 32899976/7: China <-> United States, 0871 Declare truce, ceasefire, one Xinhua sentence
    // (47410062/5) about
    // trade.
    SampleFold icews =
        SampleFold.of(Feed.ICEWS, "events.2018.sample.tab", CameoEvents.Options.DEFAULT);

    TalkState chinaUs = icews.talks().get("icews:china--united-states");
    assertThat(chinaUs.getAgreements())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getKind()).isEqualTo(AgreementKind.OTHER);
              assertThat(a.getSummary()).contains("a truce, not in an armed conflict");
            });
    assertThat(chinaUs.getCommitments())
        .noneMatch(c -> c.getCommitmentId().startsWith("ceasefire-"));
  }

  @Test
  void aTruceIsACeaseFireWhereTheSidesFightOrOneIsAnArmedForce() throws Exception {
    String israelArmy = "Israeli Defense Forces\tGovernment,Military\tIsrael";
    // Hamas as the ICEWS sample has it (an international NGO, so a party of its own).
    String hamas =
        "Hamas\tMuslim,Dissident,International Religious,(National) Major Party,Parties,"
            + "Nongovernmental Organization (International)\tOccupied Palestinian Territory";
    String armenia = "Armenia\tNA\tArmenia";
    String azerbaijan = "Azerbaijan\tNA\tAzerbaijan";
    String text =
        String.join(
            "\n",
            HEADER,
            icews("1", israelArmy, "0871", hamas, "10", "1"),
            icews("2", hamas, "0871", israelArmy, "10", "1"), // its mirror
            icews(
                "3",
                armenia,
                "0871",
                azerbaijan,
                "11",
                "1"), // a truce, with the fighting further down the file
            icews("4", azerbaijan, "190", armenia, "12", "1"),
            icews("5", armenia, "196", azerbaijan, "13", "1"));
    List<DiplomaticEvent> events = new ArrayList<>();

    FeedImport.Summary summary = read(text, CameoEvents.Options.DEFAULT, events);

    assertThat(summary.skippedByReason()).containsEntry(CameoEvents.MIRRORED, 1L);
    List<AgreementReached> agreements =
        events.stream()
            .filter(e -> e.getPayload() instanceof AgreementReached)
            .map(e -> (AgreementReached) e.getPayload())
            .toList();
    assertThat(agreements)
        .extracting(AgreementReached::getKind)
        .containsExactly(AgreementKind.CEASE_FIRE, AgreementKind.CEASE_FIRE);
    assertThat(events.get(0).getTalkId()).isEqualTo("icews:hamas--israel");
    assertThat(agreements.get(0).getInEffect())
        .containsExactly("ceasefire-hamas", "ceasefire-israel");
    assertThat(events)
        .filteredOn(e -> e.getCameoCode().equals("196"))
        .extracting(Events::type)
        .containsExactly("CommitmentMade", "CommitmentStatusChanged");
    assertThat(events)
        .filteredOn(e -> e.getCameoCode().equals("196"))
        .last()
        .satisfies(
            e ->
                assertThat(e.getPayload().toString())
                    .contains(CommitmentStatus.BREACHED.toString()));
  }

  @Test
  void gdeltRowsAboutLastYearAreMentionsInPassingAndSpellingsOfOnePairAreOneTalk()
      throws Exception {
    SampleFold events = SampleFold.of(Feed.GDELT, "events.csv", CameoEvents.Options.DEFAULT);
    SampleFold translingual = SampleFold.of(Feed.GDELT, "eventsT.csv", CameoEvents.Options.DEFAULT);

    assertThat(events.summary().rowsRead()).isEqualTo(100);
    assertThat(events.summary().rowsMapped()).isEqualTo(2);
    assertThat(events.summary().skippedByReason())
        .containsEntry(CameoEvents.MISSING, 16L)
        .containsEntry(CameoEvents.SECTOR, 14L)
        .containsEntry(CameoEvents.UNIDENTIFIED, 13L)
        .containsEntry(CameoEvents.DOMESTIC, 1L)
        .containsEntry(new CameoEvents(CameoEvents.Options.DEFAULT).reportedLate(), 4L);
    assertThat(events.talks().keySet())
        .containsExactly("gdelt:belarus--zimbabwe", "gdelt:senegal--vietnam");
    assertThat(events.events()).hasSize(4);
    assertThat(events.alerts()).isEqualTo(4);
    assertThat(translingual.summary().rowsMapped()).isEqualTo(4);
    assertThat(translingual.summary().skippedByReason()).containsEntry(CameoEvents.MIRRORED, 1L);
    assertThat(translingual.talks().keySet())
        .containsExactly(
            "gdelt:argentina--united-states",
            "gdelt:colombia--united-states",
            "gdelt:spain--united-states",
            "gdelt:spain--venezuela");
    assertThat(translingual.events()).hasSize(9);
    assertThat(translingual.alerts()).isEqualTo(7);

    // The four AUSTRALIA/AUSTRALIAN - KIWI/NEW ZEALAND rows are dated 2014-02-18 in a story of
    // 2015-02-18. Let them in (a lag of 400 days) and they are one talk, Australia - New Zealand,
    // not two.
    SampleFold late =
        SampleFold.of(
            Feed.GDELT,
            "events.csv",
            new CameoEvents.Options(
                CameoEvents.Talks.STATES, CameoEvents.Window.NONE, false, Duration.ofDays(400)));
    assertThat(late.talks().keySet())
        .contains("gdelt:australia--new-zealand")
        .noneMatch(id -> id.contains("kiwi") || id.contains("australian"));
  }

  @Test
  void aGdeltRowKeepsItsDateAddedAndSourceUrl() throws Exception {
    List<String> lines = lines("eventsT.csv");
    DiplomaticEvent first =
        events(Feed.GDELT, "eventsT.csv", CameoEvents.Options.DEFAULT).stream()
            .filter(e -> !e.getEventId().endsWith("-talk") && e.getSource().getUrl() != null)
            .findFirst()
            .orElseThrow();
    String[] columns =
        lines.stream()
            .map(l -> l.split("\t", -1))
            .filter(
                c -> c[60].equals(first.getSource().getUrl()) && c[26].equals(first.getCameoCode()))
            .findFirst()
            .orElseThrow();

    assertThat(first.getOccurredAt())
        .isEqualTo(
            LocalDate.parse(columns[1], java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                .atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant());
    assertThat(first.getRecordedAt())
        .isEqualTo(
            Instant.parse(
                columns[59].replaceFirst(
                    "(\\d{4})(\\d{2})(\\d{2})(\\d{2})(\\d{2})(\\d{2})", "$1-$2-$3T$4:$5:$6Z")));
    assertThat(first.getRecordedAt()).isAfterOrEqualTo(first.getOccurredAt());
  }

  @Test
  void anUltimatumKeepsItsPeopleInItsDescription() throws Exception {
    // 32891071: Donald Trump -> Justin Trudeau, 139 Give ultimatum, 2018-06-01: a talk of Canada
    // and the United
    // States.
    DiplomaticEvent ultimatum =
        events(Feed.ICEWS, "events.2018.sample.tab", CameoEvents.Options.DEFAULT).stream()
            .filter(e -> e.getPayload() instanceof DeadlineSet)
            .findFirst()
            .orElseThrow();

    assertThat(ultimatum.getTalkId()).isEqualTo("icews:canada--united-states");
    assertThat(ultimatum.getSource().getActor()).isEqualTo("Donald Trump");
    assertThat(((DeadlineSet) ultimatum.getPayload()).getDueAt())
        .hasToString("2018-06-08T00:00:00Z");
    assertThat(((DeadlineSet) ultimatum.getPayload()).getDescription())
        .startsWith("Ultimatum from Donald Trump to Justin Trudeau");
  }

  @Test
  void malformedRowsAreReportedWithTheirLineNumbersAndTheRestIsRead() throws Exception {
    String us = "United States\tNA\tUnited States";
    String cuba = "Cuba\tNA\tCuba";
    String good = icews("1", us, "040", cuba, "1", "1");
    String text =
        String.join(
            "\n",
            HEADER,
            good,
            "2\t2018-06-01\tA\tx",
            good.replace("2018-06-01", "01/06/2018"),
            icews("4", us, "999", cuba, "4", "1"),
            icews("5", cuba, "040", us, "5", "1"));

    FeedImport.Summary summary = read(text, CameoEvents.Options.DEFAULT, new ArrayList<>());

    assertThat(summary.malformed())
        .extracting(Object::toString)
        .containsExactly(
            "line 3: expected 20 tab-separated columns, found 4",
            "line 4: Event Date '01/06/2018' is not a date",
            "line 5: CAMEO Code '999' is not a CAMEO 1.1b3 event code");
    assertThat(summary.rowsRead()).isEqualTo(5);
    assertThat(summary.rowsMapped()).isEqualTo(2);
  }

  @Test
  void readingTheSameFileTwiceGivesTheSameEvents() throws Exception {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    FeedImport.Input sample =
        () -> FeedImportTest.class.getResourceAsStream("/feeds/events.2018.sample.tab");
    FeedImport.read(
        Feed.ICEWS, sample, CameoEvents.Options.DEFAULT, e -> first.add(JsonForm.toJson(e)));
    FeedImport.read(
        Feed.ICEWS, sample, CameoEvents.Options.DEFAULT, e -> second.add(JsonForm.toJson(e)));

    assertThat(first).hasSize(1_004);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void everyEventIsDatedNoLaterThanItWasRecorded() throws Exception {
    for (String[] sample :
        List.of(
            new String[] {"ICEWS", "events.2018.sample.tab"},
            new String[] {"GDELT", "events.csv"},
            new String[] {"GDELT", "eventsT.csv"})) {
      assertThat(events(Feed.valueOf(sample[0]), sample[1], CameoEvents.Options.DEFAULT))
          .allMatch(
              e -> !e.getOccurredAt().isAfter(e.getRecordedAt()),
              "occurredAt <= recordedAt in " + sample[1]);
    }
  }

  @Test
  void talksCanBeCutByYearOrMonth() {
    Actor trump = IcewsActors.resolve("Donald Trump", "Government,Executive", "United States");
    Actor kim = IcewsActors.resolve("Kim Jong-Un", "Government,Executive", "North Korea");
    FeedRow row =
        new FeedRow(
            Feed.ICEWS,
            2,
            "1",
            LocalDate.parse("2018-06-01"),
            Instant.parse("2018-06-01T00:00:00Z"),
            null,
            kim,
            trump,
            "046",
            "ICEWS",
            null,
            null);

    assertThat(new CameoEvents(CameoEvents.Window.NONE).talkId(row))
        .isEqualTo("icews:north-korea--united-states");
    assertThat(new CameoEvents(CameoEvents.Window.YEAR).talkId(row))
        .isEqualTo("icews:north-korea--united-states@2018");
    assertThat(
            new CameoEvents(
                    CameoEvents.Options.DEFAULT
                        .withTalks(CameoEvents.Talks.ACTORS)
                        .withWindow(CameoEvents.Window.MONTH))
                .talkId(row))
        .isEqualTo("icews:donald-trump--kim-jong-un@2018-06");
  }
}
