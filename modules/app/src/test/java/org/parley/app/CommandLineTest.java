package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The command line itself, no Kafka needed: help everywhere, and bad usage answered in one line with exit 2. */
class CommandLineTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "up", "run", "publish", "tail", "topics", "topics create", "topics describe"})
  void everyCommandHasHelp(String command) {
    String[] args = (command + " --help").trim().split(" ");

    Cli cli = Cli.run(args);

    assertThat(cli.exit()).isZero();
    assertThat(cli.out()).startsWith("Usage: parley" + (command.isEmpty() ? "" : " " + command));
  }

  @Test
  void aMissingArgumentIsOneLineWithExitTwo() {
    Cli cli = Cli.run("publish");

    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err().strip()).isEqualTo(
        "parley: Missing required parameter: 'FILE' (see `parley publish --help`)");
  }

  @Test
  void anUnknownTailTargetNamesTheKnownOnes() {
    Cli cli = Cli.run("tail", "gossip");

    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err().lines()).hasSize(1);
    assertThat(cli.err()).contains("'gossip' is not one of alerts, talks, dead-letters");
  }

  @Test
  void aBadDurationOrNumberIsRefusedInOneLine() {
    Cli duration = Cli.run("up", "--tick-interval", "soon");
    Cli number = Cli.run("up", "--port", "ninety");

    assertThat(duration.exit()).isEqualTo(2);
    assertThat(duration.err()).contains("'soon' is not a duration: write 90s, 15m, 24h, 2d or PT1H");
    assertThat(number.exit()).isEqualTo(2);
    assertThat(number.err().lines()).hasSize(1);
  }

  @Test
  void runWithoutAClusterSaysWhatIsMissing() {
    Cli cli = Cli.run("run");

    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err()).contains("Missing required option: '--bootstrap-servers=HOST:PORT'");
  }

  @Test
  void anUnreachableClusterIsNamedWithWhatToCheck() {
    Cli cli = Cli.run("topics", "describe", "--bootstrap-servers", "localhost:1");

    assertThat(cli.exit()).isEqualTo(1);
    assertThat(cli.err()).startsWith("parley: cannot list topics on localhost:1");
  }

  @Test
  void publishingAFileThatDoesNotExistSaysSo() {
    Cli cli = Cli.run("publish", "no-such-file.ndjson");

    assertThat(cli.exit()).isEqualTo(1);
    assertThat(cli.err().strip()).isEqualTo("parley: no such file: no-such-file.ndjson");
  }

  @Test
  void aGatewayPortInUseIsNamedBeforeAnythingStarts(@TempDir Path dataDir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
      Cli cli = Cli.run("up", "--data-dir", dataDir.toString(), "--gateway-port", "" + taken.getLocalPort());

      assertThat(cli.exit()).isEqualTo(1);
      assertThat(cli.err().strip()).isEqualTo("parley: port " + taken.getLocalPort() + " (the gateway) is in use on"
          + " localhost: stop what holds it, or pick another with --gateway-port (or run without the gateway:"
          + " --no-gateway)");
      assertThat(dataDir.resolve("kafka")).as("no broker was started").doesNotExist();
    }
  }

  @Test
  void aFeedRowInAnotherEncodingIsReportedOnItsLineAndTheRestIsRead(@TempDir Path dir) throws Exception {
    Path feed = dir.resolve("feed.tab");
    List<String> icews = Files.readAllLines(Path.of("../ingest/src/test/resources/feeds/events.2018.sample.tab"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes((icews.get(0) + "\n" + icews.get(1) + "\n").getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes("Caf\u00e9\tin Latin-1\n".getBytes(StandardCharsets.ISO_8859_1));
    bytes.writeBytes((icews.get(2) + "\n").getBytes(StandardCharsets.UTF_8));
    Files.write(feed, bytes.toByteArray());

    Cli cli = Cli.run("import-feed", "icews", feed.toString(), "--dry-run");

    assertThat(cli.exit()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("read 3 rows of feed.tab").contains("malformed 1 rows:")
        .contains("line 3: not valid UTF-8");
  }
}
