package org.parley.ingest.feed;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves an ICEWS actor from its Name, Sectors and Country columns. ICEWS names three sorts of
 * actor: states ("North Korea", no sectors), generic sectors of a country ("Police (India)",
 * "Foreign Affairs (Bangladesh)") and named people or bodies ("Kim Yong-chol", "European Union"),
 * each with the sectors it belongs to.
 *
 * <ul>
 *   <li>A state, a named person or body with a political sector (government, executive, party,
 *       ministry, military, legislature), and a sector actor that is an organ of government
 *       (executive, foreign or other ministry, cabinet, military, "Government (X)") speak for their
 *       country: they resolve to it, and named ones are kept as participants.
 *   <li>Rebels, insurgents and separatists resolve to themselves, as armed groups.
 *   <li>Actors without a country that are international or non-governmental organisations resolve
 *       to themselves; so do named people with an IGO sector who do not lead a government
 *       (Mogherini, Guterres: they speak for an organisation the columns do not name; Ouattara
 *       leads his country).
 *   <li>Police, courts, local government, legislatures as sectors, citizens, business, media and
 *       the like are generic sectors; "Unspecified Actor", regions and unnamed state actors are
 *       unidentified.
 * </ul>
 */
final class IcewsActors {
  private static final Set<String> ARMED_GROUP =
      Set.of("Rebel", "Insurgents", "Separatists", "International Insurgents");
  private static final Set<String> ARMED =
      Set.of(
          "Military",
          "Army",
          "Navy",
          "Air Force",
          "Marines",
          "Army Special Forces",
          "Rebel",
          "Insurgents",
          "Separatists",
          "International Insurgents");
  private static final Set<String> LEADERS = Set.of("Executive", "Executive Office");

  /** Sectors of government that do not negotiate for the state abroad. */
  private static final Set<String> NOT_FOR_THE_STATE =
      Set.of(
          "Police", "Judicial", "Local", "Provincial", "Municipal", "Legislative / Parliamentary");

  private IcewsActors() {}

  /** The actor, or null when the row names none. */
  static Actor resolve(String nameColumn, String sectorsColumn, String countryColumn) {
    String name = present(nameColumn);
    if (name == null) {
      return null;
    }
    String country = present(countryColumn);
    Set<String> sectors =
        present(sectorsColumn) == null
            ? Set.of()
            : Arrays.stream(sectorsColumn.split(","))
                .map(String::strip)
                .collect(Collectors.toSet());
    boolean armed =
        sectors.stream().anyMatch(ARMED::contains) && sectors.stream().noneMatch(LEADERS::contains);
    boolean sectorActor = name.endsWith(")") && name.contains(" (");
    if (sectors.contains("Unspecified")
        || name.startsWith("Unspecified")
        || name.startsWith("Unidentified")) {
      return Actor.own(name, Actor.Kind.UNIDENTIFIED, country, armed);
    }
    if (sectors.stream().anyMatch(ARMED_GROUP::contains) && !sectors.contains("Government")) {
      return Actor.own(name, Actor.Kind.ARMED_GROUP, country, true);
    }
    if (sectors.stream()
            .anyMatch(
                s ->
                    s.contains("IGO")
                        || s.contains("International Government Organization")
                        || s.contains("Nongovernmental Organization"))
        && (country == null
            || !sectorActor
                && !(sectors.contains("Government") && sectors.contains("Executive Office")))) {
      return Actor.own(name, Actor.Kind.ORGANIZATION, null, armed);
    }
    if (country == null) {
      return Actor.own(
          name, sectorActor ? Actor.Kind.SECTOR : Actor.Kind.UNIDENTIFIED, null, armed);
    }
    if (sectors.isEmpty()) {
      return Actor.state(
          name, country, false, false); // the state itself, under its own name or another
    }
    if (sectorActor) {
      boolean organ =
          sectors.stream()
                  .anyMatch(
                      s ->
                          LEADERS.contains(s)
                              || s.endsWith("Ministry")
                              || s.equals("Cabinet")
                              || ARMED.contains(s)
                              || s.equals("Military Intelligence"))
              || sectors.equals(Set.of("Government"));
      return organ && sectors.stream().noneMatch(NOT_FOR_THE_STATE::contains)
          ? Actor.state(name, country, armed, false)
          : Actor.own(name, Actor.Kind.SECTOR, country, armed);
    }
    boolean political =
        sectors.stream()
            .anyMatch(
                s ->
                    s.contains("Government")
                        || LEADERS.contains(s)
                        || s.equals("Elite")
                        || s.contains("Part")
                        || s.equals("Cabinet")
                        || s.endsWith("Ministry")
                        || ARMED.contains(s)
                        || s.contains("Legislative")
                        || s.equals("Dissident"));
    return political
        ? Actor.state(name, country, armed, true)
        : Actor.own(name, Actor.Kind.SECTOR, country, armed);
  }

  private static String present(String value) {
    String v = value == null ? "" : value.strip();
    return v.isEmpty() || v.equals("NA") ? null : v;
  }
}
