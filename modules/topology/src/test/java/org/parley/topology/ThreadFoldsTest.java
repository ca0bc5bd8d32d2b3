package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tasks of a stream thread commit in one transaction, so the first of them to write back before
 * the commit writes back them all, and the producer waits for the broker once per commit, not once
 * per task. A thread never writes back another thread's tasks.
 */
class ThreadFoldsTest {

  private final List<String> written = new ArrayList<>();

  private ThreadFolds.Member fold(String name) {
    return () -> written.add(name);
  }

  @Test
  void writingBackBeforeACommitWritesBackEveryFoldOfTheThread() {
    ThreadFolds.Member first = fold("task 0_0");
    ThreadFolds.Member second = fold("task 0_1");
    Set<ThreadFolds.Member> joined = ThreadFolds.join(first);
    ThreadFolds.join(second);
    try {
      ThreadFolds.writeBackAll();

      assertThat(written).containsExactlyInAnyOrder("task 0_0", "task 0_1");
    } finally {
      joined.removeAll(List.of(first, second));
    }
  }

  @Test
  void aFoldThatLeftIsNotWrittenBack() {
    ThreadFolds.Member closed = fold("closed task");
    Set<ThreadFolds.Member> joined = ThreadFolds.join(closed);
    ThreadFolds.Member running = fold("running task");
    ThreadFolds.join(running);
    try {
      joined.remove(closed);
      ThreadFolds.writeBackAll();

      assertThat(written).containsExactly("running task");
    } finally {
      joined.remove(running);
    }
  }

  @Test
  void aThreadNeverWritesBackTheFoldsOfAnother() throws InterruptedException {
    ThreadFolds.Member mine = fold("this thread's task");
    Set<ThreadFolds.Member> joined = ThreadFolds.join(mine);
    try {
      Thread other = new Thread(ThreadFolds::writeBackAll);
      other.start();
      other.join();

      assertThat(written).isEmpty();

      ThreadFolds.writeBackAll();
      assertThat(written).containsExactly("this thread's task");
    } finally {
      joined.remove(mine);
    }
  }
}
