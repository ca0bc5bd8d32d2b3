package org.parley.app.runtime;

/**
 * A command cannot do what was asked; the message says why and, where it can, what to do. Printed
 * without a stack trace.
 */
public class CommandFailure extends RuntimeException {
  public CommandFailure(String message) {
    super(message);
  }
}
