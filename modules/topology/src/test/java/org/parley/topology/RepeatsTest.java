package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.EventRetracted;
import org.parley.avro.Tone;
import org.parley.core.PartitionFold;
import org.parley.model.EventScript;

/**
 * An event delivered again is a repeat however long ago it was applied, including when it is no
 * longer in its talk's history: retracted, or among the oldest entries folded into the talk's base.
 * (The pipeline keeps ids in the seen-events store only once they leave a history.)
 */
class RepeatsTest {
  private final EventScript talk = new EventScript("geneva", "2016-09-07T12:00:00Z");

  @Test
  void aRetractedEventDeliveredAgainIsStillARepeat() {
    DiplomaticEvent pledge = talk.pledge("halt", "Russia", "Halt airstrikes");
    try (PipelineDriver pipeline = new PipelineDriver()) {
      pipeline.send(
          talk.announced("Geneva talks on Syria", "United States", "Russia"),
          pledge,
          talk.event(new EventRetracted(pledge.getEventId(), "Misattributed")));
      long events = pipeline.talk("geneva").getEventCount();
      assertThat(pipeline.talk("geneva").getCommitments()).isEmpty();
      pipeline.alerts();

      pipeline.send(pledge);

      assertThat(pipeline.alerts()).isEmpty();
      assertThat(pipeline.talk("geneva").getCommitments())
          .as("the retracted pledge stays retracted")
          .isEmpty();
      assertThat(pipeline.talk("geneva").getEventCount()).isEqualTo(events);
    }
  }

  @Test
  void anEventOlderThanItsTalksKeptHistoryDeliveredAgainIsStillARepeat() {
    List<DiplomaticEvent> statements = new ArrayList<>();
    for (int i = 0; i < PartitionFold.HISTORY_LIMIT + 50; i++) {
      statements.add(talk.statement("Toner", "Briefing " + i, Tone.NEUTRAL));
    }
    try (PipelineDriver pipeline = new PipelineDriver()) {
      pipeline
          .send(talk.announced("Geneva talks on Syria", "United States", "Russia"))
          .send(statements);
      long events = pipeline.talk("geneva").getEventCount();
      pipeline.states();

      pipeline.send(statements.get(0), statements.get(1), statements.get(statements.size() - 1));

      assertThat(pipeline.states()).as("no state published: nothing changed").isEmpty();
      assertThat(pipeline.talk("geneva").getEventCount()).isEqualTo(events);
    }
  }
}
