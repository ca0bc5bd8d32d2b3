package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.parley.avro.TalkState;
import org.parley.core.DeadlineClock;
import org.parley.core.InMemoryLedger;
import org.parley.core.PartitionFold;
import org.parley.core.TalkFold;
import org.parley.model.EventScript;

/** The write-back ledger on its own, over in-memory stores. */
class StoreLedgerTest {
  private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();

  private <V> KeyValueStore<String, V> store(
      String name, org.apache.kafka.common.serialization.Serde<V> values) {
    KeyValueStore<String, V> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    return store;
  }

  @Test
  void aTalkWhoseStateCannotBeEncodedKeepsItsLastStateAndTheOthersAreWritten() {
    KeyValueStore<String, byte[]> talks = store("talks", Serdes.ByteArray());
    StoreLedger ledger =
        new StoreLedger(
            talks,
            store("seen-events", Serdes.Long()),
            store("wake-ups", Serdes.String()),
            store("talk-history", Serdes.ByteArray()));
    InMemoryLedger reference = new InMemoryLedger();
    PartitionFold fold = new PartitionFold(new TalkFold(DeadlineClock.standard()), reference);
    for (String id : List.of("good", "broken")) {
      var announced = new EventScript(id, "2016-09-07T12:00:00Z").announced("Talk " + id, "A", "B");
      fold.accept(announced, announced.getRecordedAt());
    }
    ledger.folding("record-1");
    ledger.putTalk(reference.talk("good"));
    TalkState broken = TalkState.newBuilder(reference.talk("broken")).build();
    broken.setTitle(null); // a defect of the fold: a required field left empty
    ledger.putTalk(broken);

    List<String> written = new ArrayList<>();
    List<String> unwritable = new ArrayList<>();
    ledger.writeBack(
        new StoreLedger.Publisher() {
          @Override
          public void talk(String talkId, byte[] encoded, Object source) {
            written.add(talkId);
          }

          @Override
          public void unwritable(String talkId, Object source, RuntimeException problem) {
            unwritable.add(talkId + " after " + source);
          }
        });

    assertThat(written).containsExactly("good");
    assertThat(unwritable).containsExactly("broken after record-1");
    assertThat(talks.get("good")).isNotNull();
    assertThat(talks.get("broken")).isNull();
    assertThat(ledger.talk("broken")).as("the talk is read back as last written: none").isNull();
  }
}
