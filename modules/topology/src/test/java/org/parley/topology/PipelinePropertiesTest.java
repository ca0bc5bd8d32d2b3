package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.core.TalkFold;
import org.parley.model.StoryTime;

class PipelinePropertiesTest {
  private static Pipeline.Settings settings(Map<String, Object> clientProperties) {
    return new Pipeline.Settings(
        "unused:9092",
        "parley-test",
        Path.of("target", "unused-state"),
        Topics.standard(),
        new TalkFold(DeadlineClock.standard()),
        new RawEventFold.Rules(PipelineDriver.SEAL, StoryTime.DEFAULT_FUTURE_TOLERANCE),
        clientProperties);
  }

  /**
   * The pipeline does not let Kafka Streams wait for a task's other inputs (which cost 3 % of the
   * stream thread formatting log messages): that is safe only while a task has no other input, as
   * the events topic is the topology's one source. A second source would need this looked at again.
   */
  @Test
  void aTaskReadsTheEventsTopicAloneSoThePipelineNeverWaitsForAnotherInput() {
    Pipeline.Settings settings = settings(Map.of());
    TopologyDescription topology =
        ParleyTopology.build(settings.topics(), settings.fold(), settings.rules()).describe();

    assertThat(topology.subtopologies()).hasSize(1);
    assertThat(topology.subtopologies().iterator().next().nodes())
        .filteredOn(node -> node instanceof TopologyDescription.Source)
        .singleElement()
        .satisfies(
            source ->
                assertThat(((TopologyDescription.Source) source).topicSet())
                    .containsExactly(settings.topics().rawEvents().name()));
    assertThat(Pipeline.properties(settings))
        .containsEntry(
            StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
  }

  @Test
  void anOperatorsOwnTaskIdleSettingIsKept() {
    assertThat(Pipeline.properties(settings(Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 500L))))
        .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 500L);
  }
}
