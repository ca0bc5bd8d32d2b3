package org.parley.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkAnnounced;

class EventValidatorTest {

  private DiplomaticEvent announced() {
    return DiplomaticEvent.newBuilder(SeedStory.events().get(0)).build();
  }

  @Test
  void theSeedStoryIsValid() {
    for (DiplomaticEvent event : SeedStory.events()) {
      assertThat(EventValidator.problems(event)).as(event.getEventId()).isEmpty();
    }
  }

  @Test
  void idsMustBeNonEmptyWithoutSpacesAndShort() {
    DiplomaticEvent event = announced();
    event.setEventId("");
    event.setTalkId("syria talks");
    assertThat(EventValidator.problems(event))
        .extracting(Problem::toString)
        .containsExactly(
            "eventId: must not be empty",
            "talkId: an id must not contain spaces or control characters, and may have only"
                + " A-Z a-z 0-9 . _ - : / @ + # ~ = ( ): 'syria talks' has U+0020 at character 6");

    event.setEventId("e".repeat(201));
    event.setTalkId("t1");
    assertThat(EventValidator.problems(event))
        .extracting(Problem::toString)
        .containsExactly("eventId: an id of 201 characters; the limit is 200");
  }

  @Test
  void idsWithInvisibleOrLookAlikeCharactersAreRefusedAndNamedByCodePoint() {
    // NBSP, ideographic space, line separator, zero-width space, right-to-left override, Cyrillic
    // 'a'
    for (String bad :
        List.of(
            "gen\u00A0eva",
            "gen\u3000eva",
            "gen\u2028eva",
            "gen\u200Beva",
            "gen\u202Eeva",
            "gen\u0430va",
            "gen\uFFFDva")) {
      DiplomaticEvent event = announced();
      event.setTalkId(bad);
      assertThat(EventValidator.problems(event))
          .as(bad)
          .singleElement()
          .extracting(Problem::toString)
          .asString()
          .contains("may have only")
          .contains(String.format("U+%04X at character 4", (int) bad.charAt(3)));
    }
    DiplomaticEvent fine = announced();
    fine.setTalkId("gdelt:russia--united-states@2016-09");
    fine.setEventId("A_b.c-d/e+f#g~h=(i)");
    assertThat(EventValidator.problems(fine)).isEmpty();
  }

  @Test
  void timesOutsideTheSaneRangeAreRefused() {
    DiplomaticEvent event = announced();
    event.setOccurredAt(Instant.parse("1850-01-01T00:00:00Z"));
    event.setRecordedAt(Instant.parse("2999-01-01T00:00:00Z"));

    assertThat(EventValidator.problems(event))
        .extracting(Problem::field)
        .containsExactly("occurredAt", "recordedAt");
  }

  @Test
  void blankTextHugeTextAndBrokenUtf8AreRefused() {
    DiplomaticEvent event = announced();
    TalkAnnounced payload = (TalkAnnounced) event.getPayload();
    payload.setTitle("  ");
    payload.setAnnouncedBy("Lavrov\uFFFD");
    payload.setVenue("x".repeat(EventValidator.MAX_TEXT_LENGTH + 1));
    payload.getParties().clear();

    assertThat(EventValidator.problems(event))
        .extracting(Problem::toString)
        .containsExactly(
            "payload.title: must not be blank",
            "payload.venue: 2001 characters, more than the limit of 2000",
            "payload.announcedBy: contains invalid UTF-8 (a U+FFFD replacement character)",
            "payload.parties: name at least one party");
  }

  @Test
  void problemsNameTheirPlaceDownToTheListItemAndTheCorrectedPayload() {
    DiplomaticEvent announced = announced();
    TalkAnnounced talk = (TalkAnnounced) announced.getPayload();
    talk.setParties(new java.util.ArrayList<>(List.of("United States", " ", "Russia")));
    talk.setMediators(java.util.Collections.nCopies(EventValidator.MAX_LIST_ITEMS + 1, "UN"));
    assertThat(EventValidator.problems(announced))
        .extracting(Problem::toString)
        .containsExactly(
            "payload.parties[1]: must not be blank",
            "payload.mediators: 101 items, more than the limit of 100");

    // Ids in an id list are ids, and a correction's payload is checked where it sits.
    DiplomaticEvent corrected = announced();
    corrected.setPayload(
        org.parley.avro.EventCorrected.newBuilder()
            .setCorrectedEventId("geneva-2016-05")
            .setReason("misreported")
            .setPayload(
                new org.parley.avro.CommitmentMade(
                    "",
                    "Russia",
                    "Halt airstrikes",
                    null,
                    org.parley.avro.CommitmentStatus.CONDITIONAL,
                    List.of(),
                    List.of("us-separate-moderates", "us separate"),
                    null))
            .build());
    assertThat(EventValidator.problems(corrected))
        .extracting(Problem::toString)
        .containsExactly(
            "payload.payload.commitmentId: must not be empty",
            "payload.payload.conditionalOn[1]: an id must not contain spaces or control"
                + " characters, and may have only A-Z a-z 0-9 . _ - : / @ + # ~ = ( ):"
                + " 'us separate' has U+0020 at character 3");
  }

  @Test
  void anEventTooLargeToEncodeWithinTheLimitIsRefusedAsAWhole() {
    DiplomaticEvent big = announced();
    TalkAnnounced payload = (TalkAnnounced) big.getPayload();
    // Every field is within its own limit; together they are not.
    for (int i = 0; i < EventValidator.MAX_LIST_ITEMS; i++) {
      payload.getMediators().add("\u4e2d".repeat(500));
    }

    assertThat(EventValidator.problems(big)).isEmpty();
    assertThatThrownBy(() -> Events.checked(big))
        .hasMessageContaining("bytes encoded, over the limit of 65,536 bytes");
  }
}
