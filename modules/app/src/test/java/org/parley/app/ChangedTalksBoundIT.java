package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.app.runtime.ClockKeys;
import org.parley.app.runtime.TopicAdmin;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.Source;
import org.parley.avro.TalkAnnounced;
import org.parley.client.Topics;
import org.parley.core.DeadlineClock;
import org.parley.core.TalkFold;
import org.parley.ingest.EventPublisher;
import org.parley.model.StoryTime;
import org.parley.topology.Pipeline;
import org.parley.topology.RawEventFold;

/**
 * The talks changed since the last commit are held in memory until it: a task that holds 2,000 of
 * them commits at once, whatever the commit interval, so a long interval (a rebuild commits once a
 * second) or a burst of new talks cannot take the heap.
 */
class ChangedTalksBoundIT {
  @TempDir Path dir;

  @Test
  void aPipelineThatCommitsRarelyStillCommitsOnceTwoThousandTalksHaveChanged() throws Exception {
    Topics topics = Topics.standard();
    try (TestCluster cluster = TestCluster.single()) {
      String bootstrap = cluster.bootstrapServers();
      try (TopicAdmin admin = new TopicAdmin(bootstrap, Map.of())) {
        admin.create(topics, 1, (short) 1); // one task holds every talk
      }
      List<DiplomaticEvent> announcements = new ArrayList<>();
      Instant at = Instant.parse("2026-01-05T09:00:00Z");
      for (int talk = 0; talk < 2_500; talk++) {
        announcements.add(
            DiplomaticEvent.newBuilder()
                .setEventId("announce-" + talk)
                .setTalkId("talk-" + talk)
                .setOccurredAt(at)
                .setRecordedAt(at)
                .setSource(new Source("it", null, null))
                .setPayload(
                    new TalkAnnounced(
                        "Talk " + talk, List.of("A", "B"), List.of(), null, "A", null))
                .build());
      }
      try (EventPublisher publisher =
          new EventPublisher(bootstrap, Map.of(), topics.events(), "it")) {
        publisher.publish(announcements);
      }
      try (Pipeline pipeline =
          new Pipeline(
              new Pipeline.Settings(
                  bootstrap,
                  "parley-bound",
                  dir,
                  topics,
                  new TalkFold(DeadlineClock.standard()),
                  new RawEventFold.Rules(
                      ClockKeys.seal(bootstrap, Map.of()), StoryTime.DEFAULT_FUTURE_TOLERANCE),
                  // Far longer than the test may take: only the bound can make it commit. (A
                  // transaction may stay open that long only if its timeout allows; the broker's
                  // limit is 15 minutes.)
                  Map.of(
                      StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                      Duration.ofMinutes(10).toMillis(),
                      StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                      (int) Duration.ofMinutes(14).toMillis())))) {
        pipeline.start();
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> committedStates(bootstrap, topics) >= 2_000);
        // The talks folded after the bound was reached wait for the next commit, minutes away.
        assertThat(committedStates(bootstrap, topics)).isLessThan(2_500);
      }
    }
  }

  private static int committedStates(String bootstrap, Topics topics) {
    return TopicReader.values(
            bootstrap,
            topics.talkState().name(),
            new StringDeserializer(),
            new ByteArrayDeserializer())
        .size();
  }
}
