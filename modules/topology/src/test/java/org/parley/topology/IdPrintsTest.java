package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdPrintsTest {

  @Test
  void anIdIsFoundWhileItIsKeptAndNotOnceEveryCopyOfItIsTakenAway() {
    for (long seed = 0; seed < 20; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      IdPrints prints = new IdPrints();
      Map<String, Integer> reference = new HashMap<>();
      for (int step = 0; step < 20_000; step++) {
        // Few distinct ids, so that adds, removals and the table's runs keep meeting.
        String id = "event-" + random.nextInt(random.nextBoolean() ? 40 : 4_000);
        if (random.nextInt(3) == 0) {
          boolean kept = reference.containsKey(id);
          assertThat(prints.remove(id))
              .as("seed %d step %d: remove %s", seed, step, id)
              .isEqualTo(kept);
          if (kept) {
            reference.merge(id, -1, Integer::sum);
            reference.remove(id, 0);
          }
        } else {
          prints.add(id);
          reference.merge(id, 1, Integer::sum);
        }
        if (step % 500 == 0) {
          for (int other = 0; other < 4_000; other++) {
            String asked = "event-" + other;
            assertThat(prints.mayContain(asked))
                .as("seed %d step %d: %s", seed, step, asked)
                .isEqualTo(reference.containsKey(asked));
          }
        }
      }
      assertThat(prints.size())
          .isEqualTo(reference.values().stream().mapToInt(Integer::intValue).sum());
    }
  }

  @Test
  void aFingerprintIsNeverTheMarkOfAFreeSlot() {
    assertThat(IdPrints.of("")).isNotZero();
    IdPrints prints = new IdPrints();
    prints.add("");
    assertThat(prints.mayContain("")).isTrue();
    assertThat(prints.mayContain("x")).isFalse();
  }
}
