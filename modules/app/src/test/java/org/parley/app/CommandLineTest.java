package org.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.app.runtime.ClientProperties;

/**
 * The command line itself, no Kafka needed: help everywhere, and bad usage answered in one line
 * with exit 2.
 */
class CommandLineTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"", "up", "run", "publish", "tail", "topics", "topics create", "topics describe"})
  void everyCommandHasHelp(String command) {
    String[] args = (command + " --help").trim().split(" ");
    // Picocli warns on the JVM's stderr, not the command's, when a description does not format
    // (a lone % in it): the help still prints, with the warning above it.
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    java.io.PrintStream stderr = System.err;
    System.setErr(new java.io.PrintStream(warnings, true, StandardCharsets.UTF_8));
    Cli cli;
    try {
      cli = Cli.run(args);
    } finally {
      System.setErr(stderr);
    }

    assertThat(cli.exit()).isZero();
    assertThat(cli.out()).startsWith("Usage: parley" + (command.isEmpty() ? "" : " " + command));
    assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
  }

  @Test
  void versionNamesTheBuildsOwnVersionsFromThePom() {
    Cli cli = Cli.run("--version");

    assertThat(cli.exit()).isZero();
    assertThat(cli.out().strip())
        .matches("Parley \\d+\\.\\d+\\.\\d+\\S* \\(Kafka \\d\\S*, Avro \\d\\S*\\)");
  }

  @Test
  void aMissingArgumentIsOneLineWithExitTwo() {
    Cli cli = Cli.run("publish");

    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err().strip())
        .isEqualTo("parley: Missing required parameter: 'FILE' (see `parley publish --help`)");
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
    assertThat(duration.err())
        .contains("'soon' is not a duration: write 90s, 15m, 24h, 2d or PT1H");
    assertThat(number.exit()).isEqualTo(2);
    assertThat(number.err().lines()).hasSize(1);
  }

  @Test
  void benchRefusesARateOrSizeBelowOneBeforeItStarts() {
    Cli rate = Cli.run("bench", "--rate", "0");
    assertThat(rate.exit()).isEqualTo(2);
    assertThat(rate.err().strip())
        .isEqualTo("parley: --rate must be at least 1, not 0 (see `parley bench --help`)");
    Cli partitions = Cli.run("bench", "--partitions", "-3");
    assertThat(partitions.exit()).isEqualTo(2);
    assertThat(partitions.err()).contains("--partitions must be at least 1, not -3");
  }

  @Test
  void upRefusesBadFoldSettingsBeforeItStartsABroker(@TempDir Path dir) {
    Path data = dir.resolve("data");
    Cli cli =
        Cli.run("up", "--horizons", "400000000000d", "--data-dir", data.toString(), "--no-demo");
    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err()).contains("warning horizons must be at most 36525 days");
    assertThat(data).doesNotExist();
  }

  @Test
  void runWithoutAClusterSaysWhatIsMissing() {
    Cli cli = Cli.run("run");

    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err()).contains("Missing required option: '--bootstrap-servers=HOST:PORT'");
  }

  @Test
  void anUnreachableClusterIsOneLineWithWhatToCheck() {
    Cli cli = Cli.run("topics", "describe", "--bootstrap-servers", "localhost:1");

    assertThat(cli.exit()).isEqualTo(1);
    assertThat(cli.err().strip())
        .isEqualTo(
            "parley: cannot reach Kafka at localhost:1 (localhost:1: connection"
                + " refused): is it running, and is --bootstrap-server right?");
  }

  @Test
  void anUnknownHostIsNamed() {
    Cli cli = Cli.run("tail", "alerts", "--bootstrap-server", "no-such-host.invalid:9092");

    assertThat(cli.exit()).isEqualTo(1);
    assertThat(cli.err().strip())
        .isEqualTo(
            "parley: cannot reach Kafka at no-such-host.invalid:9092 (unknown host"
                + " 'no-such-host.invalid'): is it running, and is --bootstrap-server right?");
  }

  @Test
  void kafkasOwnSpellingsOfTheClusterOptionsAreAccepted() {
    Cli cli =
        Cli.run(
            "export",
            "x.ndjson",
            "--bootstrap-server",
            "localhost:1",
            "--command-config",
            "no-such.properties");
    Cli inline =
        Cli.run(
            "export",
            "x.ndjson",
            "--bootstrap-server",
            "localhost:1",
            "-X",
            "security.protocol=SSL",
            "-Xclient.id=parley-export");

    assertThat(cli.exit()).isEqualTo(1);
    assertThat(cli.err())
        .startsWith("parley: cannot read client properties from no-such.properties");
    assertThat(inline.exit()).as("-X parses; the cluster is what is missing").isEqualTo(1);
    assertThat(inline.err()).startsWith("parley: cannot reach Kafka at localhost:1");
  }

  @Test
  void dashXPropertiesWinOverTheConfigFile(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("client.properties"), "security.protocol=SSL\nclient.id=from-file\n");

    var properties = ClientProperties.load(file, java.util.Map.of("client.id", "from-x"));

    assertThat(properties)
        .containsEntry("security.protocol", "SSL")
        .containsEntry("client.id", "from-x");
  }

  @Test
  void diffExitsTwoWhenItCannotCompareAndBadUsageExitsTwoEverywhere(@TempDir Path dir)
      throws Exception {
    Cli diff = Cli.run("diff", "--right", "parley.talk-state.other", "-b", "localhost:1");
    Cli window =
        Cli.run(
            "import-feed",
            "icews",
            Files.writeString(dir.resolve("feed.tab"), "").toString(),
            "--window",
            "week");
    Cli partitions = Cli.run("topics", "create", "--partitions", "0");

    assertThat(diff.exit()).isEqualTo(2);
    assertThat(window.exit()).isEqualTo(2);
    assertThat(window.err().strip())
        .isEqualTo(
            "parley: --window: 'week' is not none, year or month (see"
                + " `parley import-feed --help`)");
    assertThat(partitions.exit()).isEqualTo(2);
  }

  @Test
  void theCommandListShowsWholeSentencesAndEveryHelpHasExamplesAndExitCodes() {
    Cli top = Cli.run("--help");
    Cli tail = Cli.run("tail", "--help");
    Cli diff = Cli.run("diff", "--help");

    assertThat(top.out())
        .contains("Run the pipeline (and the clock ticker) against an\n")
        .contains("existing Kafka cluster.\n")
        .contains("generate-completion");
    String commands =
        top.out()
            .substring(top.out().indexOf("Commands:") + 9, top.out().indexOf("Exit codes:"))
            .strip();
    assertThat(commands.split("\\n(?=  [a-z])"))
        .hasSize(16)
        .allSatisfy(
            entry ->
                assertThat(entry.replaceAll("\\s+", " ")).as("a whole sentence").endsWith("."));
    assertThat(tail.out())
        .contains("Examples:")
        .contains("parley tail alerts --format '%p/%o %T %k %s'")
        .contains("Exit codes:")
        .contains("2   Bad usage");
    assertThat(diff.out()).contains("1   They differ");
  }

  @Test
  void theCompletionScriptCompletesCommandsAndOptions() {
    Cli cli = Cli.run("generate-completion");

    assertThat(cli.exit()).isZero();
    assertThat(cli.out())
        .contains("complete -F _complete_parley")
        .contains("import-feed")
        .contains("--bootstrap-server");
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
      Cli cli =
          Cli.run(
              "up", "--data-dir", dataDir.toString(), "--gateway-port", "" + taken.getLocalPort());

      assertThat(cli.exit()).isEqualTo(1);
      assertThat(cli.err().strip())
          .isEqualTo(
              "parley: port "
                  + taken.getLocalPort()
                  + " (the gateway) is in use on"
                  + " localhost: stop what holds it, or pick another with --gateway-port (or run without the gateway:"
                  + " --no-gateway)");
      assertThat(dataDir.resolve("kafka")).as("no broker was started").doesNotExist();
    }
  }

  @Test
  void aFeedRowInAnotherEncodingIsReportedOnItsLineAndTheRestIsRead(@TempDir Path dir)
      throws Exception {
    Path feed = dir.resolve("feed.tab");
    List<String> icews =
        Files.readAllLines(Path.of("../ingest/src/test/resources/feeds/events.2018.sample.tab"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes((icews.get(0) + "\n" + icews.get(1) + "\n").getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes("Caf\u00e9\tin Latin-1\n".getBytes(StandardCharsets.ISO_8859_1));
    bytes.writeBytes((icews.get(2) + "\n").getBytes(StandardCharsets.UTF_8));
    Files.write(feed, bytes.toByteArray());

    Cli cli = Cli.run("import-feed", "icews", feed.toString(), "--dry-run");

    assertThat(cli.exit()).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains("read 3 rows of feed.tab")
        .contains("malformed 1 rows:")
        .contains("line 3: not valid UTF-8");
  }
}
