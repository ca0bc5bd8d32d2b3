package org.parley.app.cli;

import org.parley.app.runtime.CommandFailure;

/**
 * An option's value is wrong in a way only the command can see (not the parser): exit code 2, like
 * a parse error.
 */
final class BadUsage extends CommandFailure {
  BadUsage(String message) {
    super(message);
  }

  /** Refuses a number option below {@code least}, saying what it got. */
  static void requireAtLeast(String option, long value, long least) {
    if (value < least) {
      throw new BadUsage(option + " must be at least " + least + ", not " + value);
    }
  }
}
