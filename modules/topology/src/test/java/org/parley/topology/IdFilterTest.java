package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdFilterTest {
  @Test
  void everyIdAddedIsFoundAsTheFilterGrowsFromEmpty() {
    IdFilter ids = new IdFilter(0);
    for (int i = 0; i < 100_000; i++) {
      ids.add("event-" + i);
      // Each id as soon as it is in, and the first ones after every new filter of the chain.
      assertThat(ids.mayContain("event-" + i)).as("event-%d, just added", i).isTrue();
      assertThat(ids.mayContain("event-" + (i / 2))).as("event-%d", i / 2).isTrue();
    }
    assertThat(ids.size()).isEqualTo(100_000);
  }

  @Test
  void fewIdsNeverAddedAreFoundByATalksFilterGrownToThirtyThousandIds() {
    IdFilter ids = new IdFilter(0);
    for (int i = 0; i < 30_000; i++) {
      ids.add("e" + i);
    }
    int found = 0;
    for (int i = 0; i < 100_000; i++) {
      if (ids.mayContain("new-" + i)) {
        found++;
      }
    }
    // Each find costs a store lookup: a filter that found one new id in a hundred would cost what
    // the lookup per event cost before filters (ten filters at about 0.05 % each: about 0.5 %).
    assertThat(found).isLessThan(1_000);
  }

  @Test
  void aFilterSizedForTheIdsReadFromTheStoreMissesNoneOfThemNorAnyAddedAfter() {
    for (int count : new int[] {0, 1, 65, 4_096, 20_001}) {
      IdFilter read = new IdFilter(count);
      for (int i = 0; i < count * 3 + 10; i++) { // past its room, into a chain
        read.add("e" + i);
      }
      for (int i = 0; i < count * 3 + 10; i++) {
        assertThat(read.mayContain("e" + i)).as("e%d of a filter sized for %d", i, count).isTrue();
      }
    }
  }
}
