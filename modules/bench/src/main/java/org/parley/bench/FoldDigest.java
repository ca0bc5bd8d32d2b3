package org.parley.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.parley.avro.ClockTick;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.EventCorrected;
import org.parley.avro.EventRetracted;
import org.parley.avro.Source;
import org.parley.core.DeadlineClock;
import org.parley.core.InMemoryLedger;
import org.parley.core.PartitionFold;
import org.parley.core.TalkFold;
import org.parley.ingest.SyntheticLog;

/**
 * One digest of everything the fold of this build gives for a set of generated logs: {@code java
 * -cp modules/bench/target/benchmarks.jar org.parley.bench.FoldDigest 300}. Run it with the jar of
 * each build to compare: a change meant to leave every state, alert and refusal as it was must
 * print the same last line.
 *
 * <p>Each log is the synthetic log (seeded: 1 to 40 talks, 200 to 3,000 events) with what it lacks
 * mixed in: clock ticks, retractions and corrections of earlier events (some no longer apply, and
 * are refused), and duplicates. Every outcome's text goes into the digest, so a state, an alert,
 * its id or a refusal's wording that differs changes it. {@code -v} prints each log's digest too,
 * to find the first log that differs.
 */
public final class FoldDigest {
  private FoldDigest() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: FoldDigest LOGS [-v]");
      System.exit(2);
    }
    int logs = Integer.parseInt(args[0]);
    boolean verbose = args.length > 1 && args[1].equals("-v");
    MessageDigest all = MessageDigest.getInstance("SHA-256");
    for (int seed = 0; seed < logs; seed++) {
      MessageDigest one = MessageDigest.getInstance("SHA-256");
      PartitionFold fold =
          new PartitionFold(new TalkFold(DeadlineClock.standard()), new InMemoryLedger());
      for (DiplomaticEvent event : log(seed)) {
        Instant heardAt = event.getLoggedAt() != null ? event.getLoggedAt() : event.getRecordedAt();
        one.update(fold.accept(event, heardAt).toString().getBytes(StandardCharsets.UTF_8));
      }
      byte[] digest = one.digest();
      all.update(digest);
      if (verbose) {
        System.out.println("log " + seed + " " + HexFormat.of().formatHex(digest, 0, 8));
      }
    }
    System.out.println(logs + " logs " + HexFormat.of().formatHex(all.digest()));
  }

  static List<DiplomaticEvent> log(int seed) {
    Random random = new Random(seed);
    int talks = 1 + random.nextInt(seed % 3 == 0 ? 3 : 40);
    List<DiplomaticEvent> base = SyntheticLog.of(talks, 200 + random.nextInt(2_800), seed);
    Source parley = new Source("parley", "fold digest", null);
    List<DiplomaticEvent> log = new ArrayList<>();
    for (DiplomaticEvent event : base) {
      log.add(event);
      double draw = random.nextDouble();
      Instant at = event.getOccurredAt();
      if (draw < 0.03) { // a tick up to three days on, heard after the talk went quiet or not
        Instant now = at.plusSeconds(random.nextInt(3 * 86_400));
        Instant heard = event.getRecordedAt().plusSeconds(120 + random.nextInt(4_000));
        log.add(
            new DiplomaticEvent(
                "tick-" + log.size(), "_clock", now, now, heard, parley, null, new ClockTick()));
      } else if (draw < 0.05) { // a retraction of an earlier event of any talk
        DiplomaticEvent target = log.get(random.nextInt(log.size()));
        log.add(
            about(
                target,
                event,
                "retract-" + log.size(),
                new EventRetracted(target.getEventId(), "wrong")));
      } else if (draw < 0.07) { // a correction: another event's payload in an earlier one's place
        DiplomaticEvent target = log.get(random.nextInt(log.size()));
        Object payload = base.get(random.nextInt(base.size())).getPayload();
        Instant corrected = random.nextBoolean() ? null : at.minusSeconds(random.nextInt(86_400));
        log.add(
            about(
                target,
                event,
                "correct-" + log.size(),
                new EventCorrected(target.getEventId(), "fix", corrected, payload)));
      } else if (draw < 0.09) { // an event delivered again
        log.add(log.get(random.nextInt(log.size())));
      }
    }
    return log;
  }

  /** A retraction or correction of {@code target}, published when {@code now} was. */
  private static DiplomaticEvent about(
      DiplomaticEvent target, DiplomaticEvent now, String eventId, Object payload) {
    return new DiplomaticEvent(
        eventId,
        target.getTalkId(),
        now.getOccurredAt(),
        now.getRecordedAt(),
        null,
        now.getSource(),
        null,
        payload);
  }
}
