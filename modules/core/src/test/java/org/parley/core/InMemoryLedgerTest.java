package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemoryLedgerTest {

  @Test
  void anEventIdIsSeenOnlyInTheTalkThatMarkedItHoweverManyThereAre() {
    InMemoryLedger ledger = new InMemoryLedger();
    for (int i = 0; i < 5_000; i++) {
      ledger.markSeen("talk-a", "e" + i);
    }
    // "Aa" and "BB" have the same hash: ids are compared, not just hashed.
    ledger.markSeen("talk-a", "Aa");

    for (int i = 0; i < 5_000; i++) {
      assertThat(ledger.seen("talk-a", "e" + i)).as("e" + i).isTrue();
      assertThat(ledger.seen("talk-b", "e" + i)).as("e" + i + " in talk-b").isFalse();
    }
    assertThat(ledger.seen("talk-a", "Aa")).isTrue();
    assertThat(ledger.seen("talk-a", "BB")).isFalse();
    assertThat(ledger.seen("talk-a", "e5000")).isFalse();
    assertThat(ledger.talks()).as("marking ids creates no talk").isEmpty();
  }
}
