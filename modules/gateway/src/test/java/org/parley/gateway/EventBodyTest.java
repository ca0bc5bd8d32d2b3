package org.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.parley.ingest.EventLines;

/**
 * What POST /api/events does with a body before any event reaches Kafka: bounded, UTF-8, problems
 * capped.
 */
class EventBodyTest {

  private static Gateway.ApiError refusal(Runnable body) {
    try {
      body.run();
    } catch (Gateway.ApiError e) {
      return e;
    }
    throw new AssertionError("not refused");
  }

  @Test
  void aBodyOverTheLimitIsRefusedAfterReadingOneByteMoreThanTheLimit() throws Exception {
    long[] read = {0};
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            read[0]++;
            return ' ';
          }
        };
    assertThatThrownBy(() -> EventRoutes.boundedBody(endless))
        .isInstanceOf(Gateway.ApiError.class)
        .hasMessageContaining("over the limit of 1048576 bytes");
    assertThat(read[0]).isEqualTo(Gateway.MAX_BODY_BYTES + 1);
    assertThat(EventRoutes.boundedBody(new ByteArrayInputStream(new byte[10]))).hasSize(10);
  }

  @Test
  void aCharsetOtherThanUtf8IsRefusedByNameAndABadByteByItsOffset() {
    EventRoutes.requireUtf8("application/json");
    EventRoutes.requireUtf8("application/json; charset=UTF-8");
    EventRoutes.requireUtf8("application/json;charset=\"utf8\"");
    assertThat(refusal(() -> EventRoutes.requireUtf8("application/json; charset=bogus")).status)
        .isEqualTo(415);
    assertThat(refusal(() -> EventRoutes.requireUtf8("application/json; charset=latin1")))
        .hasMessageContaining("charset=latin1");

    byte[] latin1 = "{\"talkId\":\"gen\u00e9va\"}".getBytes(StandardCharsets.ISO_8859_1);
    Gateway.ApiError bad = refusal(() -> EventRoutes.utf8(latin1));
    assertThat(bad.status).isEqualTo(400);
    assertThat(bad).hasMessageContaining("byte 14 (0xE9)");
    assertThat(EventRoutes.utf8("gen\u00e9va \u4e2d".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("gen\u00e9va \u4e2d");
  }

  @Test
  void everyProblemOfAThousandEmptyEventsIsCountedButOnlyAHundredListed() {
    Gateway.ApiError many =
        refusal(
            () ->
                EventRoutes.parseEvents(
                    "[" + "{},".repeat(999) + "{}]", new EventLines(Clock.systemUTC())));
    assertThat(many.status).isEqualTo(400);
    assertThat(many.problems).hasSize(Gateway.MAX_PROBLEMS_LISTED);
    // Each {} lacks five required fields.
    assertThat(many)
        .hasMessage(
            "5,000 problem(s) (the first 100 are listed, and 4,900 more); nothing was published");
    assertThat(
            refusal(
                    () ->
                        EventRoutes.parseEvents(
                            "[" + "{},".repeat(10_000) + "{}]", new EventLines(Clock.systemUTC())))
                .status)
        .isEqualTo(413);
  }

  @Test
  void aKeyGivenTwiceIsRefused() {
    Gateway.ApiError twice =
        refusal(
            () ->
                EventRoutes.parseEvents(
                    "{\"type\":\"TalkAnnounced\",\"type\":\"TalkConfirmed\"}",
                    new EventLines(Clock.systemUTC())));
    assertThat(twice.status).isEqualTo(400);
    assertThat(twice).hasMessageContaining("Duplicate field 'type'");
  }

  @Test
  void anEventIdUsedTwiceInOneRequestIsRefusedEvenAsAnExactRepeat() {
    String event = org.parley.model.SeedStory.lines().get(0);
    Gateway.ApiError twice =
        refusal(
            () ->
                EventRoutes.parseEvents(
                    "[" + event + "," + event + "]", new EventLines(Clock.systemUTC())));
    assertThat(twice.status).isEqualTo(400);
    assertThat(twice.problems).hasSize(1);
    assertThat(twice.problems.get(0).get("event").asInt()).isEqualTo(1);
    assertThat(twice.problems.get(0).get("message").asText())
        .isEqualTo(
            "'geneva-2016-01' of talk 'syria-ceasefire-geneva-2016' is already used by event 0 of this request");
  }
}
