package org.parley.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.parley.avro.Agreement;
import org.parley.avro.AgreementStatus;
import org.parley.avro.Commitment;
import org.parley.avro.CommitmentStatus;
import org.parley.avro.TalkState;
import org.parley.avro.TalkStatus;

/**
 * What follows from an event without anyone saying so, applied after every event until nothing more
 * follows:
 *
 * <ol>
 *   <li>A commitment conditional on others is void once one of them is breached or withdrawn (or
 *       void itself): its status becomes WITHDRAWN and {@code failedCondition} names the condition.
 *       A CONDITIONAL commitment whose conditions are all fulfilled is due: PLEDGED.
 *   <li>An agreement stands or falls with the commitments it put in effect: PARTIALLY_BREACHED when
 *       one of them is breached or withdrawn, BROKEN when all are. A status someone declared
 *       (ENDED, SUPERSEDED, BROKEN) is theirs to change, not the fold's.
 *   <li>A talk at AGREEMENT_REACHED whose agreements all stopped holding follows them: COLLAPSED
 *       when one broke, CONCLUDED when they ended or were superseded.
 * </ol>
 *
 * The talk passed in is a fresh copy of the fold's ({@link Copies}); the lists and items changed
 * are replaced, never mutated, so the state before the event stays as it was.
 */
final class Consequences {
  private Consequences() {}

  /**
   * @param before the talk before the event (null for a new talk): it was already at the point
   *     where nothing more follows, so when the event left its commitments and agreements as they
   *     were (the same lists, copy-on-write), nothing new can follow from them either. Each rule
   *     below is also skipped when what it reads did not change; that rests on the same fact for
   *     any talk whose lists the fold made ({@code Items}): a store's lists never are, so the first
   *     event that makes one follows everything whole, and every talk the fold yields after it is
   *     at that point.
   */
  static void follow(TalkState before, TalkState talk, Instant at, String eventId) {
    if (before == null
        || before.getCommitments() != talk.getCommitments()
        || before.getAgreements() != talk.getAgreements()) {
      if (conditionsMayFollow(before, talk)) {
        voidConditions(talk, at, eventId);
      }
      if (agreementsMayFollow(before, talk)) {
        judgeAgreements(talk, at);
      }
    }
    if (talkMayFollowAgreements(before, talk)) {
      followAgreements(talk);
    }
  }

  /**
   * Everything that follows, looked for in the whole talk rather than in what one event changed.
   * Only tests call it: it is what {@link #follow} must always agree with ({@code
   * FoldPropertiesTest}).
   */
  static void followAll(TalkState talk, Instant at, String eventId) {
    voidConditions(talk, at, eventId);
    judgeAgreements(talk, at);
    followAgreements(talk);
  }

  /**
   * Whether the event's changes can void or unblock a commitment. Within one event a talk's
   * commitments are only replaced in place or added at the end, never removed (a correction folds
   * the talk again, event by event). So only a commitment the event changed (not the same object at
   * the same place) can void or unblock one: when it is conditional itself, or when it now counts
   * as a condition failed or fulfilled. A commitment it did not change was at its fixed point
   * before, and its conditions can only have become less failed and less fulfilled. Why: most
   * events leave every condition as it was, and looking for conditional commitments read every
   * commitment of the talk (3 % of the fold in memory, issue 14).
   *
   * <p>A talk's commitments as a store gave them (a list the fold did not make) are looked at
   * whole, as every event did until the nineteenth round: a version before conditions were followed
   * may have stored a talk short of its fixed point, and such a talk is brought to it at its next
   * change, as before.
   */
  private static boolean conditionsMayFollow(TalkState before, TalkState talk) {
    if (before == null || !Items.madeByTheFold(before.getCommitments())) {
      return true;
    }
    List<Commitment> was = before.getCommitments();
    List<Commitment> after = talk.getCommitments();
    for (int i = Items.sharedPrefix(was, after); i < after.size(); i++) {
      Commitment now = after.get(i);
      if (i < was.size() && was.get(i) == now) {
        continue;
      }
      if (!now.getConditionalOn().isEmpty()
          || failed(now.getStatus())
          || now.getStatus() == CommitmentStatus.FULFILLED) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether judging the agreements again can change them: an agreement's status and {@code
   * breachedBy} depend only on which of the commitments it names are breached or withdrawn. When
   * the event (and what followed from it) left the agreements as they were and changed no
   * commitment from failed to not or back, judging them gives what it gave for the talk before,
   * which was already judged. Why: it looked up every commitment every agreement names (2.8 % of
   * the fold in memory, issue 14, twentieth round), at every change of a commitment. Lists a store
   * gave are judged whole, as in {@link #conditionsMayFollow}.
   */
  private static boolean agreementsMayFollow(TalkState before, TalkState talk) {
    if (before == null
        || before.getAgreements() != talk.getAgreements()
        || !Items.madeByTheFold(before.getAgreements())
        || !Items.madeByTheFold(before.getCommitments())) {
      return true;
    }
    List<Commitment> was = before.getCommitments();
    List<Commitment> after = talk.getCommitments();
    for (int i = Items.sharedPrefix(was, after); i < after.size(); i++) {
      // Replaced in place or added at the end. A commitment added counts as not failed before:
      // judging reads a commitment it cannot find as not failed.
      boolean failedBefore = i < was.size() && failed(was.get(i).getStatus());
      if (failedBefore != failed(after.get(i).getStatus())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the talk's status can follow its agreements now: that depends on the status and the
   * agreements alone, and the talk before was already where they lead, so only when one of them
   * changed. Lists a store gave are looked at whole, as in {@link #conditionsMayFollow}.
   */
  private static boolean talkMayFollowAgreements(TalkState before, TalkState talk) {
    return before == null
        || before.getAgreements() != talk.getAgreements()
        || before.getStatus() != talk.getStatus()
        || !Items.madeByTheFold(before.getAgreements());
  }

  private static boolean failed(CommitmentStatus status) {
    return status == CommitmentStatus.BREACHED || status == CommitmentStatus.WITHDRAWN;
  }

  private static boolean stillBinding(CommitmentStatus status) {
    return status == CommitmentStatus.PROPOSED
        || status == CommitmentStatus.PLEDGED
        || status == CommitmentStatus.CONDITIONAL
        || status == CommitmentStatus.IN_EFFECT;
  }

  /**
   * Voids and unblocks conditional commitments, to a fixed point: a void commitment voids those
   * conditional on it.
   */
  private static void voidConditions(TalkState talk, Instant at, String eventId) {
    boolean anyConditional = false;
    for (Commitment commitment : talk.getCommitments()) {
      anyConditional |= !commitment.getConditionalOn().isEmpty();
    }
    if (!anyConditional) {
      return;
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      Map<String, Commitment> byId = new HashMap<>();
      talk.getCommitments().forEach(c -> byId.put(c.getCommitmentId(), c));
      // The list as the pass began: an edit below replaces the talk's list, never this one.
      List<Commitment> commitments = talk.getCommitments();
      for (int i = 0; i < commitments.size(); i++) {
        Commitment commitment = commitments.get(i);
        if (commitment.getConditionalOn().isEmpty() || !stillBinding(commitment.getStatus())) {
          continue;
        }
        Commitment failedOne = null;
        boolean allFulfilled = true;
        for (String id : commitment.getConditionalOn()) {
          Commitment condition = byId.get(id);
          if (condition == null) {
            continue; // the fold refuses unknown conditions; a retraction may have removed one
          }
          if (failed(condition.getStatus()) && failedOne == null) {
            failedOne = condition;
          }
          allFulfilled &= condition.getStatus() == CommitmentStatus.FULFILLED;
        }
        if (failedOne != null) {
          Commitment edited = TalkFold.editCommitment(talk, i);
          edited.setFailedCondition(failedOne.getCommitmentId());
          TalkFold.changeStatus(
              edited,
              CommitmentStatus.WITHDRAWN,
              "void: its condition "
                  + failedOne.getCommitmentId()
                  + " was "
                  + failedOne.getStatus(),
              at,
              eventId);
          changed = true;
        } else if (allFulfilled && commitment.getStatus() == CommitmentStatus.CONDITIONAL) {
          TalkFold.changeStatus(
              TalkFold.editCommitment(talk, i),
              CommitmentStatus.PLEDGED,
              "due: every condition fulfilled",
              at,
              eventId);
          changed = true;
        }
      }
    }
  }

  private static void judgeAgreements(TalkState talk, Instant at) {
    if (talk.getAgreements().isEmpty()) {
      return;
    }
    // Agreements name few commitments: each is looked up in the list, unless there are many to
    // look up (then a map of the commitments by id is cheaper than a scan per name).
    int lookups = 0;
    for (Agreement agreement : talk.getAgreements()) {
      lookups += agreement.getInEffect().size();
    }
    Map<String, Commitment> byId = null;
    if (lookups > 8) {
      byId = new HashMap<>();
      for (Commitment c : talk.getCommitments()) {
        byId.put(c.getCommitmentId(), c);
      }
    }
    // The list as it was: an edit below replaces the talk's list (copy-on-write), never this one.
    List<Agreement> agreements = talk.getAgreements();
    for (int i = 0; i < agreements.size(); i++) {
      Agreement agreement = agreements.get(i);
      AgreementStatus was = agreement.getStatus();
      if (was != AgreementStatus.IN_EFFECT && was != AgreementStatus.PARTIALLY_BREACHED) {
        continue; // declared, or broken for good
      }
      List<String> breachedBy = List.of(); // most agreements hold: no list made for them
      for (String id : agreement.getInEffect()) {
        Commitment commitment = byId != null ? byId.get(id) : TalkFold.commitment(talk, id);
        if (commitment != null && failed(commitment.getStatus())) {
          if (breachedBy.isEmpty()) {
            breachedBy = new ArrayList<>();
          }
          breachedBy.add(id);
        }
      }
      AgreementStatus now =
          breachedBy.isEmpty()
              ? AgreementStatus.IN_EFFECT
              : breachedBy.size() == agreement.getInEffect().size()
                  ? AgreementStatus.BROKEN
                  : AgreementStatus.PARTIALLY_BREACHED;
      if (now != was || !breachedBy.equals(agreement.getBreachedBy())) {
        // At i in the talk's list too: an edit replaces an item in its place.
        Agreement edited = Copies.edit(talk.getAgreements(), i, Copies::of, talk::setAgreements);
        edited.setBreachedBy(breachedBy);
        if (now != was) {
          edited.setStatus(now);
          edited.setStatusReason(
              breachedBy.isEmpty()
                  ? "its commitments hold again"
                  : "breached: " + String.join(", ", breachedBy));
          edited.setStatusChangedAt(at);
        }
      }
    }
  }

  private static void followAgreements(TalkState talk) {
    if (talk.getStatus() != TalkStatus.AGREEMENT_REACHED || talk.getAgreements().isEmpty()) {
      return;
    }
    boolean anyBroken = false;
    for (Agreement agreement : talk.getAgreements()) {
      AgreementStatus status = agreement.getStatus();
      if (status == AgreementStatus.IN_EFFECT
          || status == AgreementStatus.PARTIALLY_BREACHED
          || status == AgreementStatus.OTHER) {
        return; // one still holds
      }
      anyBroken |= status == AgreementStatus.BROKEN;
    }
    talk.setStatus(anyBroken ? TalkStatus.COLLAPSED : TalkStatus.CONCLUDED);
  }
}
