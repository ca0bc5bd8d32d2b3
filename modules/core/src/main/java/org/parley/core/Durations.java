package org.parley.core;

import java.time.Duration;

/**
 * Durations in words for alert messages: "3 days", "1 h", "2 days 4 h", "90 s". Locale-free, so
 * replays match.
 */
final class Durations {
  private Durations() {}

  static String describe(Duration duration) {
    long seconds = duration.getSeconds();
    long[] amounts = {
      seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60, seconds % 60
    };
    StringBuilder text = new StringBuilder(16);
    int parts = 0;
    for (int i = 0; i < amounts.length && parts < 2; i++) {
      // The seconds are said when they are all there is, even zero.
      if (amounts[i] > 0 || (i == amounts.length - 1 && parts == 0)) {
        text.append(parts++ == 0 ? "" : " ").append(amounts[i]).append(unit(i, amounts[i]));
      }
    }
    return text.toString();
  }

  private static String unit(int index, long amount) {
    return switch (index) {
      case 0 -> amount == 1 ? " day" : " days";
      case 1 -> " h";
      case 2 -> " min";
      default -> " s";
    };
  }
}
