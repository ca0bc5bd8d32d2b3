package org.parley.ingest.feed;

import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.parley.avro.AgreementKind;
import org.parley.avro.AgreementReached;
import org.parley.avro.CommitmentMade;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.CommitmentStatusChanged;
import org.parley.avro.DeadlineSet;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.Source;
import org.parley.avro.TalkAnnounced;
import org.parley.avro.TalkStatus;
import org.parley.avro.TalkStatusChanged;

/**
 * Turns coded feed rows into Parley events. A feed has no talk ids, so a talk is the pair of
 * actors (in either order), optionally within a time window; its id is
 * {@code <feed>:<actor>--<actor>[@<window>]} with each actor as a lower-case slug. Event ids come
 * from the feed's own ids, so importing the same rows again produces the same events.
 *
 * <p>The mapping (CAMEO 1.1b3):
 *
 * <table>
 *   <tr><td>036 intent to meet or negotiate</td><td>TalkAnnounced</td></tr>
 *   <tr><td>040-046 consult, visit, meet, mediate, negotiate</td><td>TalkStatusChanged IN_PROGRESS</td></tr>
 *   <tr><td>030-039 (not 036) intent to cooperate, aid, yield, settle, mediate</td><td>CommitmentMade PLEDGED</td></tr>
 *   <tr><td>057 sign formal agreement</td><td>AgreementReached</td></tr>
 *   <tr><td>0871 declare truce, ceasefire</td><td>each side's "observe the cease-fire" commitment, then AgreementReached CEASE_FIRE putting both in effect</td></tr>
 *   <tr><td>196 violate ceasefire</td><td>the violator's cease-fire commitment, BREACHED</td></tr>
 *   <tr><td>139 give ultimatum</td><td>DeadlineSet, due a week later (the feed gives no date)</td></tr>
 *   <tr><td>125 reject proposal to meet</td><td>TalkStatusChanged POSTPONED</td></tr>
 *   <tr><td>127 reject plan, agreement to settle</td><td>TalkStatusChanged COLLAPSED</td></tr>
 *   <tr><td>164 halt negotiations, 165 halt mediation</td><td>TalkStatusChanged SUSPENDED</td></tr>
 * </table>
 *
 * <p>Only TalkAnnounced creates a talk, so the first row of a pair that is not a 036 comes with a
 * TalkAnnounced of its own (id {@code <event id>-talk}), said by the feed. Everything else is
 * skipped, and counted, with the reason.
 */
public final class CameoEvents {

  /** How talks are cut in time: one talk per pair for ever, or per year or month. */
  public enum Window { NONE, YEAR, MONTH }

  /** What a row became: events, or why none. */
  public sealed interface Result {
    record Mapped(List<DiplomaticEvent> events) implements Result {}

    record Skipped(String reason) implements Result {}
  }

  public static final Duration ULTIMATUM = Duration.ofDays(7);
  private static final int SLUG_LENGTH = 80;

  private final Window window;
  private final Set<String> talksSeen = new HashSet<>();

  public CameoEvents(Window window) {
    this.window = window;
  }

  public Result map(FeedRow row) {
    if (row.source() == null || row.target() == null) {
      return new Result.Skipped("missing source or target actor");
    }
    String code = row.cameoCode();
    String description = CameoTable.description(code).orElseThrow();
    if (slug(row.source()).equals(slug(row.target()))) {
      return new Result.Skipped("source and target are the same actor");
    }
    String talkId = talkId(row);
    String id = row.feed().prefix() + "-" + row.feedEventId();
    List<Object> payloads = new ArrayList<>();
    List<String> suffixes = new ArrayList<>();
    switch (code) {
      case "036" -> add(payloads, suffixes, "", announce(row));
      case "040", "041", "042", "043", "044", "045", "046" ->
          add(payloads, suffixes, "", new TalkStatusChanged(TalkStatus.IN_PROGRESS, code + " " + description));
      case "057" -> add(payloads, suffixes, "", new AgreementReached(id, AgreementKind.OTHER,
          row.source() + " and " + row.target() + ": " + description, List.of(row.source(), row.target()), List.of()));
      case "0871" -> {
        add(payloads, suffixes, "-ceasefire-source", observeCeasefire(row.source(), row.target()));
        add(payloads, suffixes, "-ceasefire-target", observeCeasefire(row.target(), row.source()));
        add(payloads, suffixes, "", new AgreementReached(id, AgreementKind.CEASE_FIRE,
            row.source() + " and " + row.target() + ": " + description, List.of(row.source(), row.target()),
            List.of(ceasefireId(row.source()), ceasefireId(row.target()))));
      }
      case "196" -> {
        add(payloads, suffixes, "-ceasefire", observeCeasefire(row.source(), row.target()));
        add(payloads, suffixes, "", new CommitmentStatusChanged(ceasefireId(row.source()), CommitmentStatus.BREACHED,
            code + " " + description));
      }
      case "139" -> add(payloads, suffixes, "", new DeadlineSet(id, "Ultimatum from " + row.source() + " to "
          + row.target() + " (CAMEO 139; the feed gives no date, so it is taken as due a week later)",
          occurredAt(row).plus(ULTIMATUM), null));
      case "125" -> add(payloads, suffixes, "", new TalkStatusChanged(TalkStatus.POSTPONED, code + " " + description));
      case "127" -> add(payloads, suffixes, "", new TalkStatusChanged(TalkStatus.COLLAPSED, code + " " + description));
      case "164", "165" -> add(payloads, suffixes, "", new TalkStatusChanged(TalkStatus.SUSPENDED,
          code + " " + description));
      default -> {
        if (code.startsWith("03")) {
          add(payloads, suffixes, "", new CommitmentMade(id, row.source(), description, row.target(),
              CommitmentStatus.PLEDGED, List.of(), List.of(), null));
        } else {
          return new Result.Skipped("CAMEO " + code + " (" + description + ") has no Parley event");
        }
      }
    }
    List<DiplomaticEvent> events = new ArrayList<>();
    if (talksSeen.add(talkId) && !code.equals("036")) {
      events.add(event(row, talkId, id + "-talk", announce(row)));
    }
    for (int i = 0; i < payloads.size(); i++) {
      events.add(event(row, talkId, id + suffixes.get(i), payloads.get(i)));
    }
    return new Result.Mapped(events);
  }

  /** The talk of a pair of actors: the same whichever of them acted. */
  String talkId(FeedRow row) {
    String a = slug(row.source());
    String b = slug(row.target());
    String pair = a.compareTo(b) < 0 ? a + "--" + b : b + "--" + a;
    String when = switch (window) {
      case NONE -> "";
      case YEAR -> "@" + row.date().getYear();
      case MONTH -> "@" + row.date().toString().substring(0, 7);
    };
    return row.feed().prefix() + ":" + pair + when;
  }

  private static void add(List<Object> payloads, List<String> suffixes, String suffix, Object payload) {
    payloads.add(payload);
    suffixes.add(suffix);
  }

  private static TalkAnnounced announce(FeedRow row) {
    return new TalkAnnounced(row.source() + " and " + row.target(), List.of(row.source(), row.target()), List.of(),
        null, row.source(), null);
  }

  private static CommitmentMade observeCeasefire(String party, String other) {
    return new CommitmentMade(ceasefireId(party), party, "Observe the cease-fire", other, CommitmentStatus.PLEDGED,
        List.of(), List.of(), null);
  }

  static String ceasefireId(String party) {
    return "ceasefire-" + slug(party);
  }

  private static Instant occurredAt(FeedRow row) {
    return row.date().atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static DiplomaticEvent event(FeedRow row, String talkId, String eventId, Object payload) {
    return DiplomaticEvent.newBuilder()
        .setEventId(eventId)
        .setTalkId(talkId)
        .setOccurredAt(occurredAt(row))
        .setRecordedAt(row.recordedAt())
        .setSource(new Source(row.source(), row.outlet(), row.url()))
        .setCameoCode(row.cameoCode())
        .setPayload(payload)
        .build();
  }

  /** "High Ranking Military Personnel (Vietnam)" -> "high-ranking-military-personnel-vietnam". */
  static String slug(String name) {
    String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    if (slug.isEmpty()) {
      slug = Integer.toHexString(name.hashCode());
    }
    return slug.length() > SLUG_LENGTH ? slug.substring(0, SLUG_LENGTH) : slug;
  }
}
