package org.parley.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@link Instant#toString()}, character for character, without the formatter. Alert ids hash the
 * due times and thresholds of deadlines, and alert messages name them: formatting instants through
 * {@code DateTimeFormatter} was an eighth of the fold's time.
 */
final class InstantText {
  private InstantText() {}

  /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: outside, years take a sign or a fifth digit. */
  private static final long FIRST = -62_167_219_200L;

  private static final long LAST = 253_402_300_799L;

  static String of(Instant instant) {
    byte[] text = new byte[LONGEST];
    int length = write(instant, text, 0);
    return length < 0
        ? instant.toString()
        : new String(text, 0, length, StandardCharsets.ISO_8859_1);
  }

  /** The most characters {@link #write} writes: 2024-01-01T00:00:00.123456789Z. */
  static final int LONGEST = 30;

  /**
   * Writes the instant's text into {@code text} at {@code at} (room for {@link #LONGEST} bytes) and
   * returns where it ends; -1, writing nothing, for a year outside 0000 to 9999.
   */
  static int write(Instant instant, byte[] text, int at) {
    long seconds = instant.getEpochSecond();
    if (seconds < FIRST || seconds > LAST) {
      return -1;
    }
    int nanos = instant.getNano();
    int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
    long day = Math.floorDiv(seconds, 86_400);
    int second = Math.floorMod(seconds, 86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
    long z = day + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long shiftedMonth = (5 * dayOfYear + 2) / 153;
    int dayOfMonth = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
    int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
    int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
    twoDigits(text, at, year / 100);
    twoDigits(text, at + 2, year % 100);
    text[at + 4] = '-';
    twoDigits(text, at + 5, month);
    text[at + 7] = '-';
    twoDigits(text, at + 8, dayOfMonth);
    text[at + 10] = 'T';
    twoDigits(text, at + 11, second / 3_600);
    text[at + 13] = ':';
    twoDigits(text, at + 14, second / 60 % 60);
    text[at + 16] = ':';
    twoDigits(text, at + 17, second % 60);
    int end = at + 19;
    if (fraction > 0) {
      text[end] = '.';
      digits(
          text, end + 1, nanos / (fraction == 3 ? 1_000_000 : fraction == 6 ? 1_000 : 1), fraction);
      end += fraction + 1;
    }
    text[end] = 'Z';
    return end + 1;
  }

  /**
   * The tens and the ones of 0 to 99, looked up: alert ids write two instants for each warning of a
   * deadline, and a division by ten for every digit made writing an instant take twice as long (46
   * against 23 ns, until the eighteenth round of issue 14).
   */
  private static final byte[] TENS = new byte[100];

  private static final byte[] ONES = new byte[100];

  static {
    for (int i = 0; i < 100; i++) {
      TENS[i] = (byte) ('0' + i / 10);
      ONES[i] = (byte) ('0' + i % 10);
    }
  }

  private static void twoDigits(byte[] text, int at, int value) {
    text[at] = TENS[value];
    text[at + 1] = ONES[value];
  }

  private static void digits(byte[] text, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      text[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }
}
