package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.avro.Alert;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.TalkState;
import org.parley.model.EventScript;
import org.parley.model.JsonForm;
import org.parley.model.SeedStory;

/**
 * The article's story (Geneva, September 2016), replayed through the topology: the exact alerts a
 * newsroom would have seen, in order, and the exact talk they end with.
 */
class SeedStoryTest {

  private static String line(Alert a) {
    return a.getType()
        + " "
        + a.getSubjectId()
        + " "
        + a.getBefore()
        + " -> "
        + a.getAfter()
        + " ["
        + a.getSeverity()
        + "] by "
        + a.getCauseEventId()
        + " at "
        + a.getEventTime();
  }

  @Test
  void theSeedStoryRaisesExactlyTheseAlertsInThisOrder() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      pipeline.send(SeedStory.events());

      List<Alert> alerts = pipeline.alerts();

      assertThat(alerts)
          .extracting(SeedStoryTest::line)
          .containsExactly(
              "TALK_STATUS_CHANGED syria-ceasefire-geneva-2016 null -> ANNOUNCED [NOTICE] by geneva-2016-01 at 2016-09-07T12:00:00Z",
              "TALK_STATUS_CHANGED syria-ceasefire-geneva-2016 ANNOUNCED -> CONFIRMED [NOTICE] by geneva-2016-03 at 2016-09-08T16:00:00Z",
              "COMMITMENT_MADE russia-halt-airstrikes null -> PROPOSED [NOTICE] by geneva-2016-05 at 2016-09-08T16:00:00Z",
              "COMMITMENT_MADE us-separate-moderates null -> PROPOSED [NOTICE] by geneva-2016-06 at 2016-09-08T16:00:00Z",
              "COMMITMENT_MADE humanitarian-access null -> PROPOSED [NOTICE] by geneva-2016-07 at 2016-09-08T16:00:00Z",
              "COMMITMENT_MADE russia-earlier-promises null -> PLEDGED [NOTICE] by geneva-2016-08 at 2016-09-08T17:00:00Z",
              "COMMITMENT_MADE us-military-cooperation null -> CONDITIONAL [NOTICE] by geneva-2016-09 at 2016-09-08T17:00:00Z",
              "STICKING_POINT_RAISED legitimate-targets null -> OPEN [INFO] by geneva-2016-11 at 2016-09-08T18:00:00Z",
              "STICKING_POINT_RAISED mutual-distrust null -> OPEN [INFO] by geneva-2016-12 at 2016-09-08T18:00:00Z",
              "DEADLINE_SET obama-term-ends null -> 2017-01-20T17:00:00Z [NOTICE] by geneva-2016-13 at 2016-09-08T18:00:00Z");
      assertThat(alerts)
          .extracting(Alert::getMessage)
          .containsExactly(
              "New talk: Kerry-Lavrov talks on a Syria cease-fire (announced by Russian Ministry of Foreign Affairs)",
              "Kerry-Lavrov talks on a Syria cease-fire: ANNOUNCED -> CONFIRMED (confirmed by U.S. State Department)",
              "Commitment PROPOSED: Russia: Halt the Assad government's airstrikes",
              "Commitment PROPOSED: United States: Persuade moderate opposition fighters to break ranks with more extremist groups",
              "Commitment PROPOSED: United States and Russia: Use the pause in military action to deliver humanitarian aid to the civilian population",
              "Commitment PLEDGED: Russia: Do everything it originally promised inside Syria, rather than attack U.S.-backed interests",
              "Commitment CONDITIONAL: United States: Enter into a cooperative military mission with Russia (conditions: Only when Russia commits to doing what it originally promised inside Syria; commitment russia-earlier-promises)",
              "Sticking point raised: Which groups and locations would continue to be legitimate military targets",
              "Sticking point raised: General distrust that either side will keep its promises",
              "Deadline set: End of the Obama administration's term, about four months away, due 2017-01-20T17:00:00Z");
      assertThat(pipeline.deadLetters()).isEmpty();
    }
  }

  @Test
  void theSeedStoryEndsInExactlyThisTalkState() throws Exception {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      pipeline.send(SeedStory.events());

      List<TalkState> published = pipeline.states();

      assertThat(published).hasSize(SeedStory.events().size());
      TalkState last = published.get(published.size() - 1);
      assertThat(last).isEqualTo(pipeline.talk(SeedStory.TALK_ID));
      JsonNode expected =
          JsonForm.MAPPER.readTree(
              Files.readString(PipelineDriver.resource("seed-story/final-state.json")));
      assertThat(JsonForm.MAPPER.readTree(JsonForm.toJson(last))).isEqualTo(expected);
    }
  }

  @Test
  void asTheTermRunsOutTheClockWarnsAtADayAndAnHourThenMissesTheDeadline() {
    EventScript clock = new EventScript("clock", "2017-01-01T00:00:00Z");
    try (PipelineDriver pipeline = new PipelineDriver()) {
      pipeline.send(SeedStory.events());
      pipeline.alerts();

      pipeline.send(
          clock.tick("2017-01-19T17:00:00Z"),
          clock.tick("2017-01-20T16:00:00Z"),
          clock.tick("2017-01-20T17:00:00Z"));

      assertThat(pipeline.alerts())
          .extracting(SeedStoryTest::line)
          .containsExactly(
              "DEADLINE_APPROACHING obama-term-ends null -> PT24H [HIGH] by tick-1484845200000 at 2017-01-19T17:00:00Z",
              "DEADLINE_APPROACHING obama-term-ends PT24H -> PT1H [HIGH] by tick-1484928000000 at 2017-01-20T16:00:00Z",
              "DEADLINE_MISSED obama-term-ends OPEN -> MISSED [CRITICAL] by tick-1484931600000 at 2017-01-20T17:00:00Z");
      assertThat(pipeline.talk(SeedStory.TALK_ID).getDeadlines().get(0).getStatus())
          .isEqualTo(DeadlineStatus.MISSED);
    }
  }
}
