package org.parley.core;

import java.time.Instant;

/**
 * The key under which a talk waits for its next deadline threshold: the time as 16 hex digits (sign
 * bit flipped, so keys sort by time as bytes), a '|', then the talk id. Every ledger sorts these
 * keys by their UTF-8 bytes, which is how RocksDB sorts them, so all ledgers wake talks in the same
 * order.
 */
public final class WakeUpKey {
  private static final int TIME_DIGITS = 16;

  private WakeUpKey() {}

  public static String of(Instant at, String talkId) {
    return time(at) + '|' + talkId;
  }

  /** Every key at or before {@code now} sorts strictly below this one. */
  public static String upperBound(Instant now) {
    return time(now.plusMillis(1));
  }

  public static String lowest() {
    return "0".repeat(TIME_DIGITS);
  }

  /** Above every key. */
  public static String highest() {
    return "g";
  }

  public static Instant time(String key) {
    return Instant.ofEpochMilli(
        Long.parseUnsignedLong(key.substring(0, TIME_DIGITS), 16) ^ Long.MIN_VALUE);
  }

  private static String time(Instant at) {
    String hex =
        Long.toHexString(
            at.toEpochMilli() ^ Long.MIN_VALUE); // String.format was a tenth of the fold's time
    return hex.length() == TIME_DIGITS ? hex : "0".repeat(TIME_DIGITS - hex.length()) + hex;
  }

  /**
   * Orders keys by their UTF-8 bytes, as RocksDB does, without encoding them: for characters below
   * U+D800 (ids are ASCII), UTF-16 order is UTF-8 byte order; past that, it compares the bytes.
   */
  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (x >= '\uD800' || y >= '\uD800') {
          return java.util.Arrays.compareUnsigned(
              a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
              b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }
}
