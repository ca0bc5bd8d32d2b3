package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.replay.Rebuild;
import org.parley.app.replay.StateDiff;
import org.parley.app.replay.TalkStates;
import org.parley.app.runtime.TopicAdmin;
import org.parley.client.Topics;
import org.parley.ingest.SyntheticLog;

/**
 * A rebuild of a log whose partitions each hold more talks than a fold keeps at hand (2,000 a
 * partition: decoded, with their histories' spans and ids), coming back to them at random: what it
 * does not keep it must read again from its stores, as the live pipeline reads its own.
 */
class ManyTalksRebuildIT {
  static final int TALKS = 15_000;
  static final int EVENTS = 60_000;

  @TempDir Path dir;

  @Test
  void aRebuildOfALogOfMoreTalksThanAPartitionKeepsAtHandGivesTheLiveAlertsAndTalks()
      throws Exception {
    Topics topics = Topics.standard();
    try (TestCluster cluster = TestCluster.single()) {
      String bootstrap = cluster.bootstrapServers();
      try (TopicAdmin admin = new TopicAdmin(bootstrap, Map.of())) {
        admin.create(topics, 6, (short) 1);
      }
      try (ParleyInstance live = ReplayIT.live(bootstrap, dir.resolve("live"))) {
        ReplayIT.publish(bootstrap, SyntheticLog.of(TALKS, EVENTS, 14));
        ReplayIT.awaitCaughtUp(bootstrap, "parley");
      }

      Rebuild.Result rebuilt =
          ReplayIT.rebuild(bootstrap, dir, new PrintWriter(new StringWriter()));

      Map<Integer, List<String>> liveAlerts = ReplayIT.bytes(bootstrap, topics.alerts().name());
      assertThat(liveAlerts.values().stream().mapToInt(List::size).sum()).isGreaterThan(20_000);
      assertThat(ReplayIT.bytes(bootstrap, rebuilt.output().alerts().name())).isEqualTo(liveAlerts);
      assertThat(rebuilt.folded().deadLettered()).isZero();
      assertThat(rebuilt.folded().applied()).isGreaterThanOrEqualTo(EVENTS);
      var liveTalks = TalkStates.latest(bootstrap, Map.of(), topics.talkState());
      assertThat(liveTalks).hasSize(TALKS);
      assertThat(
              StateDiff.compare(
                  "live",
                  liveTalks,
                  "rebuilt",
                  TalkStates.latest(bootstrap, Map.of(), rebuilt.output().talkState())))
          .isEmpty();
    }
  }
}
