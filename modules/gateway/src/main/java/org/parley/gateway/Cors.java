package org.parley.gateway;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Set;

/**
 * Cross-origin calls from a newsroom's own site: only the origins listed (exactly, scheme, host and
 * port, as a browser sends them in {@code Origin}) get the CORS headers; by default none does, so a
 * page elsewhere cannot read the API from a reader's browser.
 */
final class Cors {
  static final String METHODS = "GET, POST, DELETE, OPTIONS";
  static final String HEADERS = "Authorization, Content-Type, Last-Event-ID";
  static final String EXPOSED =
      "X-Total-Count, Link, X-Parley-Served-By, X-Parley-As-Of, Retry-After";

  private final Set<String> allowed;

  Cors(List<String> origins) {
    this.allowed = Set.copyOf(origins.stream().map(Cors::normalise).toList());
  }

  static String normalise(String origin) {
    String o = origin.strip();
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }

  /**
   * Adds the headers for an allowed origin. A preflight (OPTIONS with
   * Access-Control-Request-Method) is answered here: 204 for an allowed origin, 403 naming the
   * setting otherwise.
   *
   * @return whether the request was a preflight, answered here
   */
  boolean apply(Context ctx) {
    String origin = ctx.header("Origin");
    boolean preflight =
        ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null;
    boolean ok = origin != null && allowed.contains(normalise(origin));
    if (ok) {
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Vary", "Origin");
      ctx.header("Access-Control-Expose-Headers", EXPOSED);
    }
    if (!preflight) {
      return false;
    }
    if (!ok) {
      throw new Gateway.ApiError(
          403,
          "origin '"
              + origin
              + "' may not call this API from a browser; allow it with"
              + " --cors-origin "
              + origin
              + (allowed.isEmpty() ? " (no origin is allowed now)" : ""),
          List.of());
    }
    ctx.header("Access-Control-Allow-Methods", METHODS);
    ctx.header("Access-Control-Allow-Headers", HEADERS);
    ctx.header("Access-Control-Max-Age", "600");
    ctx.status(204);
    return true;
  }
}
