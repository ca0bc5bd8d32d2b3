package org.parley.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;

/**
 * Alert ids: {@link java.util.UUID#nameUUIDFromBytes} of a name (a version 3 UUID, the MD5 of the
 * name's UTF-8 bytes), bit for bit, written as {@code UUID.toString} does.
 *
 * <p>Why not just that: every event raises an alert or so, and making its name as a string, then
 * its bytes, then a UUID, then the UUID's text, was half of what an alert cost, in allocation most
 * of all. Here the name is written into one reused buffer, hashed with one reused digest (a
 * partition's fold keeps a writer; other callers use one per thread) and formatted straight into
 * the id's characters. {@code AlertRulesTest} pins the ids to the JDK's, non-ASCII names and names
 * of 2,000 characters included.
 */
final class AlertIds {
  private static final ThreadLocal<AlertIds> MINE = ThreadLocal.withInitial(AlertIds::new);

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

  private final MessageDigest md5;
  private final byte[] digest = new byte[16];
  private final byte[] text = new byte[36];

  /** Where each byte of the digest is written in the id: 8-4-4-4-12 hex digits. */
  private static final int[] HEX_AT = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};

  private byte[] name = new byte[256];
  private int length;

  /** A writer for one thread at a time: a partition's fold keeps one. */
  AlertIds() {
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has MD5", e);
    }
    text[8] = text[13] = text[18] = text[23] = '-'; // the id's dashes, never overwritten
  }

  /**
   * This thread's writer, for callers that keep none. A fold keeps its own ({@link #AlertIds()}):
   * the thread-local lookup, once an alert, cost as much as writing the id's name.
   */
  static AlertIds mine() {
    return MINE.get();
  }

  /**
   * The writer, emptied: ids are written one at a time, start to {@link #id}. Never make an id
   * inside the writing of another (in an argument of the chain): both share the one buffer.
   */
  AlertIds start() {
    length = 0;
    return this;
  }

  AlertIds text(String text) {
    int n = text.length();
    room(n);
    // The buffer and the length in locals: written through the fields, each character cost a
    // store of the length too (the name's text was a quarter of an id's time).
    byte[] name = this.name;
    int at = length;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        // The rest as UTF-8 (from a character that is not ASCII, so a surrogate pair stays whole).
        length = at + i;
        bytes(text.substring(i).getBytes(StandardCharsets.UTF_8));
        return this;
      }
      name[at + i] = (byte) c;
    }
    length = at + n;
    return this;
  }

  AlertIds text(char c) {
    room(1);
    name[length++] = (byte) c; // only ASCII separators are written this way
    return this;
  }

  AlertIds number(long number) {
    return text(Long.toString(number));
  }

  /** The instant as {@code Instant.toString} writes it. */
  AlertIds instant(Instant instant) {
    room(InstantText.LONGEST);
    int end = InstantText.write(instant, name, length);
    if (end < 0) {
      return text(instant.toString());
    }
    length = end;
    return this;
  }

  /** The id of the name written since {@link #start}. */
  String id() {
    md5.update(name, 0, length);
    try {
      md5.digest(digest, 0, 16);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException("MD5 digests are 16 bytes", e);
    }
    digest[6] &= 0x0f;
    digest[6] |= 0x30; // version 3
    digest[8] &= 0x3f;
    digest[8] |= (byte) 0x80; // IETF variant
    byte[] text = this.text; // copied by the String: reused, its dashes written once
    for (int i = 0; i < 16; i++) {
      int at = HEX_AT[i];
      text[at] = HEX[(digest[i] >> 4) & 0xf];
      text[at + 1] = HEX[digest[i] & 0xf];
    }
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  private void bytes(byte[] bytes) {
    room(bytes.length);
    System.arraycopy(bytes, 0, name, length, bytes.length);
    length += bytes.length;
  }

  private void room(int more) {
    // Room for three bytes a character, enough for any text in UTF-8 (a surrogate pair, two
    // characters, is four bytes); more than bytes already encoded need, which is harmless.
    int needed = length + more * 3;
    if (needed > name.length) {
      name = Arrays.copyOf(name, Math.max(needed, name.length * 2));
    }
  }
}
