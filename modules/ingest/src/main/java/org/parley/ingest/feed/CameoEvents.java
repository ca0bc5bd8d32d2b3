package org.parley.ingest.feed;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.parley.avro.AgreementKind;
import org.parley.avro.AgreementReached;
import org.parley.avro.CommitmentMade;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.CommitmentStatusChanged;
import org.parley.avro.DeadlineSet;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.SessionScheduled;
import org.parley.avro.Source;
import org.parley.avro.TalkAnnounced;
import org.parley.avro.TalkStatus;
import org.parley.avro.TalkStatusChanged;

/**
 * Turns coded feed rows into Parley events.
 *
 * <p><b>Talks.</b> A feed has no talk ids, so a talk is a pair of parties (in either order),
 * optionally within a time window: {@code <feed>:<party>--<party>[@<window>]}, each party a
 * lower-case slug. With {@link Talks#STATES} (the default) the parties are the negotiating entities
 * the actors resolve to ({@link Actor#entity}: "Donald Trump", "North Korea" and "Kim Yong-chol"
 * make the talk North Korea – United States), and named people are kept as the participants of each
 * day's session; with {@link Talks#ACTORS} they are the actors as named.
 *
 * <p><b>Noise.</b> A row is skipped, and counted by reason, when a side is missing, unidentified or
 * a region; when a side is a generic sector (unless {@link Options#includeSectors}); when both
 * sides are of one country (unless one is an armed group: a government and its rebels do
 * negotiate); when the event is dated more than {@link Options#maxReportLag} before the story that
 * reports it (only where the feed gives the story's date: GDELT), or after it.
 *
 * <p><b>Merging.</b> Rows that tell the same event (ICEWS codes a meeting both ways, and once per
 * actor that a sentence names; GDELT once per actor pair an article yields) share their event id,
 * made from the feed's merge key (ICEWS: story, sentence and code; GDELT: source URL and event
 * root) rather than the row id: the second row is skipped here as mirrored, and would be a
 * duplicate to the pipeline if it came in another import. An agreement is one per talk and day,
 * however many stories report it.
 *
 * <p><b>Cease-fire.</b> 0871 is a cease-fire only in an armed conflict: when a side is an armed
 * force, or the feed has the two fighting (a row coded 18x, 19x or 20x between their countries, in
 * what this mapping has read: the whole file, read once beforehand by {@link FeedImport}).
 * Otherwise (a trade truce) it is an agreement of kind OTHER and binds no one to a cease-fire.
 *
 * <p>The rest of the mapping (CAMEO 1.1b3):
 *
 * <table>
 *   <tr><td>036 intent to meet or negotiate</td><td>TalkAnnounced</td></tr>
 *   <tr><td>040-046 consult, visit, meet, mediate, negotiate</td><td>SessionScheduled (that day, its participants, when new ones appear), TalkStatusChanged IN_PROGRESS</td></tr>
 *   <tr><td>030-039 (not 036) intent to cooperate, aid, yield, settle, mediate</td><td>CommitmentMade PLEDGED</td></tr>
 *   <tr><td>057 sign formal agreement</td><td>AgreementReached</td></tr>
 *   <tr><td>0871 declare truce, ceasefire</td><td>in armed conflict: each side's "observe the cease-fire" commitment, then AgreementReached CEASE_FIRE putting both in effect; else AgreementReached OTHER (a truce)</td></tr>
 *   <tr><td>196 violate ceasefire</td><td>the violator's cease-fire commitment, BREACHED</td></tr>
 *   <tr><td>139 give ultimatum</td><td>DeadlineSet, due a week later (the feed gives no date)</td></tr>
 *   <tr><td>125 reject proposal to meet</td><td>TalkStatusChanged POSTPONED</td></tr>
 *   <tr><td>127 reject plan, agreement to settle</td><td>TalkStatusChanged COLLAPSED</td></tr>
 *   <tr><td>164 halt negotiations, 165 halt mediation</td><td>TalkStatusChanged SUSPENDED</td></tr>
 * </table>
 *
 * <p>Only TalkAnnounced creates a talk, so the first row of a pair that is not a 036 comes with a
 * TalkAnnounced of its own (id {@code <event id>-talk}).
 */
public final class CameoEvents {

  /** How talks are cut in time: one talk per pair for ever, or per year or month. */
  public enum Window {
    NONE,
    YEAR,
    MONTH
  }

  /**
   * Which level makes a talk: the negotiating entities (states, organisations, armed groups), or
   * the actors as named.
   */
  public enum Talks {
    STATES,
    ACTORS
  }

  /** How rows become talks, and which are kept. */
  public record Options(Talks talks, Window window, boolean includeSectors, Duration maxReportLag) {
    public static final Duration DEFAULT_MAX_REPORT_LAG = Duration.ofDays(7);
    public static final Options DEFAULT =
        new Options(Talks.STATES, Window.NONE, false, DEFAULT_MAX_REPORT_LAG);

    public Options withTalks(Talks talks) {
      return new Options(talks, window, includeSectors, maxReportLag);
    }

    public Options withWindow(Window window) {
      return new Options(talks, window, includeSectors, maxReportLag);
    }

    public Options withSectors(boolean includeSectors) {
      return new Options(talks, window, includeSectors, maxReportLag);
    }
  }

  /** What a row became: events, or why none. */
  public sealed interface Result {
    record Mapped(List<DiplomaticEvent> events) implements Result {}

    record Skipped(String reason) implements Result {}
  }

  public static final String MISSING = "a side is missing";
  public static final String UNIDENTIFIED = "a side is unidentified or a region";
  public static final String SECTOR =
      "a side is a generic sector: citizens, police, courts, business... (--include-sectors keeps them)";
  public static final String DOMESTIC = "domestic: both sides are of one country";
  public static final String SAME = "both sides are the same party";
  public static final String DATED_AFTER = "event dated after the story that reports it";
  public static final String MIRRORED =
      "mirrored: the same event as an earlier row (same story and sentence, or same article and event root)";
  public static final String AGREEMENT_AGAIN = "the same agreement again (same talk and day)";

  public static final Duration ULTIMATUM = Duration.ofDays(7);
  private static final int SLUG_LENGTH = 80;

  private final Options options;
  private final Set<String> talksSeen = new HashSet<>();
  private final Set<String> eventsSeen = new HashSet<>();
  private final Map<String, Set<String>> sessionParticipants = new HashMap<>();
  private final Set<String> fighting = new HashSet<>();

  public CameoEvents(Options options) {
    this.options = options;
  }

  public CameoEvents(Window window) {
    this(Options.DEFAULT.withWindow(window));
  }

  public Options options() {
    return options;
  }

  /** The reason for rows dated too long before their story, with the limit in it. */
  public String reportedLate() {
    return "event dated more than "
        + options.maxReportLag().toDays()
        + " days before the story that reports it"
        + " (a mention in passing)";
  }

  /**
   * Remembers a row that shows two countries (or groups) fighting: evidence that a truce between
   * them is a cease-fire.
   */
  public void noteFighting(FeedRow row) {
    String root = row.cameoCode().substring(0, 2);
    if ((root.equals("18") || root.equals("19") || root.equals("20"))
        && row.source() != null
        && row.target() != null) {
      fighting.add(pair(home(row.source()), home(row.target())));
    }
  }

  public Result map(FeedRow row) {
    String code = row.cameoCode();
    String description = CameoTable.description(code).orElseThrow();
    if (!mapped(code)) {
      return new Result.Skipped("CAMEO " + code + " (" + description + ") has no Parley event");
    }
    Actor source = row.source();
    Actor target = row.target();
    if (source == null || target == null) {
      return new Result.Skipped(MISSING);
    }
    if (source.kind() == Actor.Kind.UNIDENTIFIED || target.kind() == Actor.Kind.UNIDENTIFIED) {
      return new Result.Skipped(UNIDENTIFIED);
    }
    if (!options.includeSectors()
        && (source.kind() == Actor.Kind.SECTOR || target.kind() == Actor.Kind.SECTOR)) {
      return new Result.Skipped(SECTOR);
    }
    if (source.country() != null
        && source.country().equals(target.country())
        && source.kind() != Actor.Kind.ARMED_GROUP
        && target.kind() != Actor.Kind.ARMED_GROUP) {
      return new Result.Skipped(DOMESTIC);
    }
    String a = party(source);
    String b = party(target);
    if (slug(a).equals(slug(b))) {
      return new Result.Skipped(SAME);
    }
    if (row.published() != null) {
      if (row.date().plusDays(options.maxReportLag().toDays()).isBefore(row.published())) {
        return new Result.Skipped(reportedLate());
      }
      if (row.date().isAfter(row.published().plusDays(1))) {
        return new Result.Skipped(DATED_AFTER);
      }
    }
    String talkId = talkId(row);
    String id = eventId(row);
    if (!eventsSeen.add(talkId + "\n" + id)) {
      return new Result.Skipped(MIRRORED);
    }
    List<String> parties = slug(a).compareTo(slug(b)) < 0 ? List.of(a, b) : List.of(b, a);
    String day = row.date().toString();
    List<DiplomaticEvent> events = new ArrayList<>();
    if (talksSeen.add(talkId) && !code.equals("036")) {
      events.add(event(row, talkId, id + "-talk", announce(parties, source)));
    }
    switch (code) {
      case "036" -> events.add(event(row, talkId, id, announce(parties, source)));
      case "040", "041", "042", "043", "044", "045", "046" -> {
        Set<String> present =
            sessionParticipants.computeIfAbsent(talkId + "\n" + day, k -> new LinkedHashSet<>());
        boolean grew = false;
        for (Actor actor : List.of(source, target)) {
          if (participant(actor)) {
            grew |= present.add(actor.name());
          }
        }
        if (grew) {
          // One session a day; as more of its participants appear it is restated with all of them.
          events.add(
              event(
                  row,
                  talkId,
                  row.feed().prefix() + "-session-" + day + "-" + present.size(),
                  new SessionScheduled(
                      day, atStartOfDay(row.date()), null, List.copyOf(present), description)));
        }
        events.add(
            event(
                row,
                talkId,
                id,
                new TalkStatusChanged(TalkStatus.IN_PROGRESS, code + " " + description)));
      }
      case "057" -> {
        String agreementId = "agreement-" + day;
        if (!eventsSeen.add(talkId + "\n" + agreementId)) {
          return new Result.Skipped(AGREEMENT_AGAIN);
        }
        events.add(
            event(
                row,
                talkId,
                id,
                new AgreementReached(
                    agreementId,
                    AgreementKind.OTHER,
                    String.join(" and ", parties) + ": " + description + " (reported " + day + ")",
                    parties,
                    List.of())));
      }
      case "0871" -> {
        boolean armedConflict =
            source.armed() || target.armed() || fighting.contains(pair(home(source), home(target)));
        String agreementId = (armedConflict ? "ceasefire-" : "truce-") + day;
        if (!eventsSeen.add(talkId + "\n" + agreementId)) {
          return new Result.Skipped(AGREEMENT_AGAIN);
        }
        if (armedConflict) {
          events.add(
              event(
                  row,
                  talkId,
                  id + "-ceasefire-" + slug(parties.get(0)),
                  observeCeasefire(parties.get(0), parties.get(1))));
          events.add(
              event(
                  row,
                  talkId,
                  id + "-ceasefire-" + slug(parties.get(1)),
                  observeCeasefire(parties.get(1), parties.get(0))));
          events.add(
              event(
                  row,
                  talkId,
                  id,
                  new AgreementReached(
                      agreementId,
                      AgreementKind.CEASE_FIRE,
                      String.join(" and ", parties)
                          + ": "
                          + description
                          + " (reported "
                          + day
                          + ")",
                      parties,
                      List.of(ceasefireId(parties.get(0)), ceasefireId(parties.get(1))))));
        } else {
          events.add(
              event(
                  row,
                  talkId,
                  id,
                  new AgreementReached(
                      agreementId,
                      AgreementKind.OTHER,
                      String.join(" and ", parties)
                          + ": a truce, not in an armed conflict (CAMEO "
                          + code
                          + " "
                          + description
                          + ", reported "
                          + day
                          + ")",
                      parties,
                      List.of())));
        }
      }
      case "196" -> {
        events.add(event(row, talkId, id + "-ceasefire", observeCeasefire(a, b)));
        events.add(
            event(
                row,
                talkId,
                id,
                new CommitmentStatusChanged(
                    ceasefireId(a), CommitmentStatus.BREACHED, code + " " + description)));
      }
      case "139" ->
          events.add(
              event(
                  row,
                  talkId,
                  id,
                  new DeadlineSet(
                      id,
                      "Ultimatum from "
                          + source.name()
                          + " to "
                          + target.name()
                          + " (CAMEO 139; the feed gives no date, so it is taken as due a week later)",
                      atStartOfDay(row.date()).plus(ULTIMATUM),
                      null)));
      case "125" ->
          events.add(
              event(
                  row,
                  talkId,
                  id,
                  new TalkStatusChanged(TalkStatus.POSTPONED, code + " " + description)));
      case "127" ->
          events.add(
              event(
                  row,
                  talkId,
                  id,
                  new TalkStatusChanged(TalkStatus.COLLAPSED, code + " " + description)));
      case "164", "165" ->
          events.add(
              event(
                  row,
                  talkId,
                  id,
                  new TalkStatusChanged(TalkStatus.SUSPENDED, code + " " + description)));
      default ->
          events.add(
              event(
                  row,
                  talkId,
                  id,
                  new CommitmentMade(
                      id,
                      a,
                      description,
                      b,
                      CommitmentStatus.PLEDGED,
                      List.of(),
                      List.of(),
                      null)));
    }
    return new Result.Mapped(events);
  }

  private static boolean mapped(String code) {
    return code.startsWith("03")
        || code.startsWith("04") && code.length() == 3 && code.charAt(2) <= '6'
        || List.of("057", "0871", "196", "139", "125", "127", "164", "165").contains(code);
  }

  /** The party an actor is in a talk, at the chosen level. */
  private String party(Actor actor) {
    return options.talks() == Talks.STATES ? actor.entity() : actor.name();
  }

  private boolean participant(Actor actor) {
    return options.talks() == Talks.ACTORS || actor.participant();
  }

  /** Where an actor belongs, for evidence of fighting: its country, else itself. */
  private static String home(Actor actor) {
    return actor.country() != null ? actor.country() : actor.entity();
  }

  private static String pair(String a, String b) {
    String x = slug(a);
    String y = slug(b);
    return x.compareTo(y) < 0 ? x + "--" + y : y + "--" + x;
  }

  /** The talk of a pair of parties: the same whichever of them acted. */
  String talkId(FeedRow row) {
    String when =
        switch (options.window()) {
          case NONE -> "";
          case YEAR -> "@" + row.date().getYear();
          case MONTH -> "@" + row.date().toString().substring(0, 7);
        };
    return row.feed().prefix() + ":" + pair(party(row.source()), party(row.target())) + when;
  }

  /**
   * The event id: from the merge key where the row has one, so every row telling the same event
   * gets the same id; else from the feed's own row id.
   */
  static String eventId(FeedRow row) {
    String prefix = row.feed().prefix() + "-";
    if (row.mergeKey() == null) {
      return prefix + row.feedEventId();
    }
    return row.feed() == Feed.ICEWS
        ? prefix + "s" + row.mergeKey()
        : prefix + shortHash(row.mergeKey());
  }

  private static String shortHash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TalkAnnounced announce(List<String> parties, Actor by) {
    return new TalkAnnounced(
        String.join(" and ", parties), parties, List.of(), null, by.name(), null);
  }

  private static CommitmentMade observeCeasefire(String party, String other) {
    return new CommitmentMade(
        ceasefireId(party),
        party,
        "Observe the cease-fire",
        other,
        CommitmentStatus.PLEDGED,
        List.of(),
        List.of(),
        null);
  }

  static String ceasefireId(String party) {
    return "ceasefire-" + slug(party);
  }

  private static Instant atStartOfDay(LocalDate date) {
    return date.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /**
   * occurredAt: the day the feed dates the event; recordedAt: when the feed recorded the row
   * (GDELT) or its story's day (ICEWS).
   */
  private static DiplomaticEvent event(FeedRow row, String talkId, String eventId, Object payload) {
    return DiplomaticEvent.newBuilder()
        .setEventId(eventId)
        .setTalkId(talkId)
        .setOccurredAt(atStartOfDay(row.date()))
        .setRecordedAt(row.recordedAt())
        .setSource(new Source(row.source().name(), row.outlet(), row.url()))
        .setCameoCode(row.cameoCode())
        .setPayload(payload)
        .build();
  }

  /** "High Ranking Military Personnel (Vietnam)" -> "high-ranking-military-personnel-vietnam". */
  static String slug(String name) {
    String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String slug =
        ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    if (slug.isEmpty()) {
      slug = Integer.toHexString(name.hashCode());
    }
    return slug.length() > SLUG_LENGTH ? slug.substring(0, SLUG_LENGTH) : slug;
  }
}
