package org.parley.topology;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The folds one stream thread runs, so that they write back together before a commit.
 *
 * <p>Under exactly_once_v2 the tasks of a stream thread commit in one transaction, but Kafka
 * Streams prepares them one at a time: each task flushes its caches ({@link BeforeCommit}, where a
 * fold writes back) and then waits for the producer to flush. When each fold wrote back only its
 * own talks, a thread of six tasks waited for the broker six times per commit, each time for the
 * records of one task; that was most of the 12 to 16 ms a commit spent flushing, against 2 ms for a
 * plain Streams app with nothing to write back. Now the first fold to write back writes back every
 * fold of its thread that has something to write, so the first flush sends all of it and the others
 * find nothing left to wait for.
 *
 * <p>This is safe because what is written back is only ever the work of records the thread has
 * processed in the open transaction: Kafka Streams commits every task of the thread that processed
 * something in that same transaction (on a rebalance too), and when the transaction aborts it
 * closes them all and restores their stores, as it does after its own record cache is flushed. A
 * fold that is closed, or whose last record made it throw (its task may be closed dirty next),
 * writes back only its own talks. The hook cannot tell a flush before a commit from one before a
 * dirty close, so one path remains: a task found corrupted while a rebalance is under way is closed
 * dirty alone, its transaction aborted, and a healthy fold of the same thread written back into it
 * loses that write-back from its changelog, beside the alerts Kafka Streams already loses there
 * (see apache/kafka pull request 8440). Kafka Streams marks a running task corrupted while the
 * producer is healthy only on a timeout inside processing, and this fold makes no client calls
 * there, so that path should not arise.
 *
 * <p>Membership is per thread on purpose: a fold joins from {@code process}, which only its stream
 * thread calls, so one thread never writes back another thread's tasks.
 */
final class ThreadFolds {
  private static final ThreadLocal<Set<Member>> FOLDS =
      ThreadLocal.withInitial(ConcurrentHashMap::newKeySet);

  private ThreadFolds() {}

  /** A fold of this thread, which another fold of it may ask to write back. */
  interface Member {
    /**
     * Writes back and publishes what the fold changed since the last write-back, if anything;
     * whether there was anything.
     */
    boolean writeBack();
  }

  /** Joins the calling thread's folds (again, harmlessly); returns the set to leave later. */
  static Set<Member> join(Member member) {
    Set<Member> folds = FOLDS.get();
    folds.add(member);
    return folds;
  }

  /** Writes back every fold of the calling thread; whether any had something to write. */
  static boolean writeBackAll() {
    boolean wrote = false;
    for (Member member : FOLDS.get()) {
      wrote |= member.writeBack();
    }
    return wrote;
  }
}
