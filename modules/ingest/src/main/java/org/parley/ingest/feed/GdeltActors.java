package org.parley.ingest.feed;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Resolves a GDELT actor from its CAMEO actor codes: Actor1Code, Name, CountryCode, KnownGroupCode,
 * EthnicCode, Religion1Code and Type1-3Code (and the same for Actor2).
 *
 * <ul>
 *   <li>A known group (UN, NATO, Al Qaeda...) resolves to itself: an organisation, or an armed
 *       group when its types say so (REB, INS, SEP, IMG, UAF).
 *   <li>With a country code: no type (the country, one of its places or people), or a first type of
 *       government, military or intelligence (GOV, MIL, SPY), resolves to the country, named from
 *       the ISO code ("AUSTRALIAN" and "AUSTRALIA" are both Australia, "KIWI" is New Zealand);
 *       rebels, insurgents and separatists resolve to "Rebels (Syria)" and the like; any other type
 *       (police, judiciary, business, civilians, media, ...) is a generic sector.
 *   <li>A region code (Europe, Africa, the West...) or a government with no country ("PRESIDENT",
 *       "MILITARY BASE") is unidentified; an ethnic or religious group with no country is generic.
 * </ul>
 */
final class GdeltActors {
  private static final Map<String, String> COUNTRIES = countries();

  /** CAMEO's region codes: places, not parties. */
  private static final Set<String> REGIONS =
      Set.of(
          "AFR", "ASA", "BLK", "CRB", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF", "EEU", "EUR", "LAM",
          "MEA", "MDT", "NAF", "NMR", "PGS", "SCN", "SAM", "SAS", "SEA", "SAF", "WAF", "WST");

  private static final Set<String> FOR_THE_STATE = Set.of("GOV", "MIL", "SPY");
  private static final Set<String> ARMED_GROUP = Set.of("REB", "INS", "SEP", "IMG", "UAF");
  private static final Set<String> ORGANIZATION =
      Set.of("IGO", "NGO", "NGM", "IRC", "AMN", "HRI", "INT");
  private static final Map<String, String> LABELS =
      Map.ofEntries(
          Map.entry("COP", "Police"),
          Map.entry("JUD", "Judiciary"),
          Map.entry("LEG", "Legislature"),
          Map.entry("BUS", "Business"),
          Map.entry("CVL", "Civilians"),
          Map.entry("EDU", "Education"),
          Map.entry("MED", "Media"),
          Map.entry("REL", "Religion"),
          Map.entry("LAB", "Labour"),
          Map.entry("AGR", "Agriculture"),
          Map.entry("HLH", "Health"),
          Map.entry("REF", "Refugees"),
          Map.entry("CRM", "Criminals"),
          Map.entry("MNC", "Multinational corporation"),
          Map.entry("OPP", "Opposition"),
          Map.entry("ELI", "Elites"),
          Map.entry("ENV", "Environment"),
          Map.entry("MOD", "Moderates"),
          Map.entry("RAD", "Radicals"),
          Map.entry("SET", "Settlers"),
          Map.entry("UIS", "Unidentified state actor"),
          Map.entry("REB", "Rebels"),
          Map.entry("INS", "Insurgents"),
          Map.entry("SEP", "Separatists"),
          Map.entry("UAF", "Armed forces"),
          Map.entry("IMG", "Militarized group"));

  private GdeltActors() {}

  /**
   * The actor from the ten columns starting at Actor1Code (5) or Actor2Code (15); null when the row
   * names none.
   */
  static Actor resolve(String[] c, int at) {
    String code = c[at].strip();
    String rawName = c[at + 1].strip();
    if (code.isEmpty() && rawName.isEmpty()) {
      return null;
    }
    String name = titleCase(rawName.isEmpty() ? code : rawName);
    String countryCode = c[at + 2].strip();
    String group = c[at + 3].strip();
    List<String> types =
        Stream.of(c[at + 7], c[at + 8], c[at + 9])
            .map(String::strip)
            .filter(t -> !t.isEmpty())
            .toList();
    boolean armed = types.stream().anyMatch(t -> t.equals("MIL") || ARMED_GROUP.contains(t));
    String country = COUNTRIES.get(countryCode);
    if (!group.isEmpty()) {
      boolean armedGroup = types.stream().anyMatch(ARMED_GROUP::contains);
      return Actor.own(
          name, armedGroup ? Actor.Kind.ARMED_GROUP : Actor.Kind.ORGANIZATION, null, armed);
    }
    if (country != null) {
      String first = types.isEmpty() ? null : types.get(0);
      String armedGroup =
          types.stream()
              .filter(t -> Set.of("REB", "INS", "SEP").contains(t))
              .findFirst()
              .orElse(null);
      if (armedGroup != null) {
        return Actor.own(
            LABELS.get(armedGroup) + " (" + country + ")", Actor.Kind.ARMED_GROUP, country, true);
      }
      if (first == null || FOR_THE_STATE.contains(first)) {
        // A named person or body of the government is a participant; a place or the country's own
        // name is not.
        return Actor.state(
            name,
            country,
            armed && !types.contains("GOV"),
            first != null && !name.equalsIgnoreCase(country));
      }
      return Actor.own(
          LABELS.getOrDefault(first, titleCase(first)) + " (" + country + ")",
          Actor.Kind.SECTOR,
          country,
          armed);
    }
    if (REGIONS.contains(countryCode) || !countryCode.isEmpty()) {
      return Actor.own(name, Actor.Kind.UNIDENTIFIED, null, armed);
    }
    if (types.stream().anyMatch(ORGANIZATION::contains)) {
      return Actor.own(name, Actor.Kind.ORGANIZATION, null, armed);
    }
    if (types.stream().anyMatch(FOR_THE_STATE::contains)) {
      return Actor.own(name, Actor.Kind.UNIDENTIFIED, null, armed); // a government, but whose?
    }
    return Actor.own(
        name, Actor.Kind.SECTOR, null, armed); // civilians, business, an ethnic or religious group
  }

  /** CAMEO country codes are ISO 3166 alpha-3, with a few of CAMEO's own. */
  private static Map<String, String> countries() {
    Map<String, String> names = new HashMap<>();
    for (String alpha2 : Locale.getISOCountries()) {
      Locale locale = new Locale.Builder().setRegion(alpha2).build();
      names.put(locale.getISO3Country(), locale.getDisplayCountry(Locale.ENGLISH));
    }
    names.put("ROM", names.get("ROU"));
    names.put("ZAR", names.get("COD"));
    names.put("TMP", names.get("TLS"));
    names.put("KOS", "Kosovo");
    names.put("WSB", "Palestinian Territories");
    names.put("GZS", "Palestinian Territories");
    return Map.copyOf(names);
  }

  /** "UNITED KINGDOM" -> "United Kingdom". */
  static String titleCase(String upper) {
    return Stream.of(upper.toLowerCase(Locale.ROOT).split(" "))
        .filter(w -> !w.isEmpty())
        .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
        .collect(Collectors.joining(" "));
  }
}
