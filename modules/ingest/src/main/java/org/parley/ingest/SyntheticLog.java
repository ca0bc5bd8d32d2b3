package org.parley.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.parley.avro.AgreementKind;
import org.parley.avro.AgreementReached;
import org.parley.avro.CommitmentAmended;
import org.parley.avro.CommitmentMade;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.CommitmentStatusChanged;
import org.parley.avro.DeadlineMoved;
import org.parley.avro.DeadlineSet;
import org.parley.avro.DeadlineStatus;
import org.parley.avro.DeadlineStatusChanged;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.Source;
import org.parley.avro.StatementIssued;
import org.parley.avro.StickingPointRaised;
import org.parley.avro.StickingPointResolved;
import org.parley.avro.TalkAnnounced;
import org.parley.avro.TalkStatus;
import org.parley.avro.TalkStatusChanged;
import org.parley.avro.Tone;

/**
 * A synthetic event log for benchmarks and large tests: many talks, each announced first, then a
 * realistic mix of statements, commitments made, amended, kept and broken, deadlines set, moved,
 * met and missed as the log's time runs on. The same seed always gives the same log.
 */
public final class SyntheticLog implements Iterator<DiplomaticEvent> {
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  private static final CommitmentStatus[] LATER_STATUSES = {
    CommitmentStatus.PLEDGED,
    CommitmentStatus.IN_EFFECT,
    CommitmentStatus.FULFILLED,
    CommitmentStatus.BREACHED,
    CommitmentStatus.WITHDRAWN
  };
  private static final TalkStatus[] TALK_STATUSES = {
    TalkStatus.CONFIRMED,
    TalkStatus.IN_PROGRESS,
    TalkStatus.SUSPENDED,
    TalkStatus.IN_PROGRESS,
    TalkStatus.POSTPONED
  };

  private final int talks;
  private final long events;
  private final SplittableRandom random;
  private final int[] commitments;
  private final int[] deadlines;
  private final int[] stickingPoints;
  private final int[] eventsOfTalk;
  private Instant now = START;
  private long produced;
  private int announced;

  public SyntheticLog(int talks, long events, long seed) {
    this.talks = talks;
    this.events = events;
    this.random = new SplittableRandom(seed);
    this.commitments = new int[talks];
    this.deadlines = new int[talks];
    this.stickingPoints = new int[talks];
    this.eventsOfTalk = new int[talks];
  }

  public static List<DiplomaticEvent> of(int talks, int events, long seed) {
    List<DiplomaticEvent> log = new ArrayList<>(events);
    new SyntheticLog(talks, events, seed).forEachRemaining(log::add);
    return log;
  }

  public static String talkId(int talk) {
    return String.format("talk-%06d", talk);
  }

  @Override
  public boolean hasNext() {
    return produced < events;
  }

  @Override
  public DiplomaticEvent next() {
    produced++;
    now = now.plusSeconds(1 + random.nextInt(120));
    // Announce talks in order first (while events remain), then pick talks at random.
    int talk = announced < talks ? announced++ : random.nextInt(talks);
    if (eventsOfTalk[talk]++ == 0) {
      return event(
          talk,
          new TalkAnnounced(
              "Synthetic talk " + talk,
              List.of("Party A" + talk, "Party B" + talk),
              List.of(),
              "Geneva",
              "Party A" + talk,
              null));
    }
    int dice = random.nextInt(100);
    int c = commitments[talk];
    int d = deadlines[talk];
    if (dice < 12) {
      return event(
          talk,
          new StatementIssued(
              "Spokesperson " + talk,
              "Statement " + produced,
              Tone.values()[random.nextInt(Tone.values().length)]));
    } else if (dice < 30 || c == 0) {
      commitments[talk]++;
      return event(
          talk,
          new CommitmentMade(
              "c" + c,
              "Party A" + talk,
              "Action " + c,
              "Party B" + talk,
              CommitmentStatus.PLEDGED,
              List.of(),
              List.of(),
              null));
    } else if (dice < 45) {
      return event(
          talk,
          new CommitmentStatusChanged(
              "c" + random.nextInt(c),
              LATER_STATUSES[random.nextInt(LATER_STATUSES.length)],
              null));
    } else if (dice < 50) {
      return event(
          talk,
          new CommitmentAmended(
              "c" + random.nextInt(c),
              "Amended action " + produced,
              null,
              null,
              null,
              null,
              "renegotiated"));
    } else if (dice < 62 || d == 0) {
      deadlines[talk]++;
      return event(
          talk,
          new DeadlineSet(
              "d" + d, "Deadline " + d, now.plus(Duration.ofHours(1 + random.nextInt(72))), null));
    } else if (dice < 74) {
      return event(
          talk,
          new DeadlineMoved(
              "d" + random.nextInt(d),
              now.plus(Duration.ofHours(1 + random.nextInt(96))),
              "extended"));
    } else if (dice < 80) {
      return event(
          talk,
          new DeadlineStatusChanged(
              "d" + random.nextInt(d),
              random.nextBoolean() ? DeadlineStatus.MET : DeadlineStatus.CANCELLED,
              null));
    } else if (dice < 86) {
      return event(
          talk, new TalkStatusChanged(TALK_STATUSES[random.nextInt(TALK_STATUSES.length)], null));
    } else if (dice < 92 || stickingPoints[talk] == 0) {
      int s = stickingPoints[talk]++;
      return event(talk, new StickingPointRaised("s" + s, "Sticking point " + s, null));
    } else if (dice < 97) {
      return event(
          talk, new StickingPointResolved("s" + random.nextInt(stickingPoints[talk]), "settled"));
    } else {
      return event(
          talk,
          new AgreementReached(
              "a" + produced,
              AgreementKind.CEASE_FIRE,
              "Agreement " + produced,
              List.of(),
              List.of("c" + random.nextInt(c))));
    }
  }

  private DiplomaticEvent event(int talk, Object payload) {
    return DiplomaticEvent.newBuilder()
        .setEventId("s" + produced)
        .setTalkId(talkId(talk))
        .setOccurredAt(now)
        .setRecordedAt(now)
        .setSource(new Source("synthetic", "parley bench", null))
        .setPayload(payload)
        .build();
  }
}
