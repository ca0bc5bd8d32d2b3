package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.parley.avro.AgreementKind;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkStatus;
import org.parley.avro.Tone;
import org.parley.core.PartitionFold.Outcome;
import org.parley.model.EventScript;
import org.parley.model.RecordCodec;

/**
 * Determinism and idempotence over generated event logs: several talks on one partition, with
 * commitments, deadlines that move and come due, clock ticks, late events, agreements declared
 * over, retractions and corrections, and events the fold refuses.
 */
class FoldPropertiesTest {

  /**
   * One generated step: what kind of event, for which talk and subject, and how much time passes
   * first.
   */
  record Step(int kind, int talk, int subject, int choice, int minutes) {}

  @Provide
  Arbitrary<List<Step>> logs() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.integers().between(0, 16),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(-600, 4000))
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(80);
  }

  /**
   * Logs of one announced talk dense in what makes consequences: pledges, commitments conditional
   * on them, their statuses changing, their actions and their conditions amended (to none too),
   * agreements and their declared statuses, clock ticks, retractions and corrections.
   */
  @Provide
  Arbitrary<List<Step>> conditionalLogs() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.of(2, 3, 4, 4, 5, 5, 5, 5, 6, 10, 11, 12, 14, 15, 16, 17, 17),
                Arbitraries.integers().between(0, 2),
                // As a status (kind 5), FULFILLED, BREACHED and WITHDRAWN (4 to 6) most often.
                Arbitraries.of(0, 1, 2, 3, 4, 4, 4, 5, 5, 6, 6),
                Arbitraries.integers().between(-60, 600))
            // A commitment made conditional (kind 4) is c0 on c1 or c1 on c2, so chains form.
            .as(
                (kind, subject, choice, minutes) ->
                    new Step(kind, 0, kind == 4 ? subject % 2 : subject, choice, minutes));
    return step.list()
        .ofMinSize(1)
        .ofMaxSize(40)
        .map(
            steps -> {
              List<Step> log = new ArrayList<>();
              log.add(new Step(0, 0, 0, 0, 0)); // the talk announced
              log.add(new Step(3, 0, 2, 0, 0)); // c2 pledged: a condition from the start
              log.addAll(steps);
              return log;
            });
  }

  @Property(tries = 300)
  void foldingTheSameLogTwiceGivesIdenticalStateAndAlertsByteForByte(
      @ForAll("logs") List<Step> steps) {
    List<DiplomaticEvent> log = events(steps);

    assertThat(encoded(fold(log))).isEqualTo(encoded(fold(log)));
  }

  @Property(tries = 300)
  void redeliveringAnyAppliedEventChangesNothing(
      @ForAll("logs") List<Step> steps, @ForAll("positions") List<Integer> duplicates) {
    List<DiplomaticEvent> log = events(steps);
    Folded original = fold(log);

    // Re-deliver applied events later in the log: a copy of event i goes after event i + k.
    java.util.Map<Integer, List<DiplomaticEvent>> copiesAfter = new java.util.HashMap<>();
    for (int position : duplicates) {
      int index = position % log.size();
      if (original.applied.get(index)) {
        int slot = Math.min(log.size() - 1, index + position % 7);
        copiesAfter.computeIfAbsent(slot, k -> new ArrayList<>()).add(log.get(index));
      }
    }
    List<DiplomaticEvent> withDuplicates = new ArrayList<>();
    for (int i = 0; i < log.size(); i++) {
      withDuplicates.add(log.get(i));
      withDuplicates.addAll(copiesAfter.getOrDefault(i, List.of()));
    }

    Folded again = fold(withDuplicates);
    assertThat(encoded(again).alerts()).isEqualTo(encoded(original).alerts());
    assertThat(encoded(again).talks()).isEqualTo(encoded(original).talks());
  }

  /**
   * The fold follows consequences (a condition failed or fulfilled, an agreement breached, a talk
   * whose agreements all ended) only from what an event changed: whatever it skips must already
   * hold. Following them again from scratch on any talk it yields changes nothing. The log also
   * declares talk statuses (AGREEMENT_REACHED among them) and issues statements, which change
   * neither commitments nor agreements.
   */
  @Property(tries = 500)
  void everyTalkTheFoldYieldsHasFollowedEveryConsequenceOfItsCommitmentsAndAgreements(
      @ForAll("conditionalLogs") List<Step> steps) {
    PartitionFold partition =
        new PartitionFold(new TalkFold(DeadlineClock.standard()), new InMemoryLedger());
    for (DiplomaticEvent event : events(steps)) {
      if (partition.accept(event, event.getRecordedAt()) instanceof Outcome.Applied applied) {
        for (org.parley.avro.TalkState talk : applied.talks()) {
          org.parley.avro.TalkState again = Copies.of(talk);
          Consequences.followAll(again, talk.getUpdatedAt(), "followed-again");
          assertThat(again.toString())
              .as("talk %s after %s", talk.getTalkId(), event.getEventId())
              .isEqualTo(talk.toString());
        }
      }
    }
  }

  @Property(tries = 200)
  void aTalkEncodedFromItsKeptPartsIsByteForByteWhatAvroWrites(@ForAll("logs") List<Step> steps) {
    InMemoryLedger ledger = new InMemoryLedger();
    PartitionFold partition = new PartitionFold(new TalkFold(DeadlineClock.standard()), ledger);
    org.parley.model.TalkEncoder encoder = new org.parley.model.TalkEncoder();
    java.util.Map<String, org.parley.model.TalkEncoder.Parts> parts = new java.util.HashMap<>();
    for (DiplomaticEvent event : events(steps)) {
      if (partition.accept(event, event.getRecordedAt()) instanceof Outcome.Applied applied) {
        for (org.parley.avro.TalkState talk : applied.talks()) {
          byte[] reused =
              encoder.encode(
                  talk,
                  parts.computeIfAbsent(
                      talk.getTalkId(), id -> new org.parley.model.TalkEncoder.Parts()));
          assertThat(reused).isEqualTo(RecordCodec.talks().encode(talk));
        }
      }
    }
  }

  /**
   * Parley writes and reads its records with their generated custom coders (see RecordCodec);
   * Avro's generic coders, which any other reader of the schemas uses, must see the very same
   * bytes.
   */
  @Property(tries = 200)
  void everyEventStateAndAlertIsWrittenAndReadAsAvrosGenericCodersDo(
      @ForAll("logs") List<Step> steps) throws Exception {
    InMemoryLedger ledger = new InMemoryLedger();
    PartitionFold partition = new PartitionFold(new TalkFold(DeadlineClock.standard()), ledger);
    for (DiplomaticEvent event : events(steps)) {
      assertWrittenAndReadAsGenericAvro(event, RecordCodec.events());
      if (partition.accept(event, event.getRecordedAt()) instanceof Outcome.Applied applied) {
        for (org.parley.avro.TalkState talk : applied.talks()) {
          assertWrittenAndReadAsGenericAvro(talk, RecordCodec.talks());
        }
        for (org.parley.avro.Alert alert : applied.alerts()) {
          assertWrittenAndReadAsGenericAvro(alert, RecordCodec.alerts());
        }
      }
    }
  }

  /**
   * Compared as bytes, each coder reading what the other wrote: records Avro decoded hold its own
   * lists, whose equals goes through a model that knows no {@link java.time.Instant}.
   */
  /**
   * Avro's generic coders, as any reader of the schemas has them: times as Instant, no more. (Also
   * the reference of {@code TalkEncoderTest}.)
   */
  static final org.apache.avro.specific.SpecificData GENERIC =
      withTimes(new org.apache.avro.specific.SpecificData());

  private static final org.apache.avro.generic.GenericData GENERIC_RECORDS =
      withTimes(new org.apache.avro.generic.GenericData());

  private static <D extends org.apache.avro.generic.GenericData> D withTimes(D model) {
    model.addLogicalTypeConversion(
        new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
    return model;
  }

  private static <T extends org.apache.avro.specific.SpecificRecord>
      void assertWrittenAndReadAsGenericAvro(T record, RecordCodec<T> codec) throws Exception {
    org.apache.avro.specific.SpecificData generic = GENERIC;
    assertThat(generic.useCustomCoders()).isFalse();
    var genericWriter =
        new org.apache.avro.message.BinaryMessageEncoder<T>(generic, codec.schema());
    var genericReader =
        new org.apache.avro.message.BinaryMessageDecoder<T>(generic, codec.schema());
    byte[] bytes = genericWriter.encode(record).array();
    assertThat(codec.encode(record)).as("written").isEqualTo(bytes);
    assertThat(genericWriter.encode(codec.decode(bytes)).array())
        .as("read by Parley, written again by Avro")
        .isEqualTo(bytes);
    assertThat(codec.encode(genericReader.decode(bytes)))
        .as("read by Avro, written again by Parley")
        .isEqualTo(bytes);
    // Written by an older Parley (the record as its schema then had it): read alike by both. States
    // and alerts only: an event may be of a type an older schema has no branch for, and
    // SchemaEvolutionTest reads old events.
    List<org.parley.model.SchemaHistory.Version> versions =
        record instanceof DiplomaticEvent
            ? List.of()
            : org.parley.model.SchemaHistory.versionsOf(codec.schema().getFullName());
    for (org.parley.model.SchemaHistory.Version old : versions) {
      // The body of the bytes above (after the 10-byte single-object header), read as the old
      // schema would have the record.
      org.apache.avro.generic.GenericRecord asOld =
          new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>(
                  codec.schema(), old.schema(), GENERIC_RECORDS)
              .read(
                  null,
                  org.apache.avro.io.DecoderFactory.get()
                      .binaryDecoder(bytes, 10, bytes.length - 10, null));
      byte[] oldBytes =
          new org.apache.avro.message.BinaryMessageEncoder<org.apache.avro.generic.GenericRecord>(
                  GENERIC_RECORDS, old.schema())
              .encode(asOld)
              .array();
      genericReader.addSchema(old.schema());
      assertThat(genericWriter.encode(codec.decode(oldBytes)).array())
          .as("%s read by Parley and by Avro", old.label())
          .isEqualTo(genericWriter.encode(genericReader.decode(oldBytes)).array());
    }
  }

  @Provide
  Arbitrary<List<Integer>> positions() {
    return Arbitraries.integers().between(0, 10_000).list().ofMaxSize(10);
  }

  private record Folded(
      List<Object> alerts,
      java.util.Map<String, org.parley.avro.TalkState> talks,
      List<Boolean> applied) {}

  private record Encoded(List<String> alerts, List<String> talks) {}

  private static Folded fold(List<DiplomaticEvent> log) {
    InMemoryLedger ledger = new InMemoryLedger();
    PartitionFold partition = new PartitionFold(new TalkFold(DeadlineClock.standard()), ledger);
    List<Object> alerts = new ArrayList<>();
    List<Boolean> applied = new ArrayList<>();
    for (DiplomaticEvent event : log) {
      Outcome outcome = partition.accept(event, event.getRecordedAt());
      applied.add(outcome instanceof Outcome.Applied);
      if (outcome instanceof Outcome.Applied a) {
        alerts.addAll(a.alerts());
      } else {
        alerts.add(outcome.toString());
      }
    }
    return new Folded(alerts, ledger.talks(), applied);
  }

  private static Encoded encoded(Folded folded) {
    List<String> alerts =
        folded.alerts.stream()
            .filter(a -> a instanceof org.parley.avro.Alert)
            .map(
                a ->
                    java.util.HexFormat.of()
                        .formatHex(RecordCodec.alerts().encode((org.parley.avro.Alert) a)))
            .toList();
    List<String> talks =
        folded.talks.values().stream()
            .map(t -> java.util.HexFormat.of().formatHex(RecordCodec.talks().encode(t)))
            .sorted()
            .toList();
    return new Encoded(alerts, talks);
  }

  /**
   * Turns generated steps into a log; some events are refused by the fold, which is part of the
   * test.
   */
  private static List<DiplomaticEvent> events(List<Step> steps) {
    List<EventScript> talks =
        List.of(
            new EventScript("talk-a", "2016-09-01T00:00:00Z"),
            new EventScript("talk-b", "2016-09-01T00:00:00Z"),
            new EventScript("talk-c", "2016-09-01T00:00:00Z"));
    List<DiplomaticEvent> log = new ArrayList<>();
    java.time.Instant clock = java.time.Instant.parse("2016-09-01T00:00:00Z");
    for (Step step : steps) {
      EventScript script = talks.get(step.talk());
      clock = clock.plus(Duration.ofMinutes(Math.max(0, step.minutes())));
      // Negative minutes make a late event: it happened before the partition's clock.
      script.at(clock.plus(Duration.ofMinutes(Math.min(0, step.minutes()))).toString());
      String commitment = "c" + step.subject();
      String deadline = "d" + step.subject();
      String due = clock.plus(Duration.ofHours(1 + step.choice() * 9L)).toString();
      log.add(
          switch (step.kind()) {
            case 0 -> script.announced("Talk " + step.talk(), "Party A", "Party B");
            case 1 -> script.confirmed("Party B");
            case 2 ->
                script.status(TalkStatus.values()[step.choice() % TalkStatus.values().length]);
            case 3 -> script.pledge(commitment, "Party A", "Action " + step.subject());
            case 4 ->
                script.commitment(
                    commitment,
                    "Party B",
                    "Conditional action",
                    CommitmentStatus.CONDITIONAL,
                    List.of("c" + ((step.subject() + 1) % 3)));
            case 5 -> script.commitmentStatus(commitment, CommitmentStatus.values()[step.choice()]);
            case 6 -> script.amendAction(commitment, "Amended action " + step.choice());
            case 7 -> script.deadline(deadline, "Deadline " + step.subject(), due);
            case 8 -> script.moveDeadline(deadline, due);
            case 9 -> script.deadlineStatus(deadline, DeadlineStatus.values()[step.choice() % 4]);
            case 10 -> script.tick(clock.toString());
            case 11 ->
                script.agreement(
                    "a" + step.subject(),
                    AgreementKind.CEASE_FIRE,
                    "Truce " + step.subject(),
                    commitment);
            case 12 ->
                script.statement(
                    "Speaker", "Text " + step.choice(), Tone.values()[step.choice() % 5]);
            case 14 ->
                script.event(
                    new org.parley.avro.AgreementStatusChanged(
                        "a" + step.subject(),
                        org.parley.avro.AgreementStatus.values()[step.choice() % 5],
                        "Declared"));
            case 15 ->
                script.event(
                    new org.parley.avro.EventRetracted(
                        "e" + (1 + step.choice() * 3 + step.subject()), "Retracted"));
            case 17 ->
                script.event(
                    new org.parley.avro.CommitmentAmended(
                        commitment,
                        null,
                        null,
                        null,
                        step.choice() % 2 == 0
                            ? List.of("c" + ((step.subject() + 1) % 3))
                            : List.of(),
                        null,
                        "Conditions amended"));
            case 16 ->
                script.event(
                    new org.parley.avro.EventCorrected(
                        "e" + (1 + step.choice() * 3 + step.subject()),
                        "Corrected",
                        null,
                        new org.parley.avro.StatementIssued(
                            "Speaker", "Corrected text", Tone.NEUTRAL)));
            default -> script.stickingPoint("s" + step.subject(), "Point " + step.subject());
          });
    }
    return log;
  }
}
