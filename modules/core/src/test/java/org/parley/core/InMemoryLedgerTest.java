package org.parley.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryLedgerTest {

  @Test
  void anEventIdIsSeenOnlyInTheTalkThatMarkedItHoweverManyThereAre() {
    InMemoryLedger ledger = new InMemoryLedger();
    for (int i = 0; i < 5_000; i++) {
      ledger.markSeen("talk-a", "e" + i);
    }
    // "Aa", "BB" and "AaAa", "BBBB" have the same hashes: ids are compared, not just hashed.
    ledger.markSeen("talk-a", "Aa");
    ledger.markSeen("talk-a", "AaAa");
    ledger.markSeen("talk-a", "BBBB");

    for (int i = 0; i < 5_000; i++) {
      assertThat(ledger.seen("talk-a", "e" + i)).as("e" + i).isTrue();
      assertThat(ledger.seen("talk-b", "e" + i)).as("e" + i + " in talk-b").isFalse();
    }
    assertThat(ledger.seen("talk-a", "Aa")).isTrue();
    assertThat(ledger.seen("talk-a", "BB")).isFalse();
    assertThat(ledger.seen("talk-a", "e5000")).isFalse();
    assertThat(ledger.seen("talk-a", "AaAa")).isTrue();
    assertThat(ledger.seen("talk-a", "BBBB")).isTrue();
    assertThat(ledger.seen("talk-a", "AaBB")).isFalse();
    // A talk id read from a record is another string with the same text.
    assertThat(ledger.seen(new String("talk-a"), new String("e42"))).isTrue();
    assertThat(ledger.talks()).as("marking ids creates no talk").isEmpty();
  }

  @Test
  void seenIdsAgreeWithASetWhateverTheOrderOfAsksAndAddsAndTheIdsHashes() {
    // The fold asks, then adds the same id once the event applied, and the set reuses the ask's
    // probe for the add: here asks and adds come in every order, of ids whose hashes collide
    // ("Aa" and "BB", "AaAa" and "BBBB"), are 0 ("" and "\0"; 0 marks a free slot) or spread.
    java.util.Random random = new java.util.Random(14);
    List<String> ids =
        new ArrayList<>(List.of("", "\0", "\0\0", "Aa", "BB", "AaAa", "BBBB", "AaBB"));
    for (int i = 0; i < 300; i++) {
      ids.add("e" + i);
    }
    // Asked, then as many others added as grow the set, then added: the ask's probe is stale.
    for (int late = 0; late < 300; late++) {
      String id = "late" + late; // the same string asked and added, as the fold has them
      InMemoryLedger.IdSet grown = new InMemoryLedger.IdSet();
      assertThat(grown.contains(id)).isFalse();
      for (int i = 0; i < 100; i++) {
        grown.add("e" + i);
      }
      grown.add(id);
      assertThat(grown.contains(id)).as("%s, added after the set grew", id).isTrue();
    }
    for (int run = 0; run < 200; run++) {
      InMemoryLedger.IdSet set = new InMemoryLedger.IdSet();
      java.util.Set<String> expected = new java.util.HashSet<>();
      for (int step = 0; step < 400; step++) {
        // A copy now and then: an event's id is another string than the one kept.
        String id = ids.get(random.nextInt(ids.size()));
        String asked = random.nextBoolean() ? id : new String(id);
        switch (random.nextInt(3)) {
          case 0 ->
              assertThat(set.contains(asked))
                  .as("run %d step %d: %s", run, step, id)
                  .isEqualTo(expected.contains(id));
          case 1 -> {
            assertThat(set.contains(asked))
                .as("run %d step %d: %s", run, step, id)
                .isEqualTo(expected.contains(id));
            set.add(asked);
            expected.add(id);
          }
          default -> {
            set.add(asked);
            expected.add(id);
          }
        }
      }
      for (String id : ids) {
        assertThat(set.contains(id))
            .as("run %d at the end: %s", run, id)
            .isEqualTo(expected.contains(id));
      }
    }
  }

  @Test
  void aTalkKnownOnlyByItsSeenIdsHasNoStateAndAnEmptyHistory() {
    InMemoryLedger ledger = new InMemoryLedger();
    ledger.markSeen("talk-a", "tick-1");

    assertThat(ledger.talk("talk-a")).isNull();
    assertThat(ledger.history("talk-a")).isEqualTo(PartitionFold.History.EMPTY);
  }

  @Test
  void aReplacedHistoryIsACopyNotTheListItWasGiven() {
    InMemoryLedger ledger = new InMemoryLedger();
    org.parley.avro.DiplomaticEvent first =
        new org.parley.model.EventScript("talk-a", "2024-01-01T00:00:00Z").announced("T", "A");
    ledger.appendHistory("talk-a", first);

    // Replacing a history with a view of itself (what trimming does) keeps its entries.
    ledger.replaceHistory("talk-a", ledger.history("talk-a"));
    ledger.appendHistory("talk-a", first);

    assertThat(ledger.history("talk-a").entries()).containsExactly(first, first);
  }

  @Test
  void talksAreDueAtTheLastWakeUpTheFoldGaveThemEarliestFirstAndTiesInTalkIdOrder() {
    InMemoryLedger ledger = new InMemoryLedger();
    java.time.Instant t1 = java.time.Instant.parse("2024-01-01T00:00:00Z");
    java.time.Instant t2 = t1.plusSeconds(60);
    java.time.Instant t3 = t1.plusSeconds(120);
    ledger.addWakeUp(t1, "talk-b");
    ledger.addWakeUp(t2, "talk-a");
    assertThat(ledger.dueWakeUps(t1)).containsExactly("talk-b");

    // Between two reads talk-b's wake-up moves twice, talk-a's goes, and talk-c gets one.
    ledger.removeWakeUp(t1, "talk-b");
    ledger.addWakeUp(t3, "talk-b");
    ledger.removeWakeUp(t3, "talk-b");
    ledger.addWakeUp(t2, "talk-b");
    ledger.removeWakeUp(t2, "talk-a");
    ledger.addWakeUp(t2, "talk-c");
    assertThat(ledger.dueWakeUps(t1)).isEmpty();
    assertThat(ledger.dueWakeUps(t3)).containsExactly("talk-b", "talk-c");

    ledger.addWakeUp(t2, "talk-a");
    ledger.removeWakeUp(t1, "talk-c"); // not its wake-up: nothing changes
    ledger.removeWakeUp(t3, "talk-d"); // a talk the ledger does not know
    assertThat(ledger.dueWakeUps(t2)).containsExactly("talk-a", "talk-b", "talk-c");

    // talk-c's wake-up moves away and back between two reads; talk-e's comes earliest.
    ledger.removeWakeUp(t2, "talk-c");
    ledger.addWakeUp(t3, "talk-c");
    ledger.removeWakeUp(t3, "talk-c");
    ledger.addWakeUp(t2, "talk-c");
    ledger.addWakeUp(t1, "talk-e");
    assertThat(ledger.dueWakeUps(t3)).containsExactly("talk-e", "talk-a", "talk-b", "talk-c");
    assertThat(ledger.talks()).as("wake-ups create no talk state").isEmpty();
  }
}
