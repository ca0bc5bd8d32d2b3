package org.parley.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.avro.TalkState;

/**
 * {@code asOf} questions, bounded: an as-of answer folds the talk's partition of the log, which
 * costs far more than a lookup, and anyone may ask. At most {@code concurrent} folds run at once
 * (the next is answered 429 at once, with Retry-After, rather than queued), each on a thread of its
 * own pool so the HTTP threads stay free, and a fold that takes longer than {@code limit} is
 * interrupted (its Kafka consumer stops at its next poll) and answered 503. A client that leaves
 * while waiting cancels its fold too, as does the server stopping.
 */
final class AsOfFolds implements AutoCloseable {

  /** Too many folds at once, or one too long: the status (429 or 503) and when to try again. */
  static final class Busy extends RuntimeException {
    final int status;
    final long retryAfterSeconds;

    Busy(int status, long retryAfterSeconds, String message) {
      super(message, null, false, false);
      this.status = status;
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  private final Gateway.TalkHistory history;
  private final Semaphore slots;
  private final int concurrent;
  private final Duration limit;
  private final ExecutorService pool;

  AsOfFolds(Gateway.TalkHistory history, int concurrent, Duration limit) {
    this.history = history;
    this.concurrent = concurrent;
    this.limit = limit;
    this.slots = new Semaphore(concurrent);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            concurrent,
            r -> {
              Thread t = new Thread(r, "parley-as-of-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  Optional<TalkState> talkAsOf(String talkId, Instant asOf) {
    return talkAsOf(talkId, asOf, () -> false);
  }

  /**
   * As {@link #talkAsOf(String, Instant)}, giving up (and stopping the fold) as soon as {@code
   * clientGone} says so.
   */
  Optional<TalkState> talkAsOf(
      String talkId, Instant asOf, java.util.function.BooleanSupplier clientGone) {
    if (!slots.tryAcquire()) {
      throw new Busy(
          429,
          5,
          "this gateway is already folding "
              + concurrent
              + " talks as of a past time, the most"
              + " it does at once; try again in a few seconds");
    }
    Future<Optional<TalkState>> fold;
    try {
      // The slot is given back when the fold has really stopped, not when its caller gave up on it.
      fold =
          pool.submit(
              () -> {
                try {
                  return history.talkAsOf(talkId, asOf);
                } finally {
                  slots.release();
                }
              });
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
    long deadline = System.nanoTime() + limit.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException();
        }
        try {
          return fold.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(250)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException stillFolding) {
          if (clientGone.getAsBoolean()) {
            throw new Busy(
                499, 0, "the client left; its fold of talk '" + talkId + "' was stopped");
          }
        }
      }
    } catch (TimeoutException e) {
      throw new Busy(
          503,
          60,
          "folding talk '"
              + talkId
              + "' as of "
              + asOf
              + " took longer than the limit of "
              + limit.toSeconds()
              + " s and was stopped; its partition holds more than the gateway folds per question"
              + " (use 'parley talk "
              + talkId
              + " --as-of "
              + asOf
              + "' on the command line)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Busy(503, 5, "the gateway is stopping");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      // Nothing when done; otherwise the fold's thread is interrupted and its consumer stops.
      fold.cancel(true);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
