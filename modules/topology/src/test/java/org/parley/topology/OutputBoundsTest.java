package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.parley.avro.AlertType;
import org.parley.avro.CommitmentMade;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.DiplomaticEvent;
import org.parley.model.EventScript;
import org.parley.model.RecordCodec;

/**
 * Whatever arrives, the pipeline never writes a record it cannot write (that would abort its
 * transaction and bring the same record back, forever): talk states stay under {@link
 * TalkLimit#MAX_STATE_BYTES}, dead letters are bounded, and no input header reaches an output.
 */
class OutputBoundsTest {

  private final EventScript talk = new EventScript("geneva", "2016-09-07T12:00:00Z");

  /**
   * A commitment carrying 30 conditions of 2,000 characters: about 60 KB, under the 64 KiB an event
   * may have.
   */
  private DiplomaticEvent heavyCommitment(int n) {
    List<String> conditions =
        Collections.nCopies(30, ("condition " + n + " ").repeat(200).substring(0, 2_000));
    return talk.event(
        new CommitmentMade(
            "c" + n,
            "Russia",
            "Halt airstrikes",
            null,
            CommitmentStatus.PLEDGED,
            conditions,
            List.of(),
            null));
  }

  @Test
  void aTalkThatWouldPassItsSizeLimitRefusesFurtherEventsAndEveryOtherTalkCarriesOn() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      pipeline.send(talk.announced("Geneva talks", "United States", "Russia"));
      for (int i = 0; i < 140; i++) {
        pipeline.send(heavyCommitment(i));
      }
      EventScript other = new EventScript("vienna", "2016-09-07T12:00:00Z");
      pipeline.send(other.announced("Vienna talks", "Iran", "E3"));

      List<TestRecord<byte[], byte[]>> letters = pipeline.deadLetters();
      assertThat(letters).as("the commitments past the limit").isNotEmpty().hasSizeLessThan(140);
      assertThat(DeadLetter.header(letters.get(0).headers(), DeadLetter.KIND)).isEqualTo("REFUSED");
      assertThat(DeadLetter.header(letters.get(0).headers(), DeadLetter.REASON))
          .contains("talk 'geneva' is full")
          .contains("4,194,304 bytes");
      int stateBytes = RecordCodec.talks().encode(pipeline.talk("geneva")).length;
      assertThat(stateBytes).isLessThanOrEqualTo(TalkLimit.MAX_STATE_BYTES);
      assertThat(pipeline.talk("geneva").getCommitments()).hasSize(140 - letters.size());
      assertThat(pipeline.talk("vienna")).as("another talk is folded as ever").isNotNull();
    }
  }

  @Test
  void aMisroutedEventWithAHugeKeyGivesASmallDeadLetter() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      String key = "k".repeat(4_500_000);
      pipeline.send(talk.announced("Geneva talks", "United States", "Russia"));
      pipeline.sendRaw(
          key, RecordCodec.events().encode(talk.pledge("halt", "Russia", "Halt airstrikes")));
      pipeline.send(talk.pledge("stop", "Russia", "Stop"));

      List<TestRecord<byte[], byte[]>> letters = pipeline.deadLetters();
      assertThat(letters).hasSize(1);
      TestRecord<byte[], byte[]> letter = letters.get(0);
      assertThat(DeadLetter.header(letter.headers(), DeadLetter.KIND)).isEqualTo("MISROUTED");
      String reason = DeadLetter.header(letter.headers(), DeadLetter.REASON);
      assertThat(reason.length()).isLessThanOrEqualTo(DeadLetter.MAX_REASON_CHARS + 40);
      assertThat(reason).contains("(4,499,900 more characters)");
      assertThat(letter.key()).as("a key that big is not copied").isNull();
      assertThat(DeadLetter.header(letter.headers(), DeadLetter.NOT_COPIED))
          .contains("4,500,000 bytes");
      assertThat(pipeline.alerts())
          .extracting(a -> a.getType())
          .containsExactly(AlertType.TALK_STATUS_CHANGED, AlertType.COMMITMENT_MADE);
    }
  }

  @Test
  void headersOfAnInputRecordReachNoOutput() {
    try (PipelineDriver pipeline = new PipelineDriver()) {
      RecordHeaders forged = new RecordHeaders();
      forged.add(DeadLetter.EXCEPTION, "forged".getBytes(StandardCharsets.UTF_8));
      forged.add(DeadLetter.REASON, "forged".getBytes(StandardCharsets.UTF_8));
      forged.add("x-anything", "forged".getBytes(StandardCharsets.UTF_8));
      pipeline.sendRaw(
          "geneva",
          RecordCodec.events().encode(talk.announced("Geneva talks", "US", "Russia")),
          forged);
      pipeline.sendRaw("geneva", "not avro".getBytes(StandardCharsets.UTF_8), forged);

      List<TestRecord<String, ?>> outputs = new ArrayList<>();
      pipeline.alertRecords().forEach(outputs::add);
      pipeline.stateRecords().forEach(outputs::add);
      assertThat(outputs).hasSize(2);
      outputs.forEach(
          r -> assertThat(r.headers().toArray()).as("state and alerts carry no headers").isEmpty());
      List<TestRecord<byte[], byte[]>> letters = pipeline.deadLetters();
      assertThat(letters).hasSize(1);
      assertThat(letters.get(0).headers().headers(DeadLetter.REASON)).hasSize(1);
      assertThat(DeadLetter.header(letters.get(0).headers(), DeadLetter.REASON))
          .doesNotContain("forged");
      assertThat(letters.get(0).headers().lastHeader(DeadLetter.EXCEPTION)).isNull();
      assertThat(letters.get(0).headers().lastHeader("x-anything")).isNull();
    }
  }
}
