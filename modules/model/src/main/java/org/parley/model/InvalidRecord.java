package org.parley.model;

import java.util.List;
import java.util.stream.Collectors;

/** An input that cannot become a valid record; carries every problem found, each with its field. */
public final class InvalidRecord extends Exception {
  private final List<Problem> problems;

  public InvalidRecord(List<Problem> problems) {
    super(
        problems.stream().map(Problem::toString).collect(Collectors.joining("; ")),
        null,
        false,
        false);
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
