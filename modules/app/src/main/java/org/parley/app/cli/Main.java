package org.parley.app.cli;

import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.EmbeddedBroker;
import org.parley.app.runtime.Logging;
import org.parley.app.runtime.TopicAdmin;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The `parley` command: parses, wires, runs. Exit codes, the same for every command: 0 done,
 * 1 failed, 2 bad usage; except `diff`, which answers a question as diff(1) does: 0 the same,
 * 1 they differ, 2 it could not tell (bad usage or a failure).
 */
public final class Main {
  static final int DONE = 0;
  static final int FAILED = 1;
  static final int BAD_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line with the given output streams; used by the tests the same way as by main. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine line = commandLine();
    line.setOut(out);
    line.setErr(err);
    line.setParameterExceptionHandler((e, argv) -> {
      CommandLine command = e.getCommandLine();
      command.getErr().println("parley: " + e.getMessage() + " (see `" + command.getCommandSpec().qualifiedName()
          + " --help`)");
      return BAD_USAGE;
    });
    line.setExecutionExceptionHandler((e, command, parsed) -> {
      boolean answersAQuestion = command.getCommandSpec().userObject() instanceof DiffCommand;
      if (e instanceof BadUsage) {
        command.getErr().println("parley: " + e.getMessage() + " (see `" + command.getCommandSpec().qualifiedName()
            + " --help`)");
        return BAD_USAGE;
      }
      if (e instanceof CommandFailure || e instanceof EmbeddedBroker.PortInUse) {
        command.getErr().println("parley: " + e.getMessage());
      } else {
        command.getErr().println("parley: " + TopicAdmin.rootMessage(e));
        if (Logging.verbose()) {
          e.printStackTrace(command.getErr());
        }
      }
      return answersAQuestion ? BAD_USAGE : FAILED;
    });
    line.setExecutionStrategy(parsed -> {
      Logging.apply(parsed);
      return new CommandLine.RunLast().execute(parsed);
    });
    return line.execute(args);
  }

  /** The command tree with its help: full one-sentence summaries, examples and exit codes on every command. */
  static CommandLine commandLine() {
    CommandLine line = new CommandLine(new ParleyCommand());
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Main::commandList);
    decorate(line);
    return line;
  }

  private static void decorate(CommandLine command) {
    CommandSpec spec = command.getCommandSpec();
    if (spec.userObject() != null && spec.userObject().getClass().getPackage() == Main.class.getPackage()) {
      // -h/--help and -V/--version on each of Parley's own commands, said once here rather than on each.
      spec.mixinStandardHelpOptions(true);
    }
    String name = spec.qualifiedName(" ").replaceFirst("^parley ?", "");
    List<String> examples = Examples.of(name);
    if (!examples.isEmpty()) {
      List<String> footer = new ArrayList<>(List.of(spec.usageMessage().footer()));
      footer.add("%nExamples:");
      examples.forEach(e -> footer.add("  " + e.replace("%", "%%")));
      spec.usageMessage().footer(footer.toArray(String[]::new));
    }
    Map<String, String> exits = new LinkedHashMap<>();
    if (spec.userObject() instanceof DiffCommand) {
      exits.put("0", "The two topics hold the same state for every talk.");
      exits.put("1", "They differ (each difference is printed).");
      exits.put("2", "Bad usage, or the comparison failed (the message says why).");
    } else {
      exits.put("0", "Done.");
      exits.put("1", "Failed (the message says why and, where it can, what to do).");
      exits.put("2", "Bad usage: an unknown option, a missing argument, a value that does not parse.");
    }
    spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exits);
    command.getSubcommands().values().stream().distinct().forEach(Main::decorate);
  }

  /**
   * The list of commands with each one's first sentence in full (picocli's own list shows the first
   * line of the description, which is often half a sentence).
   */
  private static String commandList(CommandLine.Help help) {
    Map<String, CommandLine.Help> subcommands = help.subcommands();
    if (subcommands.isEmpty()) {
      return "";
    }
    int width = subcommands.keySet().stream().mapToInt(String::length).max().orElse(0) + 4;
    int wrap = help.commandSpec().usageMessage().width() - width;
    StringBuilder text = new StringBuilder();
    for (var entry : subcommands.entrySet()) {
      List<String> lines = wrap(summary(entry.getValue().commandSpec()), wrap);
      for (int i = 0; i < lines.size(); i++) {
        String left = i == 0 ? "  " + entry.getKey() : "";
        text.append(String.format("%-" + width + "s%s%n", left, lines.get(i)));
      }
    }
    return text.toString();
  }

  /** The first sentence of a command's description (or its header), whole. */
  static String summary(CommandSpec spec) {
    String[] source = spec.usageMessage().header().length > 0 ? spec.usageMessage().header()
        : spec.usageMessage().description();
    String all = String.join(" ", source).replaceAll("\\s+", " ").strip();
    int end = -1;
    for (int i = 0; i < all.length() - 1; i++) {
      if (all.charAt(i) == '.' && all.charAt(i + 1) == ' ' && !all.substring(0, i).matches(".*\\b(e\\.g|i\\.e|vs)$")) {
        end = i;
        break;
      }
    }
    return end < 0 ? all : all.substring(0, end + 1);
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String word : text.split(" ")) {
      if (current.length() > 0 && current.length() + 1 + word.length() > width) {
        lines.add(current.toString());
        current.setLength(0);
      }
      current.append(current.length() > 0 ? " " : "").append(word);
    }
    lines.add(current.toString());
    return lines;
  }
}
