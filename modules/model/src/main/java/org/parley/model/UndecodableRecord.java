package org.parley.model;

/** Bytes that are not a record Parley can read; the message says why, for a person. */
public final class UndecodableRecord extends Exception {
  public UndecodableRecord(String reason) {
    super(reason, null, false, false);
  }
}
