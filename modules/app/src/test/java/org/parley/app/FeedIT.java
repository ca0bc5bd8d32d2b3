package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.avro.Alert;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.TalkState;
import org.parley.avro.TalkStatus;
import org.parley.core.DeadlineClock;
import org.parley.topology.Topics;

/** The ICEWS sample imported into a real broker and folded: idempotent, and the negotiation pairs become talks. */
class FeedIT {

  @TempDir
  Path dir;

  @Test
  void importingTheIcewsSampleTwiceAddsNothingTheSecondTimeAndItsNegotiationsBecomeTalks() throws Exception {
    // The real sample, kept once, with its provenance, in the ingest module's test resources.
    Path file = Path.of("../ingest/src/test/resources/feeds/events.2018.sample.tab");
    try (TestCluster cluster = TestCluster.single()) {
      String bootstrap = cluster.bootstrapServers();
      Cli.run("topics", "create", "-b", bootstrap);

      Cli first = Cli.run("import-feed", "icews", file.toString(), "-b", bootstrap);
      Cli again = Cli.run("import-feed", "icews", file.toString(), "-b", bootstrap);

      assertThat(first.exit()).isZero();
      assertThat(first.out()).contains("mapped 1,493 rows to 1,830 events")
          .contains("published 1,830 events to parley.events.v1; 0 were already there");
      assertThat(again.out()).contains("published 0 events to parley.events.v1; 1,830 were already there");

      try (ParleyInstance parley = ParleyInstance.start(new ParleyInstance.Settings(bootstrap, Map.of(),
          dir.resolve("streams"), "parley", null, DeadlineClock.DEFAULT_HORIZONS, "it"))) {
        ReplayIT.awaitCaughtUp(bootstrap, "parley");
        Map<String, TalkState> talks = TalkStates.latest(bootstrap, Map.of(), Topics.standard().talkState());
        assertThat(talks).hasSize(452);

        TalkState summit = talks.get("icews:donald-trump--kim-jong-un");
        assertThat(summit.getStatus()).isEqualTo(TalkStatus.IN_PROGRESS);
        assertThat(summit.getParties()).containsExactlyInAnyOrder("Donald Trump", "Kim Jong-Un");
        // 73 rows of the pair are 036 or 04x; the first is a 040, so it also opens the talk: 74 events.
        assertThat(summit.getEventCount()).isEqualTo(74);

        TalkState truce = talks.get("icews:china--united-states");
        assertThat(truce.getStatus()).isEqualTo(TalkStatus.AGREEMENT_REACHED);
        assertThat(truce.getCommitments()).filteredOn(c -> c.getCommitmentId().startsWith("ceasefire-"))
            .extracting(c -> c.getCommitmentId() + " " + c.getStatus())
            .containsExactlyInAnyOrder("ceasefire-china " + CommitmentStatus.IN_EFFECT,
                "ceasefire-united-states " + CommitmentStatus.IN_EFFECT);

        List<Alert> alerts = TopicReader.values(bootstrap, Topics.ALERTS, new StringDeserializer(),
            Topics.standard().alerts().valueDeserializer());
        assertThat(alerts).filteredOn(a -> a.getTalkId().equals("icews:donald-trump--kim-jong-un"))
            .extracting(a -> a.getType() + " " + a.getBefore() + "->" + a.getAfter())
            .containsExactly("TALK_STATUS_CHANGED null->ANNOUNCED", "TALK_STATUS_CHANGED ANNOUNCED->IN_PROGRESS");
        assertThat(alerts).filteredOn(a -> a.getTalkId().equals("icews:china--united-states"))
            .extracting(a -> a.getType().toString()).contains("AGREEMENT_REACHED");
        assertThat(TopicReader.values(bootstrap, Topics.DEAD_LETTERS,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())).isEmpty();
      }
    }
  }
}
