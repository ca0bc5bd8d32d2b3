package org.parley.ingest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Splits a file into lines on the byte '\n' and decodes each as strict UTF-8 on its own.
 *
 * <p>Why bytes first: a reader that decodes the whole stream stops (or silently substitutes) at the
 * first byte in another encoding, and every line after it is lost or misnumbered. Here one line in
 * Latin-1 is reported as that line, and the rest of the file still counts.
 */
public final class Utf8Lines {

  /** What is found on each non-blank line. */
  public interface Visitor {
    /**
     * A line of text, without its line ending; {@code number} counts from 1, blank lines included.
     */
    void line(long number, String text);

    /** A line that is not valid UTF-8. */
    void notUtf8(long number);
  }

  private Utf8Lines() {}

  /** Visits every line; blank lines are counted but not visited, and a trailing '\r' is dropped. */
  public static void read(InputStream input, Visitor visitor) throws IOException {
    BufferedInputStream in = new BufferedInputStream(input, 1 << 16);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long number = 0;
    boolean more = true;
    while (more) {
      bytes.reset();
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        bytes.write(b);
      }
      more = b != -1;
      if (!more && bytes.size() == 0) {
        break;
      }
      number++;
      String line;
      try {
        line =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray()))
                .toString();
      } catch (CharacterCodingException e) {
        visitor.notUtf8(number);
        continue;
      }
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (!line.isBlank()) {
        visitor.line(number, line);
      }
    }
  }

  /**
   * How many lines {@link #read} numbers in the input, blank ones included; no decoding, so it
   * cannot fail on bytes.
   */
  public static long count(InputStream input) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long lines = 0;
    boolean open = false; // bytes since the last '\n'
    int n;
    while ((n = input.read(buffer)) != -1) {
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          lines++;
          open = false;
        } else {
          open = true;
        }
      }
    }
    return open ? lines + 1 : lines;
  }
}
