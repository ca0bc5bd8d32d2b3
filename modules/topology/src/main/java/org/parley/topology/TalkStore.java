package org.parley.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.parley.avro.DiplomaticEvent;
import org.parley.avro.TalkState;
import org.parley.model.RecordCodec;
import org.parley.model.UndecodableRecord;

/**
 * The talks this instance holds, read from the running pipeline's stores (interactive queries),
 * typed: the one reader of what {@link StoreLedger} writes, so no reader outside the topology
 * spells a store name or knows a byte layout. Talk states sit in {@link ParleyTopology#TALKS_STORE}
 * as Avro single-object bytes; a talk's history in {@link ParleyTopology#TALK_HISTORY_STORE}, laid
 * out as {@link TalkHistoryKeys} says. Read only.
 */
public final class TalkStore {

  /**
   * Thrown while the stores are being restored, assigned or moved between instances: try again
   * shortly.
   */
  public static final class NotReady extends RuntimeException {
    public NotReady(String message) {
      super(message);
    }
  }

  private static final String MOVING =
      "the talks are being restored or moved between instances; try again in a moment";

  private final KafkaStreams streams;

  public TalkStore(KafkaStreams streams) {
    this.streams = streams;
  }

  /** A talk this instance holds; empty when it holds no such talk. */
  public Optional<TalkState> talk(String talkId) {
    byte[] bytes = talks().get(talkId);
    return bytes == null ? Optional.empty() : Optional.of(decodeTalk(bytes));
  }

  /**
   * How many bytes a talk's state takes in the store (0 for a talk this instance does not hold).
   */
  public long stateBytes(String talkId) {
    byte[] bytes = talks().get(talkId);
    return bytes == null ? 0 : bytes.length;
  }

  /**
   * The events a talk this instance holds was folded from (its history, as corrected), in order;
   * empty for none.
   */
  public List<DiplomaticEvent> history(String talkId) {
    ReadOnlyKeyValueStore<String, byte[]> store = store(ParleyTopology.TALK_HISTORY_STORE);
    List<DiplomaticEvent> events = new ArrayList<>();
    TalkHistoryKeys.read(
        store,
        talkId,
        (seq, bytes) -> {
          try {
            events.add(RecordCodec.events().decode(bytes));
          } catch (UndecodableRecord e) {
            throw new IllegalStateException(
                "unreadable event in the history store: " + e.getMessage());
          }
        });
    return events;
  }

  /** Every talk this instance holds, in the store's order. */
  public void forEachTalk(Consumer<TalkState> talk) {
    try (KeyValueIterator<String, byte[]> all = talks().all()) {
      all.forEachRemaining(entry -> talk.accept(decodeTalk(entry.value)));
    }
  }

  /**
   * The instance that holds a talk (its {@code application.server}), whether or not the talk exists
   * yet.
   */
  public HostInfo owner(String talkId) {
    KeyQueryMetadata owner;
    try {
      owner =
          streams.queryMetadataForKey(
              ParleyTopology.TALKS_STORE, talkId, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      throw new NotReady("Parley is starting; try again in a moment");
    }
    if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      throw new NotReady("the talks are being assigned to instances; try again in a moment");
    }
    return owner.activeHost();
  }

  /** Every instance that holds talks, this one included. */
  public List<HostInfo> instances() {
    return streams.streamsMetadataForStore(ParleyTopology.TALKS_STORE).stream()
        .map(StreamsMetadata::hostInfo)
        .toList();
  }

  private ReadOnlyKeyValueStore<String, byte[]> talks() {
    return store(ParleyTopology.TALKS_STORE);
  }

  private ReadOnlyKeyValueStore<String, byte[]> store(String name) {
    try {
      return streams.store(
          StoreQueryParameters.fromNameAndType(
              name, QueryableStoreTypes.<String, byte[]>keyValueStore()));
    } catch (InvalidStateStoreException e) {
      throw new NotReady(MOVING);
    }
  }

  private static TalkState decodeTalk(byte[] bytes) {
    try {
      return RecordCodec.talks().decode(bytes);
    } catch (UndecodableRecord e) {
      throw new IllegalStateException("unreadable talk in the store: " + e.getMessage());
    }
  }
}
