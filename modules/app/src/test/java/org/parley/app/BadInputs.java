package org.parley.app;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.CommitmentStatusChanged;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.Source;
import org.parley.avro.StatementIssued;
import org.parley.avro.TalkState;
import org.parley.avro.Tone;
import org.parley.model.RecordCodec;

/**
 * A corpus of hand-written bad input, each with the words its refusal must contain. The talk {@code
 * geneva} exists with commitment {@code c1}, deadline {@code d1} and sticking point {@code s1} when
 * they are sent.
 */
final class BadInputs {
  static final String TALK = "geneva";

  private BadInputs() {}

  /** Bad in its JSON form: refused at the door (publish, POST) before anything is published. */
  record Json(String name, String line, String reason) {}

  /**
   * Valid on its own, but cannot apply to the talk: published, then dead-lettered by the pipeline.
   */
  record Refused(String name, String line, String reason) {}

  /** Bytes on the topic that are not a Parley event (or are keyed wrong): dead-lettered. */
  record Raw(String name, String key, Supplier<byte[]> value, String reason) {}

  static String event(String type, String id, String payload) {
    return "{\"type\":\""
        + type
        + "\",\"eventId\":\""
        + id
        + "\",\"talkId\":\""
        + TALK
        + "\",\"occurredAt\":\"2016-09-09T10:00:00Z\",\"source\":{\"actor\":\"desk\"},\"payload\":"
        + payload
        + "}";
  }

  static String statement(String id, String text) {
    return event("StatementIssued", id, "{\"speaker\":\"Toner\",\"text\":\"" + text + "\"}");
  }

  static String announce(String id, String payload) {
    return event("TalkAnnounced", id, payload);
  }

  static List<Json> json() {
    String ok = statement("x", "Still pursuing");
    List<Json> cases =
        new ArrayList<>(
            List.of(
                new Json("plain text", "not json at all", "not valid JSON"),
                new Json("an unclosed object", "{\"type\": \"StatementIssued\"", "not valid JSON"),
                new Json("two objects on a line", ok + " " + ok, "not valid JSON"),
                new Json("a list", "[]", "expected an object, got a list"),
                new Json("null", "null", "expected an object, got null"),
                new Json("a number", "42", "expected an object, got number 42"),
                new Json("a string", "\"TalkAnnounced\"", "expected an object, got text"),
                new Json("an empty object", "{}", "type: missing: say which of TalkAnnounced"),
                new Json(
                    "an unknown type",
                    ok.replace("StatementIssued", "StatementIssue"),
                    "is not a known type; did you mean StatementIssued?"),
                new Json(
                    "a type that is a number",
                    ok.replace("\"StatementIssued\"", "7"),
                    "type: missing"),
                new Json(
                    "no eventId",
                    ok.replace("\"eventId\":\"x\",", ""),
                    "eventId: missing (required)"),
                new Json(
                    "no talkId",
                    ok.replace("\"talkId\":\"geneva\",", ""),
                    "talkId: missing (required)"),
                new Json(
                    "no occurredAt",
                    ok.replace("\"occurredAt\":\"2016-09-09T10:00:00Z\",", ""),
                    "occurredAt: missing (required)"),
                new Json(
                    "no source",
                    ok.replace("\"source\":{\"actor\":\"desk\"},", ""),
                    "source: missing (required)"),
                new Json(
                    "no payload",
                    announce("x", "{}").replace(",\"payload\":{}", ""),
                    "payload: missing (required)"),
                new Json("a null payload", announce("x", "null"), "payload: must not be null"),
                new Json(
                    "an eventId that is a number",
                    ok.replace("\"eventId\":\"x\"", "\"eventId\":5"),
                    "eventId: expected text, got number 5"),
                new Json("an empty eventId", statement("", "x"), "eventId: must not be empty"),
                new Json(
                    "an eventId with a space",
                    statement("event 1", "x"),
                    "must not contain spaces or control characters"),
                new Json(
                    "an eventId of 300 characters",
                    statement("e".repeat(300), "x"),
                    "an id of 300 characters"),
                new Json(
                    "a talkId with a tab",
                    ok.replace("\"geneva\"", "\"gen\\teva\""),
                    "must not contain spaces or control characters"),
                new Json(
                    "a time in words",
                    ok.replace("2016-09-09T10:00:00Z", "yesterday"),
                    "'yesterday' is not an ISO-8601 time"),
                new Json(
                    "the 30th of February",
                    ok.replace("2016-09-09T10:00:00Z", "2016-02-30T10:00:00Z"),
                    "is not an ISO-8601 time"),
                new Json(
                    "a time without a zone",
                    ok.replace("2016-09-09T10:00:00Z", "2016-09-09T10:00:00"),
                    "is not an ISO-8601 time"),
                new Json(
                    "a time in 1066",
                    ok.replace("2016-09-09T10:00:00Z", "1066-10-14T09:00:00Z"),
                    "is out of range"),
                new Json(
                    "a time in 2999",
                    ok.replace("2016-09-09T10:00:00Z", "2999-01-01T00:00:00Z"),
                    "is out of range"),
                new Json(
                    "a time in epoch milliseconds",
                    ok.replace("\"2016-09-09T10:00:00Z\"", "1473415200000"),
                    "expected an ISO-8601 time such as 2016-09-09T09:00:00Z, got number"),
                new Json(
                    "an unknown field",
                    ok.replace("{\"type\"", "{\"colour\":\"red\",\"type\""),
                    "colour: unknown field for DiplomaticEvent"),
                new Json(
                    "an unknown payload field",
                    event(
                        "DeadlineMoved",
                        "x",
                        "{\"deadlineId\":\"d1\",\"dueAt\":"
                            + "\"2016-10-01T00:00:00Z\",\"dueat\":\"2016-10-02T00:00:00Z\"}"),
                    "payload.dueat: unknown field"),
                new Json(
                    "parties that are not a list",
                    announce("x", "{\"title\":\"T\",\"parties\":\"A, B\",\"announcedBy\":\"A\"}"),
                    "payload.parties: expected a list, got text"),
                new Json(
                    "no parties",
                    announce("x", "{\"title\":\"T\",\"parties\":[],\"announcedBy\":\"A\"}"),
                    "payload.parties: name at least one party"),
                new Json(
                    "a blank title",
                    announce("x", "{\"title\":\"   \",\"parties\":[\"A\"],\"announcedBy\":\"A\"}"),
                    "payload.title: must not be blank"),
                new Json(
                    "a title of 3,000 characters",
                    announce(
                        "x",
                        "{\"title\":\""
                            + "t".repeat(3_000)
                            + "\",\"parties\":[\"A\"],\"announcedBy\":\"A\"}"),
                    "3000 characters, more than the limit of 2000"),
                new Json(
                    "an unknown status",
                    event(
                        "CommitmentStatusChanged",
                        "x",
                        "{\"commitmentId\":\"c1\",\"status\":\"ALMOST\"}"),
                    "'ALMOST' is not one of PROPOSED"),
                new Json(
                    "a statement of 30,000 characters",
                    statement("x", "w".repeat(30_000)),
                    "30000 characters, more than the limit of 20000"),
                new Json(
                    "150 mediators",
                    announce(
                        "x",
                        "{\"title\":\"T\",\"parties\":[\"A\"],\"announcedBy\":\"A\","
                            + "\"mediators\":["
                            + String.join(",", java.util.Collections.nCopies(150, "\"M\""))
                            + "]}"),
                    "150 items, more than the limit of 100"),
                new Json(
                    "a source that is text",
                    ok.replace("{\"actor\":\"desk\"}", "\"desk\""),
                    "source: expected an object, got text"),
                new Json(
                    "a control character in text",
                    statement("x", "bell \\u0007 rings"),
                    "contains a control character"),
                new Json(
                    "a replacement character in text",
                    statement("x", "broken \\ufffd text"),
                    "contains invalid UTF-8"),
                new Json(
                    "a due time in words",
                    event("DeadlineMoved", "x", "{\"deadlineId\":\"d1\",\"dueAt\":\"next week\"}"),
                    "payload.dueAt: 'next week' is not an ISO-8601 time"),
                new Json(
                    "an event over 64 KiB",
                    announce(
                        "x",
                        "{\"title\":\"T\",\"parties\":[\"A\"],\"announcedBy\":\"A\","
                            + "\"mediators\":["
                            + String.join(
                                ",",
                                java.util.Collections.nCopies(
                                    100, "\"" + "\u4e2d".repeat(500) + "\""))
                            + "]}"),
                    "bytes encoded, over the limit of 65,536 bytes")));
    // Found by the hostile-input review (issue 11): keys twice, JSON too deep, invisible and
    // look-alike ids.
    String breach =
        event("CommitmentStatusChanged", "x", "{\"commitmentId\":\"c1\",\"status\":\"BREACHED\"}");
    cases.addAll(
        List.of(
            new Json(
                "a status given twice",
                breach.replace(
                    "\"status\":\"BREACHED\"", "\"status\":\"BREACHED\",\"status\":\"FULFILLED\""),
                "Duplicate field 'status'"),
            new Json(
                "a talkId given twice",
                ok.replace("\"talkId\":\"geneva\"", "\"talkId\":\"geneva\",\"talkId\":\"vienna\""),
                "Duplicate field 'talkId'"),
            new Json(
                "JSON nested 2,000 deep",
                ok.replace(
                    "\"payload\":{",
                    "\"extra\":" + "[".repeat(2_000) + "]".repeat(2_000) + ",\"payload\":{"),
                "nesting depth"),
            new Json(
                "a talkId with a no-break space",
                ok.replace("\"geneva\"", "\"gen\u00a0eva\""),
                "U+00A0 at character 4"),
            new Json(
                "a talkId with an ideographic space",
                ok.replace("\"geneva\"", "\"gen\\u3000eva\""),
                "U+3000 at character 4"),
            new Json(
                "a talkId with a line separator",
                ok.replace("\"geneva\"", "\"gen\\u2028eva\""),
                "U+2028 at character 4"),
            new Json(
                "an eventId with a zero-width space",
                statement("event\u200b1", "x"),
                "U+200B at character 6"),
            new Json(
                "a talkId with a right-to-left override",
                ok.replace("\"geneva\"", "\"gen\u202eeva\""),
                "U+202E at character 4"),
            new Json(
                "a talkId with a Cyrillic look-alike",
                ok.replace("\"geneva\"", "\"gen\u0435va\""),
                "U+0435 at character 4")));
    return cases;
  }

  static List<Refused> refused() {
    return List.of(
        new Refused(
            "a talk never announced",
            event("StatementIssued", "r1", "{\"speaker\":\"S\",\"text\":\"T\"}")
                .replace("\"talkId\":\"geneva\"", "\"talkId\":\"vienna\""),
            "talk 'vienna' has not been announced"),
        new Refused(
            "a status for an unknown commitment",
            event(
                "CommitmentStatusChanged",
                "r2",
                "{\"commitmentId\":\"zz\",\"status\":\"BREACHED\"}"),
            "commitment 'zz' is not known in talk 'geneva' (known: c1)"),
        new Refused(
            "an amendment of an unknown commitment",
            event("CommitmentAmended", "r3", "{\"commitmentId\":\"zz\",\"action\":\"A\"}"),
            "commitment 'zz' is not known"),
        new Refused(
            "a move of an unknown deadline",
            event(
                "DeadlineMoved",
                "r4",
                "{\"deadlineId\":\"zz\",\"dueAt\":\"2016-10-01T00:00:00Z\"}"),
            "deadline 'zz' is not known in talk 'geneva' (known: d1)"),
        new Refused(
            "a status for an unknown deadline",
            event("DeadlineStatusChanged", "r5", "{\"deadlineId\":\"zz\",\"status\":\"MET\"}"),
            "deadline 'zz' is not known"),
        new Refused(
            "a condition on an unknown commitment",
            event(
                "CommitmentMade",
                "r6",
                "{\"commitmentId\":\"c9\",\"party\":\"A\",\"action\":\"Act\",\"conditionalOn\":[\"zz\"]}"),
            "conditionalOn names commitment 'zz'"),
        new Refused(
            "a commitment made again with other terms",
            event(
                "CommitmentMade",
                "r7",
                "{\"commitmentId\":\"c1\",\"party\":\"Russia\",\"action\":\"Something else\"}"),
            "commitment 'c1' already exists with other terms"),
        new Refused(
            "a deadline set again with another time",
            event(
                "DeadlineSet",
                "r8",
                "{\"deadlineId\":\"d1\",\"description\":\"Vote\",\"dueAt\":\"2017-01-01T00:00:00Z\"}"),
            "deadline 'd1' already exists: use DeadlineMoved"),
        new Refused(
            "an unknown sticking point resolved",
            event("StickingPointResolved", "r9", "{\"stickingPointId\":\"zz\"}"),
            "sticking point 'zz' is not known in talk 'geneva' (known: s1)"),
        new Refused(
            "a confirmation of an unknown talk without a title",
            event("TalkConfirmed", "r10", "{\"confirmedBy\":\"B\"}")
                .replace("\"talkId\":\"geneva\"", "\"talkId\":\"rome\""),
            "TalkConfirmed must carry a title"),
        new Refused(
            "an agreement putting an unknown commitment in effect",
            event(
                "AgreementReached",
                "r11",
                "{\"agreementId\":\"a1\",\"summary\":\"Truce\",\"inEffect\":[\"zz\"]}"),
            "inEffect names commitment 'zz'"),
        new Refused(
            "a deadline for an unknown commitment",
            event(
                "DeadlineSet",
                "r12",
                "{\"deadlineId\":\"d9\",\"description\":\"D\",\"dueAt\":\"2016-10-01T00:00:00Z\",\"commitmentId\":\"zz\"}"),
            "commitment 'zz' is not known"));
  }

  static DiplomaticEvent statementEvent(String id) {
    return DiplomaticEvent.newBuilder()
        .setEventId(id)
        .setTalkId(TALK)
        .setOccurredAt(Instant.parse("2016-09-09T10:00:00Z"))
        .setRecordedAt(Instant.parse("2016-09-09T10:00:00Z"))
        .setSource(new Source("desk", null, null))
        .setPayload(new StatementIssued("Toner", "Still pursuing", Tone.CAUTIOUS))
        .build();
  }

  static List<Raw> raw() {
    byte[] good = RecordCodec.events().encode(statementEvent("raw-good"));
    return List.of(
        new Raw("a tombstone", TALK, () -> null, "the value is empty (a tombstone)"),
        new Raw("no bytes", TALK, () -> new byte[0], "0 bytes is too short"),
        new Raw("three bytes", TALK, () -> new byte[] {(byte) 0xC3, 1, 2}, "3 bytes is too short"),
        new Raw(
            "JSON",
            TALK,
            () -> statement("j", "x").getBytes(StandardCharsets.UTF_8),
            "it looks like JSON"),
        new Raw(
            "noise",
            TALK,
            () -> {
              byte[] noise = new byte[1024];
              new java.util.Random(7).nextBytes(noise);
              noise[0] = 0x11;
              return noise;
            },
            "instead of the marker C3 01"),
        new Raw(
            "a wrong schema fingerprint",
            TALK,
            () -> {
              byte[] bytes = good.clone();
              bytes[4] ^= 0x5A;
              return bytes;
            },
            "written with an unknown DiplomaticEvent schema"),
        new Raw(
            "a talk state instead of an event",
            TALK,
            () -> RecordCodec.talks().encode(talkState()),
            "written with an unknown DiplomaticEvent schema"),
        new Raw(
            "a truncated body",
            TALK,
            () -> Arrays.copyOf(good, good.length - 12),
            "truncated or corrupt"),
        new Raw(
            "a forged huge length",
            TALK,
            () -> {
              byte[] forged = Arrays.copyOf(good, 15);
              byte[] length = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x08};
              System.arraycopy(length, 0, forged, 10, 5);
              return forged;
            },
            "corrupt DiplomaticEvent body"),
        new Raw(
            "an unknown payload branch",
            TALK,
            () -> withPayloadBranch(good, 40),
            "union branch or enum symbol"),
        new Raw(
            "an event of 100 KB",
            TALK,
            () -> {
              byte[] big = Arrays.copyOf(good, 100_000);
              return big;
            },
            "over the limit of 65,536 bytes"),
        new Raw("keyed by another talk", "vienna", () -> good, "was keyed 'vienna'"),
        new Raw("no key", null, () -> good, "was keyed with no key"),
        new Raw(
            "invalid UTF-8 inside a string",
            TALK,
            () -> {
              DiplomaticEvent event = statementEvent("raw-utf");
              ((StatementIssued) event.getPayload()).setText("ZZZZ-marker");
              byte[] bytes = RecordCodec.events().encode(event);
              String marker = "ZZZZ";
              int at = indexOf(bytes, marker.getBytes(StandardCharsets.US_ASCII));
              bytes[at] = (byte) 0xFF;
              bytes[at + 1] = (byte) 0xFE;
              return bytes;
            },
            "contains invalid UTF-8"),
        new Raw(
            "an unknown status symbol",
            TALK,
            () -> {
              DiplomaticEvent event = statementEvent("raw-enum");
              event.setPayload(new CommitmentStatusChanged("c1", CommitmentStatus.WITHDRAWN, null));
              byte[] bytes = RecordCodec.events().encode(event);
              // WITHDRAWN is symbol 6, zig-zag 12, followed by the null reason (0) at the very end.
              bytes[bytes.length - 2] = (byte) (40 * 2);
              return bytes;
            },
            "union branch or enum symbol that does not exist"),
        new Raw(
            "a talk id with a zero-width space",
            "gen\u200beva",
            () -> {
              DiplomaticEvent event = statementEvent("raw-zwsp");
              event.setTalkId("gen\u200beva");
              return RecordCodec.events().encode(event);
            },
            "U+200B at character 4"),
        new Raw("a key of 900 KB", "k".repeat(900_000), () -> good, "(899,900 more characters)'"));
  }

  private static TalkState talkState() {
    DiplomaticEvent announced =
        DiplomaticEvent.newBuilder(statementEvent("t"))
            .setPayload(
                new org.parley.avro.TalkAnnounced("T", List.of("A"), List.of(), null, "A", null))
            .build();
    return new org.parley.core.TalkFold(org.parley.core.DeadlineClock.standard())
        .apply(null, announced);
  }

  private static byte[] withPayloadBranch(byte[] encoded, int branch) {
    // StatementIssued is branch 4 (zig-zag 8), right after cameoCode's null marker (0); search from
    // the end.
    for (int i = encoded.length - 2; i > 10; i--) {
      if (encoded[i] == 0 && encoded[i + 1] == 8) {
        byte[] copy = encoded.clone();
        copy[i + 1] = (byte) (branch * 2);
        return copy;
      }
    }
    throw new IllegalStateException("branch not found");
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    outer:
    for (int i = 0; i <= bytes.length - part.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (bytes[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("not found");
  }
}
