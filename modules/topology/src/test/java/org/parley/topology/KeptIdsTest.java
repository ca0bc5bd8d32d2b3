package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ids kept per talk stay within their bound by giving up the least recently used talk's set: a
 * large one for a stand-in when its answers could be put elsewhere, otherwise dropped.
 */
class KeptIdsTest {
  private static final IdPrints STAND_IN = new IdPrints();

  private static IdPrints ids(int count) {
    IdPrints set = new IdPrints();
    for (int i = 0; i < count; i++) {
      set.add("e" + i);
    }
    return set;
  }

  @Test
  void aLargeSetThatMustGoIsReplacedByTheStandInAndStaysSoAsOtherSetsComeAndGo() {
    List<String> told = new ArrayList<>();
    KeptIds<IdPrints> kept = new KeptIds<>(1_000, 100, STAND_IN, 256, talk -> told.add(talk));
    kept.put("a", ids(600));
    kept.put("b", ids(600)); // 1,200 ids: a, the eldest, gives way
    assertThat(kept.get("a")).isSameAs(STAND_IN);
    assertThat(told).containsExactly("a");

    kept.put("c", ids(500)); // b gives way; the stand-in holds nothing, so it is passed over
    kept.put("d", ids(100));
    assertThat(kept.get("a")).isSameAs(STAND_IN);
    assertThat(kept.get("b")).isSameAs(STAND_IN);
    assertThat(kept.get("c")).isNotNull().isNotSameAs(STAND_IN);
    assertThat(told).containsExactly("a", "b");
  }

  @Test
  void aSetWhoseAnswersCouldNotBePutElsewhereIsDroppedAndReadAgainLater() {
    KeptIds<IdPrints> kept = new KeptIds<>(1_000, 100, STAND_IN, 256, talk -> false);
    kept.put("a", ids(600));
    kept.put("b", ids(600));
    assertThat(kept.get("a")).as("dropped, not a stand-in").isNull();
    // The count is true: after a's 600 went, b's 600 and 400 more fit.
    kept.put("c", ids(400));
    assertThat(kept.get("b")).isNotNull();
    assertThat(kept.get("c")).isNotNull();
  }

  @Test
  void smallSetsAndStandInsGoWhenThereAreTooManyTalks() {
    KeptIds<IdPrints> kept = new KeptIds<>(1_000, 2, STAND_IN, 256, talk -> true);
    kept.put("a", ids(600));
    kept.put("b", ids(600)); // a becomes a stand-in
    kept.put("c", ids(10)); // three talks: the eldest, a's stand-in, goes
    assertThat(kept.get("a")).isNull();
    kept.put("d", ids(10)); // and then b, the eldest, dropped outright
    assertThat(kept.get("b")).isNull();
    assertThat(kept.get("c")).isNotNull();
    assertThat(kept.get("d")).isNotNull();
  }
}
