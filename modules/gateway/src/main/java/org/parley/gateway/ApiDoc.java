package org.parley.gateway;

import java.util.List;

/**
 * What the generated OpenAPI description (from the {@code @OpenApi} annotations on the routes)
 * shares between routes: the texts of the talk filters, and the shape of an error answer.
 */
final class ApiDoc {
  private ApiDoc() {}

  static final String Q =
      "Words that must all appear in the title, the parties or the talk id (any case)";
  static final String STATUS = "Only talks with this status";
  static final String PARTY = "Only talks with this party (any case)";
  static final String ORIGIN = "curated (entered by people) or feed (derived from GDELT or ICEWS)";
  static final String SEVERITY = "Only alerts of this severity or higher";
  static final String BEARER = "bearer";

  /**
   * Every answer that is not a success: {status, error, problems?}. Described here, written by
   * Gateway.problem.
   */
  static final class Error {
    private Error() {}

    /** The HTTP status again. */
    public int getStatus() {
      return 0;
    }

    /** What went wrong, for a person. */
    public String getError() {
      return "";
    }

    /** For refused events or subscriptions: every problem, by event index and field. */
    public List<FieldProblem> getProblems() {
      return List.of();
    }
  }

  /** One problem of a refused body: which event (for events), which field, and what is wrong. */
  static final class FieldProblem {
    private FieldProblem() {}

    public Integer getEvent() {
      return null;
    }

    public String getField() {
      return "";
    }

    public String getMessage() {
      return "";
    }
  }
}
