package org.parley.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Actors resolved to the entity that negotiates, from the columns of real sample rows. */
class ActorsTest {

  private static Actor gdelt(String... tenColumns) {
    String[] row = new String[61];
    java.util.Arrays.fill(row, "");
    System.arraycopy(tenColumns, 0, row, 5, tenColumns.length);
    return GdeltActors.resolve(row, 5);
  }

  @Test
  void icewsPeopleAndOrgansOfAStateSpeakForIt() {
    assertThat(IcewsActors.resolve("Kim Yong-chol", "Government", "North Korea"))
        .isEqualTo(
            new Actor(
                "Kim Yong-chol", Actor.Kind.STATE, "North Korea", "North Korea", false, true));
    assertThat(
            IcewsActors.resolve(
                    "Foreign Affairs (Bangladesh)",
                    "Executive,Foreign Ministry,Government",
                    "Bangladesh")
                .entity())
        .isEqualTo("Bangladesh");
    assertThat(IcewsActors.resolve("Russia", "NA", "Russian Federation"))
        .isEqualTo(
            new Actor(
                "Russia",
                Actor.Kind.STATE,
                "Russian Federation",
                "Russian Federation",
                false,
                false));
    // ICEWS's sectors for Modi are out of date (an opposition party): a political sector is enough.
    assertThat(
            IcewsActors.resolve(
                    "Narendra Modi",
                    "Elite,Parties,Opposition Major Party (Out Of Government)",
                    "India")
                .entity())
        .isEqualTo("India");
    assertThat(
            IcewsActors.resolve("Israeli Defense Forces", "Government,Military", "Israel").armed())
        .isTrue();
    assertThat(
            IcewsActors.resolve(
                    "James Mattis",
                    "Government,Marines,Executive,Defense / Security Ministry,Military",
                    "United States")
                .armed())
        .as("a minister is not an armed force")
        .isFalse();
  }

  @Test
  void icewsSectorsOrganisationsAndTheUnidentified() {
    assertThat(
            IcewsActors.resolve(
                    "Citizen (India)", "General Population / Civilian / Social,Social", "India")
                .kind())
        .isEqualTo(Actor.Kind.SECTOR);
    assertThat(IcewsActors.resolve("Police (Australia)", "Government,Police", "Australia").kind())
        .isEqualTo(Actor.Kind.SECTOR);
    assertThat(
            IcewsActors.resolve("Court Judge (South Korea)", "Judicial,Government", "South Korea")
                .kind())
        .isEqualTo(Actor.Kind.SECTOR);
    assertThat(
            IcewsActors.resolve(
                "European Union", "International Government Organization,Regional", "NA"))
        .isEqualTo(
            new Actor(
                "European Union", Actor.Kind.ORGANIZATION, "European Union", null, false, false));
    assertThat(IcewsActors.resolve("Armed Rebel (Syria)", "Dissident,Rebel", "Syria").kind())
        .isEqualTo(Actor.Kind.ARMED_GROUP);
    assertThat(IcewsActors.resolve("Unspecified Actor", "Unspecified", "NA").kind())
        .isEqualTo(Actor.Kind.UNIDENTIFIED);
    assertThat(IcewsActors.resolve("Africa", "NA", "NA").kind()).isEqualTo(Actor.Kind.UNIDENTIFIED);
    assertThat(IcewsActors.resolve("NA", "NA", "NA")).isNull();
  }

  @Test
  void gdeltActorsResolveByCountryAndTypeCodes() {
    assertThat(gdelt("NZL", "KIWI", "NZL").entity()).isEqualTo("New Zealand");
    assertThat(gdelt("AUS", "AUSTRALIAN", "AUS").entity()).isEqualTo("Australia");
    assertThat(gdelt("USAGOV", "OBAMA", "USA", "", "", "", "", "GOV"))
        .isEqualTo(
            new Actor("Obama", Actor.Kind.STATE, "United States", "United States", false, true));
    assertThat(gdelt("ZWEMIL", "ZIMBABWE", "ZWE", "", "", "", "", "MIL").armed()).isTrue();
    assertThat(gdelt("YEM", "ADEN", "YEM").entity()).isEqualTo("Yemen");
    assertThat(gdelt("REL", "CLERIC", "", "", "", "", "", "REL").kind())
        .isEqualTo(Actor.Kind.SECTOR);
    assertThat(gdelt("ZWEJUD", "ZIMBABWE", "ZWE", "", "", "", "", "JUD"))
        .isEqualTo(
            new Actor(
                "Judiciary (Zimbabwe)",
                Actor.Kind.SECTOR,
                "Judiciary (Zimbabwe)",
                "Zimbabwe",
                false,
                false));
    assertThat(gdelt("EUR", "EUROPE", "EUR").kind()).isEqualTo(Actor.Kind.UNIDENTIFIED);
    assertThat(gdelt("MIL", "MILITARY BASE", "", "", "", "", "", "MIL").kind())
        .isEqualTo(Actor.Kind.UNIDENTIFIED);
    assertThat(gdelt("IMGMOSALQ", "AL QAEDA", "", "ALQ", "", "MOS", "", "IMG"))
        .isEqualTo(new Actor("Al Qaeda", Actor.Kind.ARMED_GROUP, "Al Qaeda", null, true, false));
    assertThat(gdelt("idg", "INDIGENOUS", "").kind()).isEqualTo(Actor.Kind.SECTOR);
    assertThat(gdelt("", "", "")).isNull();
  }
}
