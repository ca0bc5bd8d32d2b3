package org.parley.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;

/**
 * Every test of the write-back ledger again, over the local RocksDB stores a rebuild folds with
 * ({@link Refold}): the ledger must not be able to tell them from the pipeline's.
 */
class StoreLedgerOverLocalStoresTest extends StoreLedgerTest {
  private Path dir;
  private LocalStores stores;
  private int made;

  @Override
  <V> KeyValueStore<String, V> store(String name, Serde<V> values) {
    // Called from the superclass's field initialisers, before this class's own are set.
    if (stores == null) {
      try {
        dir = Files.createTempDirectory("local-stores");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      stores = new LocalStores(dir);
    }
    // Another partition for every store asked for, so that no two share their keys.
    return stores.store(name, made++, values);
  }

  @AfterEach
  void close() throws IOException {
    stores.close();
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
