package org.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rebuild's stores must answer the ledger as the pipeline's RocksDB stores do: ranges in the
 * order of the keys' bytes, both ends included, and each store of each partition on its own.
 */
class LocalStoresTest {
  @TempDir Path dir;

  @Test
  void eachStoreOfEachPartitionSeesOnlyItsOwnKeysInTheOrderOfTheirBytesWithBothEndsOfARange() {
    try (LocalStores stores = new LocalStores(dir)) {
      KeyValueStore<String, String> wakeUps = stores.store("wake-ups", 0, Serdes.String());
      KeyValueStore<String, String> otherPartition = stores.store("wake-ups", 1, Serdes.String());
      KeyValueStore<String, Long> otherStore = stores.store("wake-ups-seen", 0, Serdes.Long());
      // Keys a prefix of another, beyond ASCII, and the bounds the ledger scans with.
      for (String key : List.of("b", "a", "ab", "a\u000b", "é", "a\u0000", "z")) {
        wakeUps.put(key, "0:" + key);
        otherPartition.put(key, "1:" + key);
        otherStore.put(key, 7L);
      }

      assertThat(keys(wakeUps.range("a", "b")))
          .containsExactly("a", "a\u0000", "a\u000b", "ab", "b");
      assertThat(keys(wakeUps.range("a\u0000", "a\u000b"))).containsExactly("a\u0000", "a\u000b");
      assertThat(keys(wakeUps.range("c", "b"))).isEmpty();
      assertThat(keys(wakeUps.all()))
          .containsExactly("a", "a\u0000", "a\u000b", "ab", "b", "z", "é");
      assertThat(keys(wakeUps.reverseAll()))
          .containsExactly("é", "z", "b", "ab", "a\u000b", "a\u0000", "a");
      assertThat(wakeUps.get("ab")).isEqualTo("0:ab");
      assertThat(otherPartition.get("ab")).isEqualTo("1:ab");
      assertThat(otherStore.get("ab")).isEqualTo(7L);

      wakeUps.put("ab", null);
      wakeUps.putAll(List.of(KeyValue.pair("b", null), KeyValue.pair("c", "0:c")));
      assertThat(wakeUps.delete("z")).isEqualTo("0:z");
      assertThat(keys(wakeUps.all())).containsExactly("a", "a\u0000", "a\u000b", "c", "é");
      assertThat(keys(otherPartition.all())).hasSize(7);
      assertThat(keys(otherStore.all())).hasSize(7);
    }
  }

  @Test
  void aStoreAnswersEveryRangeEitherWayAsASortedMapOfTheSameBytesDoes() {
    TreeMap<byte[], byte[]> expected = new TreeMap<>(Arrays::compareUnsigned);
    SplittableRandom random = new SplittableRandom(14);
    try (LocalStores stores = new LocalStores(dir)) {
      KeyValueStore<String, byte[]> history = stores.store("talk-history", 3, Serdes.ByteArray());
      for (int i = 0; i < 5_000; i++) {
        String key = randomKey(random);
        if (random.nextInt(5) == 0) {
          history.put(key, null);
          expected.remove(bytes(key));
        } else {
          byte[] value = bytes("v" + i);
          history.put(key, value);
          expected.put(bytes(key), value);
        }
      }
      for (int i = 0; i < 500; i++) {
        String from = randomKey(random);
        String to = randomKey(random);
        List<String> want = new ArrayList<>();
        if (Arrays.compareUnsigned(bytes(from), bytes(to)) <= 0) {
          for (Map.Entry<byte[], byte[]> entry :
              expected.subMap(bytes(from), true, bytes(to), true).entrySet()) {
            want.add(
                new String(entry.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + new String(entry.getValue(), StandardCharsets.UTF_8));
          }
        }
        List<String> got = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = history.range(from, to)) {
          it.forEachRemaining(
              kv -> got.add(kv.key + "=" + new String(kv.value, StandardCharsets.UTF_8)));
        }
        assertThat(got).as("%s..%s", from, to).isEqualTo(want);
        List<String> backwards = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = history.reverseRange(from, to)) {
          it.forEachRemaining(
              kv -> backwards.add(kv.key + "=" + new String(kv.value, StandardCharsets.UTF_8)));
        }
        Collections.reverse(backwards);
        assertThat(backwards).as("%s..%s backwards", from, to).isEqualTo(want);
      }
    }
  }

  private static String randomKey(SplittableRandom random) {
    String alphabet = "ab\u000b\u0000ék";
    StringBuilder key = new StringBuilder();
    for (int i = random.nextInt(1, 5); i > 0; i--) {
      key.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return key.toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static <V> List<String> keys(KeyValueIterator<String, V> it) {
    List<String> keys = new ArrayList<>();
    try (it) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    return keys;
  }
}
