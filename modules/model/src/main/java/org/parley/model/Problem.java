package org.parley.model;

/** One thing wrong with an input: the field it concerns (a path like payload.dueAt) and what. */
public record Problem(String field, String message) {
  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
