package org.parley.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8LinesTest {

  @Test
  void aLineInAnotherEncodingIsReportedByNumberAndTheLinesAroundItAreRead() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes("first\r\n\n".getBytes(StandardCharsets.UTF_8));
    file.writeBytes("caf\u00e9 in Latin-1\n".getBytes(StandardCharsets.ISO_8859_1));
    file.writeBytes("caf\u00e9 in UTF-8".getBytes(StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();

    Utf8Lines.read(
        new ByteArrayInputStream(file.toByteArray()),
        new Utf8Lines.Visitor() {
          @Override
          public void line(long number, String text) {
            seen.add(number + ": " + text);
          }

          @Override
          public void notUtf8(long number) {
            seen.add(number + ": not UTF-8");
          }
        });

    assertThat(seen).containsExactly("1: first", "3: not UTF-8", "4: caf\u00e9 in UTF-8");
  }

  @Test
  void theCountIsTheNumberOfTheLastLineWithOrWithoutAFinalNewline() throws Exception {
    assertThat(count("")).isZero();
    assertThat(count("a")).isEqualTo(1);
    assertThat(count("a\n")).isEqualTo(1);
    assertThat(count("a\nb")).isEqualTo(2);
    assertThat(count("a\n\nb\n")).isEqualTo(3);
    assertThat(count("\n\n\u00e9")).isEqualTo(3);
  }

  private static long count(String text) throws Exception {
    return Utf8Lines.count(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }
}
