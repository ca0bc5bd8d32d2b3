package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.parley.avro.AlertType;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.StatementIssued;
import org.parley.client.Topics;
import org.parley.model.EventScript;
import org.parley.model.RecordCodec;

/**
 * Bad input never stops the pipeline: each bad record reaches the dead-letter topic as it came,
 * with a reason a person can act on and where it came from, and the good records around it are
 * folded as if it had never been there.
 */
class DeadLetterTest {

  private final EventScript talk = new EventScript("geneva", "2016-09-07T12:00:00Z");

  /** Sends a good event, the bad record, and another good event; returns the one dead letter. */
  private TestRecord<byte[], byte[]> deadLetterFor(
      PipelineDriver pipeline, String key, byte[] bad) {
    pipeline.send(talk.announced("Geneva talks", "United States", "Russia"));
    pipeline.sendRaw(key, bad);
    pipeline.send(talk.pledge("halt", "Russia", "Halt airstrikes"));

    assertThat(pipeline.alerts())
        .extracting(a -> a.getType())
        .as("the good events on either side are folded")
        .containsExactly(AlertType.TALK_STATUS_CHANGED, AlertType.COMMITMENT_MADE);
    List<TestRecord<byte[], byte[]>> letters = pipeline.deadLetters();
    assertThat(letters).hasSize(1);
    TestRecord<byte[], byte[]> letter = letters.get(0);
    assertThat(letter.value()).as("the original bytes").isEqualTo(bad);
    assertThat(letter.key()).isEqualTo(key == null ? null : key.getBytes(StandardCharsets.UTF_8));
    assertThat(PipelineDriver.header(letter.headers(), DeadLetter.SOURCE_TOPIC))
        .isEqualTo(Topics.EVENTS);
    assertThat(PipelineDriver.header(letter.headers(), DeadLetter.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(PipelineDriver.header(letter.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("1");
    return letter;
  }

  private static String reason(TestRecord<byte[], byte[]> letter) {
    return PipelineDriver.header(letter.headers(), DeadLetter.REASON);
  }

  private static String kind(TestRecord<byte[], byte[]> letter) {
    return PipelineDriver.header(letter.headers(), DeadLetter.KIND);
  }

  @Test
  void aClockTickThatParleysTickerDidNotSealIsDeadLetteredAndMovesNoTalk() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      DiplomaticEvent forged = talk.tick("2062-01-01T00:00:00Z");
      forged.setRecordedAt(Instant.parse("2025-12-31T00:00:00Z"));
      forged.setOccurredAt(Instant.parse("2025-12-31T00:00:00Z"));
      var letter = deadLetterFor(pipeline, "clock", RecordCodec.events().encode(forged));

      assertThat(kind(letter)).isEqualTo("FORGED_TICK");
      assertThat(reason(letter)).contains("only the ticker may move the clock");
    }
  }

  @Test
  void aSealedClockTickWhoseIdIsNotATickIdIsDeadLettered() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      DiplomaticEvent tick = talk.tick("2025-12-31T00:00:00Z");
      tick.setEventId("e7"); // could be taken for an event of the talks it moves
      var letter =
          deadLetterFor(
              pipeline, "clock", RecordCodec.events().encode(PipelineDriver.SEAL.seal(tick)));

      assertThat(kind(letter)).isEqualTo("INVALID");
      assertThat(reason(letter))
          .contains("ClockTick 'e7' is invalid: eventId: a tick's id starts with 'tick-'");
    }
  }

  @Test
  void aClockTickSealedWithAnotherClusterKeyIsDeadLettered() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      DiplomaticEvent tick = talk.tick("2025-12-31T00:00:00Z");
      DiplomaticEvent sealed =
          new org.parley.model.ClockSeal("someone else's key!".getBytes(StandardCharsets.UTF_8))
              .seal(tick);
      var letter = deadLetterFor(pipeline, "clock", RecordCodec.events().encode(sealed));

      assertThat(kind(letter)).isEqualTo("FORGED_TICK");
    }
  }

  @Test
  void anEventDatedDecadesAfterItWasRecordedIsDeadLetteredNamingTheField() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      DiplomaticEvent mistyped =
          new EventScript("geneva", "2062-09-09T12:00:00Z")
              .statement("Speaker", "Typo", org.parley.avro.Tone.NEUTRAL);
      mistyped.setEventId("mistyped-year");
      mistyped.setRecordedAt(Instant.parse("2025-12-31T00:00:00Z"));
      var letter = deadLetterFor(pipeline, "geneva", RecordCodec.events().encode(mistyped));

      assertThat(kind(letter)).isEqualTo("INVALID");
      assertThat(reason(letter))
          .contains("occurredAt: 2062-09-09T12:00:00Z is more than 1 day after recordedAt");
    }
  }

  @Test
  void malformedBytesAreDeadLetteredAsUndecodable() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      var letter =
          deadLetterFor(
              pipeline, "geneva", "{\"type\":\"TalkAnnounced\"}".getBytes(StandardCharsets.UTF_8));

      assertThat(kind(letter)).isEqualTo("UNDECODABLE");
      assertThat(reason(letter))
          .contains("instead of the marker C3 01")
          .contains("looks like JSON");
    }
  }

  @Test
  void anUnknownEventTypeIsDeadLetteredAsABodyReferringToABranchThatDoesNotExist() {
    byte[] bytes =
        RecordCodec.events().encode(talk.statement("Toner", "x", org.parley.avro.Tone.NEUTRAL));
    // The payload's union branch index is the varint right after cameoCode's null marker: rewrite
    // it to 40.
    byte[] forged = withPayloadBranch(bytes, 40);
    try (PipelineDriver pipeline = new PipelineDriver()) {
      var letter = deadLetterFor(pipeline, "geneva", forged);

      assertThat(kind(letter)).isEqualTo("UNDECODABLE");
      assertThat(reason(letter))
          .isEqualTo(
              "corrupt DiplomaticEvent body: it refers to a union branch or enum symbol"
                  + " that does not exist");
    }
  }

  @Test
  void anEventWithoutAnEventIdIsDeadLetteredAsInvalid() {
    DiplomaticEvent event =
        talk.statement("Toner", "Still pursuing", org.parley.avro.Tone.CAUTIOUS);
    event.setEventId("");
    try (PipelineDriver pipeline = new PipelineDriver()) {
      var letter = deadLetterFor(pipeline, "geneva", RecordCodec.events().encode(event));

      assertThat(kind(letter)).isEqualTo("INVALID");
      assertThat(reason(letter)).isEqualTo("event '' is invalid: eventId: must not be empty");
    }
  }

  @Test
  void aStatusChangeForAnUnknownCommitmentIsRefusedNamingTheKnownOnes() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      pipeline.send(talk.announced("Geneva talks", "United States", "Russia"));
      pipeline.send(talk.pledge("halt", "Russia", "Halt airstrikes"));
      DiplomaticEvent breach = talk.commitmentStatus("stop-shelling", CommitmentStatus.BREACHED);
      pipeline.send(breach);
      pipeline.send(talk.commitmentStatus("halt", CommitmentStatus.BREACHED));

      assertThat(pipeline.alerts())
          .extracting(a -> a.getType() + " " + a.getSubjectId())
          .containsExactly(
              "TALK_STATUS_CHANGED geneva",
              "COMMITMENT_MADE halt",
              "COMMITMENT_STATUS_CHANGED halt");
      var letter = pipeline.deadLetters().get(0);
      assertThat(kind(letter)).isEqualTo("REFUSED");
      assertThat(reason(letter))
          .isEqualTo(
              "CommitmentStatusChanged '"
                  + breach.getEventId()
                  + "' refused: commitment 'stop-shelling' is not known in talk 'geneva' (known: halt)");
    }
  }

  @Test
  void anEventForATalkNeverAnnouncedIsRefusedAndCreatesNoTalk() {
    EventScript unknown = new EventScript("vienna", "2016-09-07T12:00:00Z");
    try (PipelineDriver pipeline = new PipelineDriver()) {
      var letter =
          deadLetterFor(
              pipeline,
              "vienna",
              RecordCodec.events()
                  .encode(unknown.commitmentStatus("c1", CommitmentStatus.PLEDGED)));

      assertThat(kind(letter)).isEqualTo("REFUSED");
      assertThat(reason(letter))
          .endsWith(
              "talk 'vienna' has not been announced: publish TalkAnnounced"
                  + " (or TalkConfirmed) for it first");
      assertThat(pipeline.talk("vienna")).isNull();
    }
  }

  @Test
  void aDeadlineMovedToATimeOutOfRangeIsDeadLetteredNamingTheField() {
    DiplomaticEvent moved = talk.moveDeadline("d1", "2016-10-01T00:00:00Z");
    ((org.parley.avro.DeadlineMoved) moved.getPayload())
        .setDueAt(Instant.ofEpochMilli(Long.MAX_VALUE / 4));
    try (PipelineDriver pipeline = new PipelineDriver()) {
      var letter = deadLetterFor(pipeline, "geneva", RecordCodec.events().encode(moved));

      assertThat(kind(letter)).isEqualTo("INVALID");
      assertThat(reason(letter))
          .contains("payload.dueAt: ")
          .contains("is out of range (1900-01-01T00:00:00Z to 2200-01-01T00:00:00Z)");
    }
  }

  @Test
  void anOversizedEventIsDeadLetteredWithItsSize() {
    DiplomaticEvent huge = talk.statement("Toner", "x", org.parley.avro.Tone.NEUTRAL);
    ((StatementIssued) huge.getPayload()).setText("y".repeat(200_000));
    try (PipelineDriver pipeline = new PipelineDriver()) {
      var letter = deadLetterFor(pipeline, "geneva", RecordCodec.events().encode(huge));

      assertThat(kind(letter)).isEqualTo("UNDECODABLE");
      assertThat(reason(letter)).contains("over the limit of 65,536 bytes");
    }
  }

  @Test
  void anEventKeyedByAnythingButItsTalkIdIsDeadLetteredAsMisrouted() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      var letter =
          deadLetterFor(
              pipeline,
              "vienna",
              RecordCodec.events()
                  .encode(talk.statement("Toner", "x", org.parley.avro.Tone.NEUTRAL)));

      assertThat(kind(letter)).isEqualTo("MISROUTED");
      assertThat(reason(letter)).contains("of talk 'geneva' was keyed 'vienna'");
    }
    try (PipelineDriver pipeline = new PipelineDriver()) {
      var letter =
          deadLetterFor(
              pipeline,
              null,
              RecordCodec.events()
                  .encode(talk.statement("Toner", "x", org.parley.avro.Tone.NEUTRAL)));

      assertThat(reason(letter)).contains("was keyed with no key");
    }
  }

  @Test
  void anEmptyValueIsDeadLetteredAsATombstone() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      var letter = deadLetterFor(pipeline, "geneva", null);

      assertThat(reason(letter)).contains("tombstone");
    }
  }

  /** Rewrites the payload's union branch of an encoded StatementIssued of this script. */
  private static byte[] withPayloadBranch(byte[] encoded, int branch) {
    // The statement's branch (4) zig-zag encodes as the byte 8; it follows cameoCode's null (0).
    for (int i = encoded.length - 1; i > 10; i--) {
      if (encoded[i] == 8 && encoded[i - 1] == 0) {
        byte[] copy = Arrays.copyOf(encoded, encoded.length);
        copy[i] = (byte) (branch * 2);
        return copy;
      }
    }
    throw new IllegalStateException("branch byte not found");
  }
}
