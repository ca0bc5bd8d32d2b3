package org.parley.app.runtime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Ctrl-C during a long command: the command is told (it polls {@link #getAsBoolean}) and the JVM
 * waits, up to a minute, until the command has cleaned up after itself (removed half-written
 * output) and {@link #close}d this.
 */
public final class Interruption implements BooleanSupplier, AutoCloseable {
  private final AtomicBoolean interrupted = new AtomicBoolean();
  private final CountDownLatch cleanedUp = new CountDownLatch(1);
  private final Thread hook;

  public Interruption() {
    hook =
        new Thread(
            () -> {
              interrupted.set(true);
              try {
                cleanedUp.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "parley-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  @Override
  public boolean getAsBoolean() {
    return interrupted.get();
  }

  @Override
  public void close() {
    cleanedUp.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is waiting for the countdown above
    }
  }

  /** Thrown by a long command that stopped on request, after cleaning up. */
  public static final class Stopped extends RuntimeException {
    public Stopped(String message) {
      super(message);
    }
  }
}
