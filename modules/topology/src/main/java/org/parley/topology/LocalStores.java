package org.parley.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Stores for a fold that runs outside Kafka Streams (a rebuild): one local RocksDB for every store
 * of every partition, each store's keys under its own prefix, with nothing changelogged and no
 * write-ahead log. Whoever folds here starts over if it stops, so nothing needs to survive a crash;
 * what it needs is the pipeline's stores, in RocksDB's order, off the heap and within the same
 * memory budget ({@link BoundedRocksDb}), so that the same {@link StoreLedger} runs over them.
 */
final class LocalStores implements AutoCloseable {
  private final Options options;
  private final BloomFilter filter;
  private final WriteOptions writes;
  private final ReadOptions reads;
  private final RocksDB db;

  LocalStores(Path dir) {
    RocksDB.loadLibrary(); // before any other RocksDB object: each is made by native code
    filter = new BloomFilter();
    options = new Options().setCreateIfMissing(true);
    // Kafka Streams' own settings for its RocksDB stores: no compression (what a store holds is
    // read back soon, and compressing every flush cost a rebuild a tenth of its CPU), universal
    // compaction, small blocks, a Bloom filter (most lookups of a fold are for keys that are not
    // there: a new talk, a new event id), errors only in RocksDB's own log.
    options.setCompressionType(CompressionType.NO_COMPRESSION);
    options.setCompactionStyle(CompactionStyle.UNIVERSAL);
    options.setOptimizeFiltersForHits(true);
    options.setInfoLogLevel(InfoLogLevel.ERROR_LEVEL);
    options.setIncreaseParallelism(Math.max(Runtime.getRuntime().availableProcessors(), 2));
    BlockBasedTableConfig table = new BlockBasedTableConfig();
    table.setBlockSize(4096L);
    table.setFilterPolicy(filter);
    options.setTableFormatConfig(table);
    new BoundedRocksDb().setConfig("local", options, Map.of());
    // One database holds what the pipeline keeps in 24 (four stores, six partitions): its
    // memtables may be as large as theirs together, within the process's budget (BoundedRocksDb).
    options.setWriteBufferSize(32 * 1024 * 1024);
    options.setMaxWriteBufferNumber(3);
    writes = new WriteOptions().setDisableWAL(true);
    reads = new ReadOptions();
    try {
      Files.createDirectories(dir);
      db = RocksDB.open(options, dir.toAbsolutePath().toString());
    } catch (IOException | RocksDBException e) {
      reads.close();
      writes.close();
      options.close();
      filter.close();
      throw new IllegalStateException("cannot open the local stores in " + dir + ": " + e, e);
    }
  }

  /** A store of one partition, with values in the pipeline's serde for it. */
  <V> KeyValueStore<String, V> store(String name, int partition, Serde<V> values) {
    return new Store<>(
        name, (name + '/' + partition + '\u0000').getBytes(StandardCharsets.UTF_8), values);
  }

  @Override
  public void close() {
    db.close();
    reads.close();
    writes.close();
    options.close();
    filter.close();
  }

  private final class Store<V> implements KeyValueStore<String, V> {
    private final String name;
    private final byte[] prefix;
    private final Serde<V> values;

    Store(String name, byte[] prefix, Serde<V> values) {
      this.name = name;
      this.prefix = prefix;
      this.values = values;
    }

    private byte[] key(String key) {
      byte[] text = key.getBytes(StandardCharsets.UTF_8);
      byte[] full = Arrays.copyOf(prefix, prefix.length + text.length);
      System.arraycopy(text, 0, full, prefix.length, text.length);
      return full;
    }

    private String keyOf(byte[] full) {
      return new String(full, prefix.length, full.length - prefix.length, StandardCharsets.UTF_8);
    }

    private V value(byte[] bytes) {
      return bytes == null ? null : values.deserializer().deserialize(name, bytes);
    }

    @Override
    public void put(String key, V value) {
      try {
        if (value == null) {
          db.delete(writes, key(key));
        } else {
          db.put(writes, key(key), values.serializer().serialize(name, value));
        }
      } catch (RocksDBException e) {
        throw new IllegalStateException("local store " + name + ": " + e, e);
      }
    }

    @Override
    public V putIfAbsent(String key, V value) {
      V old = get(key);
      if (old == null) {
        put(key, value);
      }
      return old;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
      try (WriteBatch batch = new WriteBatch()) {
        for (KeyValue<String, V> entry : entries) {
          if (entry.value == null) {
            batch.delete(key(entry.key));
          } else {
            batch.put(key(entry.key), values.serializer().serialize(name, entry.value));
          }
        }
        db.write(writes, batch);
      } catch (RocksDBException e) {
        throw new IllegalStateException("local store " + name + ": " + e, e);
      }
    }

    @Override
    public V delete(String key) {
      V old = get(key);
      put(key, null);
      return old;
    }

    @Override
    public V get(String key) {
      try {
        return value(db.get(reads, key(key)));
      } catch (RocksDBException e) {
        throw new IllegalStateException("local store " + name + ": " + e, e);
      }
    }

    /** From {@code from} to {@code to}, both included, in key order (as RocksDB orders bytes). */
    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
      byte[] last = key(to);
      return new Scan(key(from), true, key -> Arrays.compareUnsigned(key, last) <= 0);
    }

    /** As {@link #range}, from {@code to} down to {@code from}: the history's last entry first. */
    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
      byte[] first = key(from);
      return new Scan(key(to), false, key -> Arrays.compareUnsigned(key, first) >= 0);
    }

    @Override
    public KeyValueIterator<String, V> all() {
      return new Scan(prefix, true, this::mine);
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
      // UTF-8 has no 0xFF byte: the prefix followed by one is above every key of this store.
      byte[] above = Arrays.copyOf(prefix, prefix.length + 1);
      above[prefix.length] = (byte) 0xff;
      return new Scan(above, false, this::mine);
    }

    private boolean mine(byte[] key) {
      return key.length >= prefix.length
          && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public long approximateNumEntries() {
      return -1;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
      throw new UnsupportedOperationException("a local store is not part of a topology");
    }

    @Override
    @Deprecated
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public boolean persistent() {
      return true;
    }

    @Override
    public boolean isOpen() {
      return db.isOwningHandle();
    }

    /**
     * The keys from {@code start} on (up, or down to the last key at or below it) while {@code
     * within} holds.
     */
    private final class Scan implements KeyValueIterator<String, V> {
      private final RocksIterator it = db.newIterator(reads);
      private final boolean up;
      private final Predicate<byte[]> within;

      Scan(byte[] start, boolean up, Predicate<byte[]> within) {
        this.up = up;
        this.within = within;
        if (up) {
          it.seek(start);
        } else {
          it.seekForPrev(start);
        }
      }

      @Override
      public boolean hasNext() {
        return it.isValid() && within.test(it.key());
      }

      @Override
      public KeyValue<String, V> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        KeyValue<String, V> next = KeyValue.pair(keyOf(it.key()), value(it.value()));
        if (up) {
          it.next();
        } else {
          it.prev();
        }
        return next;
      }

      @Override
      public String peekNextKey() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return keyOf(it.key());
      }

      @Override
      public void close() {
        it.close();
      }
    }
  }
}
