package org.parley.app.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The help of every command, said once for all: -h and -V, full one-sentence summaries in the
 * command list, the examples ({@link Examples}) and the exit codes.
 */
final class CommandHelp {
  private CommandHelp() {}

  /**
   * Decorates the whole command tree: the command list with whole sentences, and each command's
   * help.
   */
  static void decorate(CommandLine line) {
    line.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, CommandHelp::commandList);
    decorateEach(line);
  }

  private static void decorateEach(CommandLine command) {
    CommandSpec spec = command.getCommandSpec();
    if (spec.userObject() != null
        && spec.userObject().getClass().getPackage() == CommandHelp.class.getPackage()) {
      // -h/--help and -V/--version on each of Parley's own commands, said once here rather than on
      // each.
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
      exits.put(
          "2", "Bad usage: an unknown option, a missing argument, a value that does not parse.");
    }
    spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exits);
    command.getSubcommands().values().stream().distinct().forEach(CommandHelp::decorateEach);
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
    String[] source =
        spec.usageMessage().header().length > 0
            ? spec.usageMessage().header()
            : spec.usageMessage().description();
    String all = String.join(" ", source).replaceAll("\\s+", " ").strip();
    int end = -1;
    for (int i = 0; i < all.length() - 1; i++) {
      if (all.charAt(i) == '.'
          && all.charAt(i + 1) == ' '
          && !all.substring(0, i).matches(".*\\b(e\\.g|i\\.e|vs)$")) {
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
