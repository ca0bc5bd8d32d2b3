package org.parley.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.parley.avro.ClockTick;
import org.parley.avro.CommitmentMade;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.StatementIssued;
import org.parley.avro.Tone;

class JsonFormTest {

  private static final String HEADER =
      "\"eventId\":\"e1\",\"talkId\":\"t1\",\"occurredAt\":\"2016-09-07T12:00:00Z\","
          + "\"recordedAt\":\"2016-09-07T12:05:00Z\",\"source\":{\"actor\":\"State Department\"}";

  @Test
  void everySeedEventSurvivesTheRoundTripThroughJson() throws Exception {
    for (DiplomaticEvent event : SeedStory.events()) {
      assertThat(Events.fromJson(Events.toJson(event))).isEqualTo(event);
    }
  }

  @Test
  void theTypeIsWrittenFirstAndTimesAreIsoText() {
    ObjectNode node = JsonForm.toNode(SeedStory.events().get(0));

    assertThat(node.fieldNames().next()).isEqualTo("type");
    assertThat(node.get("type").asText()).isEqualTo("TalkAnnounced");
    assertThat(node.get("occurredAt").asText()).isEqualTo("2016-09-07T12:00:00Z");
    assertThat(node.get("cameoCode").isNull()).isTrue();
  }

  @Test
  void optionalFieldsAndDefaultsMayBeLeftOut() throws Exception {
    DiplomaticEvent event =
        Events.fromJson(
            "{\"type\":\"CommitmentMade\","
                + HEADER
                + ",\"payload\":{\"commitmentId\":\"c1\",\"party\":\"Russia\",\"action\":\"Halt airstrikes\"}}");

    CommitmentMade made = (CommitmentMade) event.getPayload();
    assertThat(made.getStatus()).isEqualTo(CommitmentStatus.PLEDGED);
    assertThat(made.getConditions()).isEmpty();
    assertThat(made.getCounterparty()).isNull();
    assertThat(event.getSource().getOutlet()).isNull();
  }

  @Test
  void enumDefaultsApplyWhenLeftOut() throws Exception {
    DiplomaticEvent event =
        Events.fromJson(
            "{\"type\":\"StatementIssued\","
                + HEADER
                + ",\"payload\":{\"speaker\":\"Toner\",\"text\":\"Still pursuing.\"}}");

    assertThat(((StatementIssued) event.getPayload()).getTone()).isEqualTo(Tone.NEUTRAL);
  }

  @Test
  void timesFinerThanAMillisecondAreReadAsTheLogKeepsThemToTheMillisecond() throws Exception {
    DiplomaticEvent event =
        Events.fromJson(
            "{\"type\":\"DeadlineSet\",\"eventId\":\"e1\",\"talkId\":\"t1\","
                + "\"occurredAt\":\"2016-09-07T12:00:00.123456789Z\","
                + "\"recordedAt\":\"2016-09-07T12:05:00.000999+02:00\","
                + "\"source\":{\"actor\":\"State Department\"},"
                + "\"payload\":{\"deadlineId\":\"d1\",\"description\":\"Vote\","
                + "\"dueAt\":\"2016-09-09T09:00:00.5555Z\"}}");

    assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2016-09-07T12:00:00.123Z"));
    assertThat(event.getRecordedAt()).isEqualTo(Instant.parse("2016-09-07T10:05:00Z"));
    assertThat(((org.parley.avro.DeadlineSet) event.getPayload()).getDueAt())
        .isEqualTo(Instant.parse("2016-09-09T09:00:00.555Z"));
    // As it will be once written to the log and read back.
    RecordCodec<DiplomaticEvent> codec = RecordCodec.events();
    assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
  }

  @Test
  void aClockTickNeedsNoPayload() throws Exception {
    DiplomaticEvent tick = Events.fromJson("{\"type\":\"ClockTick\"," + HEADER + "}");

    assertThat(tick.getPayload()).isInstanceOf(ClockTick.class);
    assertThat(tick.getOccurredAt()).isEqualTo(Instant.parse("2016-09-07T12:00:00Z"));
  }

  @Test
  void aSourceMustBeGivenEvenThoughEachOfItsFieldsIsOptional() {
    assertThatThrownBy(
            () ->
                Events.fromJson(
                    "{\"type\":\"ClockTick\",\"eventId\":\"e1\",\"talkId\":\"t1\","
                        + "\"occurredAt\":\"2016-09-07T12:00:00Z\",\"recordedAt\":\"2016-09-07T12:05:00Z\"}"))
        .hasMessage("source: missing (required)");
  }

  @Test
  void everyProblemInALineIsReportedWithItsFieldPath() {
    String line =
        "{\"type\":\"DeadlineMoved\",\"eventId\":\"e1\",\"talkId\":\"t1\",\"occurredAt\":\"yesterday\","
            + "\"recordedAt\":\"2016-09-07T12:05:00Z\",\"source\":{},\"payload\":{\"deadlineId\":\"d1\","
            + "\"dueAt\":\"2016-13-45T00:00:00Z\",\"dueat\":\"x\"}}";

    assertThatThrownBy(() -> Events.fromJson(line))
        .isInstanceOfSatisfying(
            InvalidRecord.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::field)
                    .containsExactly("occurredAt", "payload.dueAt", "payload.dueat"))
        .hasMessageContaining(
            "occurredAt: 'yesterday' is not an ISO-8601 time such as 2016-09-09T09:00:00Z")
        .hasMessageContaining(
            "payload.dueat: unknown field for DeadlineMoved (its fields: deadlineId, dueAt, reason)");
  }

  @Test
  void aMisspeltTypeGetsASuggestion() {
    assertThatThrownBy(
            () -> Events.fromJson("{\"type\":\"TalkAnnouced\"," + HEADER + ",\"payload\":{}}"))
        .hasMessageContaining(
            "type: 'TalkAnnouced' is not a known type; did you mean TalkAnnounced?");
  }

  @Test
  void wrongJsonTypesAndMissingRequiredFieldsAreNamed() {
    assertThatThrownBy(
            () ->
                Events.fromJson(
                    "{\"type\":\"TalkStatusChanged\","
                        + HEADER
                        + ",\"payload\":{\"status\":\"PAUSED\"}}"))
        .hasMessageContaining("payload.status: 'PAUSED' is not one of ANNOUNCED, CONFIRMED");
    assertThatThrownBy(
            () ->
                Events.fromJson(
                    "{\"type\":\"CommitmentMade\","
                        + HEADER
                        + ",\"payload\":{\"commitmentId\":7,\"party\":\"Russia\"}}"))
        .hasMessageContaining("payload.commitmentId: expected text, got number 7")
        .hasMessageContaining("payload.action: missing (required)");
    assertThatThrownBy(
            () ->
                Events.fromJson(
                    "{\"type\":\"TalkAnnounced\","
                        + HEADER
                        + ",\"payload\":{\"title\":\"T\",\"parties\":\"USA\",\"announcedBy\":\"x\"}}"))
        .hasMessageContaining("payload.parties: expected a list, got text 'USA'");
  }

  @Test
  void brokenJsonIsReportedAsBrokenJson() {
    assertThatThrownBy(() -> Events.fromJson("{\"type\": \"TalkAnnounced\", "))
        .hasMessageStartingWith("not valid JSON");
    assertThatThrownBy(() -> Events.fromJson("{} {}")).hasMessageStartingWith("not valid JSON");
  }

  @Test
  void aKeyGivenTwiceIsRefusedNotReadAsItsLastValue() {
    String json =
        "{\"type\":\"CommitmentStatusChanged\",\"eventId\":\"e1\",\"talkId\":\"geneva\",\"talkId\":\"vienna\","
            + "\"occurredAt\":\"2016-09-19T18:00:00Z\",\"source\":{\"actor\":\"x\"},"
            + "\"payload\":{\"commitmentId\":\"c\",\"status\":\"BREACHED\",\"status\":\"FULFILLED\"}}";
    assertThatThrownBy(() -> JsonForm.read(json, DiplomaticEvent.class))
        .isInstanceOf(InvalidRecord.class)
        .hasMessageContaining("Duplicate field 'talkId'");
  }

  @Test
  void jsonNestedTooDeeplyOrAnOverlongStringIsAProblemNotACrash() {
    String deep = "[".repeat(2_000) + "]".repeat(2_000);
    assertThatThrownBy(() -> JsonForm.read(deep, DiplomaticEvent.class))
        .isInstanceOf(InvalidRecord.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining("nesting depth");
    String longString = "{\"type\":\"" + "x".repeat(21_000_000) + "\"}";
    assertThatThrownBy(() -> JsonForm.read(longString, DiplomaticEvent.class))
        .isInstanceOf(InvalidRecord.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining("String value length");
  }
}
