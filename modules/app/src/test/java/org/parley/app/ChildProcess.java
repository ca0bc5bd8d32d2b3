package org.parley.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * `java -jar parley.jar ...` in a child process, as a user runs it. Its output goes to files, not
 * pipes: the JDK closes a child's pipes when it exits, and a reader blocked on one loses the last
 * lines (the shutdown log among them).
 */
final class ChildProcess implements AutoCloseable {
  final Process process;
  private final Path stdout;
  private final Path stderr;

  private ChildProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static Path jar() {
    String jar = System.getProperty("parley.jar");
    if (jar == null) {
      throw new IllegalStateException(
          "run through Maven (failsafe sets parley.jar to the shaded jar)");
    }
    return Path.of(jar);
  }

  static ChildProcess parley(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    if (Runtime.version().feature() >= 24) {
      // As the README tells users of Java 24 and later, and as the Docker image does: Kafka's
      // broker unmaps its files with sun.misc.Unsafe, and without this the JVM warns on stderr.
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-jar", jar().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("parley-out", ".txt");
    Path err = Files.createTempFile("parley-err", ".txt");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    return new ChildProcess(process, out, err);
  }

  List<String> out() {
    return lines(stdout);
  }

  List<String> err() {
    return lines(stderr);
  }

  /**
   * Waits for a line of standard output that matches; returns it, or fails with what was printed.
   */
  String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      for (String line : out()) {
        if (wanted.test(line)) {
          return line;
        }
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline && process.isAlive());
    for (String line : out()) {
      if (wanted.test(line)) {
        return line;
      }
    }
    throw new AssertionError(
        "no such line within "
            + timeout
            + (process.isAlive() ? "" : " (the process ended)")
            + "; stdout:\n"
            + String.join("\n", out())
            + "\nstderr:\n"
            + String.join("\n", err()));
  }

  long count(Predicate<String> lines) {
    return out().stream().filter(lines).count();
  }

  /** SIGTERM, as Ctrl-C would, then waits for the process to finish its shutdown. */
  int stop() throws InterruptedException {
    process.destroy();
    return await(Duration.ofSeconds(60));
  }

  int await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "still running after " + timeout + "; stderr:\n" + String.join("\n", err()));
    }
    return process.exitValue();
  }

  private static List<String> lines(Path file) {
    try {
      return List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    Files.deleteIfExists(stdout);
    Files.deleteIfExists(stderr);
  }
}
