package org.parley.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.TalkState;
import org.parley.core.DeadlineClock;
import org.parley.core.TalkFold;
import org.parley.model.EventScript;

class StateDiffTest {
  private final TalkFold fold = new TalkFold(DeadlineClock.standard());
  private final EventScript script = new EventScript("geneva", "2016-09-07T12:00:00Z");

  @Test
  void identicalStatesHaveNoDifferencesAndChangedFieldsAreNamedByPath() {
    TalkState talk =
        fold.apply(fold.apply(null, script.announced("T", "A")), script.pledge("c1", "A", "Act"));
    TalkState breached = fold.apply(talk, script.commitmentStatus("c1", CommitmentStatus.BREACHED));

    assertThat(StateDiff.compare("live", Map.of("geneva", talk), "rebuilt", Map.of("geneva", talk)))
        .isEmpty();
    assertThat(
            StateDiff.compare(
                "live", Map.of("geneva", talk), "rebuilt", Map.of("geneva", breached)))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith(
                        "geneva: commitments[0].history: 1 items vs 2; commitments[0].status: \"PLEDGED\" vs \"BREACHED\";")
                    .contains("eventCount: 2 vs 3"));
  }

  @Test
  void talksOnOneSideOnlyAreNamed() {
    TalkState talk = fold.apply(null, script.announced("T", "A"));

    assertThat(StateDiff.compare("live", Map.of("geneva", talk), "rebuilt", Map.of()))
        .containsExactly("geneva: only in live");
  }
}
