package org.parley.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Durations in words for alert messages: "3 days", "1 h", "2 days 4 h", "90 s". Locale-free, so
 * replays match.
 */
final class Durations {
  private Durations() {}

  static String describe(Duration duration) {
    long seconds = duration.getSeconds();
    long days = seconds / 86_400;
    long hours = seconds % 86_400 / 3_600;
    long minutes = seconds % 3_600 / 60;
    long rest = seconds % 60;
    List<String> parts = new ArrayList<>();
    if (days > 0) {
      parts.add(days + (days == 1 ? " day" : " days"));
    }
    if (hours > 0) {
      parts.add(hours + " h");
    }
    if (minutes > 0) {
      parts.add(minutes + " min");
    }
    if (rest > 0 || parts.isEmpty()) {
      parts.add(rest + " s");
    }
    return String.join(" ", parts.subList(0, Math.min(2, parts.size())));
  }
}
