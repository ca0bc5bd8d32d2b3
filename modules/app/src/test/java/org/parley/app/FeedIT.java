package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.replay.TalkStates;
import org.parley.avro.Alert;
import org.parley.avro.TalkState;
import org.parley.avro.TalkStatus;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;

/**
 * The ICEWS sample imported into a real broker and folded: idempotent, noise kept out, one talk per
 * pair of states.
 */
class FeedIT {

  @TempDir Path dir;

  @Test
  void importingTheIcewsSampleTwiceAddsNothingTheSecondTimeAndItsNegotiationsBecomeTalks()
      throws Exception {
    // The real sample, kept once, with its provenance, in the ingest module's test resources.
    Path file = Path.of("../ingest/src/test/resources/feeds/events.2018.sample.tab");
    try (TestCluster cluster = TestCluster.single()) {
      String bootstrap = cluster.bootstrapServers();
      Cli.run("topics", "create", "-b", bootstrap);

      Cli first = Cli.run("import-feed", "icews", file.toString(), "-b", bootstrap);
      Cli again = Cli.run("import-feed", "icews", file.toString(), "-b", bootstrap);

      assertThat(first.exit()).isZero();
      assertThat(first.out())
          .contains("mapped 780 rows to 1,004 events")
          .contains("416  mirrored: the same event as an earlier row")
          .contains("202  a side is a generic sector")
          .contains("65  domestic: both sides are of one country")
          .contains("published 1,004 events to parley.events.v1; 0 were already there");
      assertThat(again.out())
          .contains("published 0 events to parley.events.v1; 1,004 were already there");

      try (ParleyInstance parley =
          ParleyInstance.start(
              new ParleyInstance.Settings(
                  bootstrap,
                  Map.of(),
                  dir.resolve("streams"),
                  "parley",
                  null,
                  DeadlineClock.DEFAULT_HORIZONS,
                  "it"))) {
        ReplayIT.awaitCaughtUp(bootstrap, "parley");
        Map<String, TalkState> talks =
            TalkStates.latest(bootstrap, Map.of(), Topics.standard().talkState());
        assertThat(talks).hasSize(171); // FeedImportTest pins the same count from an in-memory fold

        // The 2018 summit: Trump, Kim Jong-un, Kim Yong-chol, Pompeo... one talk of the two states.
        TalkState summit = talks.get("icews:north-korea--united-states");
        assertThat(summit.getStatus()).isEqualTo(TalkStatus.IN_PROGRESS);
        assertThat(summit.getParties()).containsExactly("North Korea", "United States");
        assertThat(summit.getEventCount()).isEqualTo(193);
        assertThat(summit.getSessions())
            .flatExtracting(s -> s.getParticipants())
            .contains("Donald Trump", "Kim Jong-Un", "Kim Yong-chol");

        // One Xinhua sentence about a China-US trade truce: one agreement, and no cease-fire.
        TalkState truce = talks.get("icews:china--united-states");
        assertThat(truce.getAgreements()).hasSize(1);
        assertThat(truce.getCommitments())
            .noneMatch(c -> c.getCommitmentId().startsWith("ceasefire-"));

        List<Alert> alerts =
            TopicReader.values(
                bootstrap,
                Topics.ALERTS,
                new StringDeserializer(),
                Topics.standard().alerts().valueDeserializer());
        assertThat(alerts)
            .filteredOn(a -> a.getTalkId().equals("icews:north-korea--united-states"))
            .extracting(a -> a.getType() + " " + a.getBefore() + "->" + a.getAfter())
            .containsExactly(
                "TALK_STATUS_CHANGED null->ANNOUNCED",
                "TALK_STATUS_CHANGED ANNOUNCED->IN_PROGRESS");
        assertThat(alerts)
            .filteredOn(a -> a.getTalkId().equals("icews:china--united-states"))
            .extracting(a -> a.getType().toString())
            .containsOnlyOnce("AGREEMENT_REACHED");
        // One agreement alert per signing, however many rows told it: 15 in all, as many as
        // agreements.
        assertThat(alerts)
            .filteredOn(a -> a.getType().toString().equals("AGREEMENT_REACHED"))
            .hasSize(15);
        assertThat(
                TopicReader.values(
                    bootstrap,
                    Topics.DEAD_LETTERS,
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer()))
            .isEmpty();
      }
    }
  }
}
