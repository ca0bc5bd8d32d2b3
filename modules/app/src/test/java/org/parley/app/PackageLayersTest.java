package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of parley-app depend downwards only: cli on everything, ParleyInstance (the top
 * package) and bench on replay and runtime, replay on runtime, runtime on no other package of the
 * app. Read from the sources, so a new class cannot quietly turn the arrows round.
 */
class PackageLayersTest {
  private static final Path SOURCES = Path.of("src/main/java/org/parley/app");
  private static final Pattern REFERENCE =
      Pattern.compile("\\borg\\.parley\\.app\\.(?:([a-z]\\w*)\\.)?[A-Z]");

  /** Which other packages of the app each package may use ("" is org.parley.app itself). */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "cli", Set.of("", "runtime", "replay", "bench"),
          "", Set.of("runtime", "replay"),
          "bench", Set.of("runtime", "replay"),
          "replay", Set.of("runtime"),
          "runtime", Set.of());

  @Test
  void eachPackageOfTheAppDependsOnlyOnThePackagesBelowIt() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Path dir = SOURCES.relativize(file.getParent());
        String from = dir.toString();
        assertThat(ALLOWED).as("a package this test does not know: " + from).containsKey(from);
        Matcher m = REFERENCE.matcher(Files.readString(file).replaceFirst("(?m)^package .*$", ""));
        while (m.find()) {
          String to = m.group(1) == null ? "" : m.group(1);
          if (!to.equals(from) && !ALLOWED.get(from).contains(to)) {
            violations.add(
                SOURCES.relativize(file) + " uses org.parley.app" + (to.isEmpty() ? "" : "." + to));
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }
}
