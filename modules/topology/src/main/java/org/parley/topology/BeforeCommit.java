package org.parley.topology;

import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store that keeps nothing and only tells the fold that a commit is coming, so it can write its
 * talks back once per commit instead of once per event.
 *
 * <p>Kafka Streams has no public hook for "before the commit"; this is the one its own record cache
 * uses. Before a task commits ({@code StreamTask.prepareCommit}, also when it is suspended or
 * closed cleanly), it flushes the caches of its stores ({@code ProcessorStateManager.flushCache}
 * calls {@link CachedStateStore#flushCache} on each), then flushes its producer, then commits the
 * transaction. Whatever the fold writes and forwards in {@link #flushCache} is therefore part of
 * the same exactly-once transaction as the input offsets it covers. On a crash or a failed commit
 * the transaction is aborted, the task is restored from its changelogs and the records are folded
 * again by a new ledger, exactly as with Kafka Streams' own cache. A thread's tasks are prepared
 * one after another, each flushing the producer; the first fold to be told writes back every fold
 * of its thread ({@link ThreadFolds}), so only the first flush waits for the broker.
 *
 * <p>{@code CachedStateStore} is internal to Kafka Streams, so an upgrade may move it; the crash
 * and replay tests would catch a hook that stopped being called (states would go missing).
 */
final class BeforeCommit implements StateStore, CachedStateStore<Object, Object> {
  static final String NAME = "before-commit";

  private Runnable writeBack = () -> {};
  private Runnable discard = () -> {};
  private boolean open;

  /**
   * What to do before each commit, and what to do when Kafka Streams clears its caches (it does so
   * when it recycles a task); the fold sets them each time its processor starts. After a crash or
   * an aborted transaction the processor is started again, with a new ledger: nothing of the
   * uncommitted work survives in memory, and the stores are restored from their changelogs.
   */
  void onCommit(Runnable writeBack, Runnable discard) {
    this.writeBack = writeBack;
    this.discard = discard;
  }

  @Override
  public void flushCache() {
    writeBack.run();
  }

  @Override
  public void clearCache() {
    discard.run();
  }

  @Override
  public boolean setFlushListener(
      CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
    return false;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    context.register(
        root,
        (key, value) -> {
          throw new IllegalStateException("the before-commit store has no changelog to restore");
        });
    open = true;
  }

  @Override
  public void close() {
    open = false;
    writeBack = () -> {};
    discard = () -> {};
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Builds the store; it keeps nothing, so it has no changelog and no cache of its own. */
  static StoreBuilder<BeforeCommit> builder() {
    return new StoreBuilder<>() {
      @Override
      public StoreBuilder<BeforeCommit> withCachingEnabled() {
        return this;
      }

      @Override
      public StoreBuilder<BeforeCommit> withCachingDisabled() {
        return this;
      }

      @Override
      public StoreBuilder<BeforeCommit> withLoggingEnabled(Map<String, String> config) {
        return this;
      }

      @Override
      public StoreBuilder<BeforeCommit> withLoggingDisabled() {
        return this;
      }

      @Override
      public BeforeCommit build() {
        return new BeforeCommit();
      }

      @Override
      public Map<String, String> logConfig() {
        return Map.of();
      }

      @Override
      public boolean loggingEnabled() {
        return false;
      }

      @Override
      public String name() {
        return NAME;
      }
    };
  }
}
