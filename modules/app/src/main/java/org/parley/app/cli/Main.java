package org.parley.app.cli;

import java.io.PrintWriter;
import org.parley.app.runtime.CommandFailure;
import org.parley.app.runtime.EmbeddedBroker;
import org.parley.app.runtime.Logging;
import org.parley.app.runtime.TopicAdmin;
import picocli.CommandLine;

/**
 * The `parley` command: parses, wires, runs (the help is {@link CommandHelp}'s). Exit codes, the
 * same for every command: 0 done, 1 failed, 2 bad usage; except `diff`, which answers a question as
 * diff(1) does: 0 the same, 1 they differ, 2 it could not tell (bad usage or a failure).
 */
public final class Main {
  static final int DONE = 0;
  static final int FAILED = 1;
  static final int BAD_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs one command line with the given output streams; used by the tests the same way as by main.
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine line = commandLine();
    line.setOut(out);
    line.setErr(err);
    line.setParameterExceptionHandler(
        (e, argv) -> {
          CommandLine command = e.getCommandLine();
          command
              .getErr()
              .println(
                  "parley: "
                      + e.getMessage()
                      + " (see `"
                      + command.getCommandSpec().qualifiedName()
                      + " --help`)");
          return BAD_USAGE;
        });
    line.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          boolean answersAQuestion = command.getCommandSpec().userObject() instanceof DiffCommand;
          if (e instanceof BadUsage) {
            command
                .getErr()
                .println(
                    "parley: "
                        + e.getMessage()
                        + " (see `"
                        + command.getCommandSpec().qualifiedName()
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
    line.setExecutionStrategy(
        parsed -> {
          Logging.apply(parsed);
          return new CommandLine.RunLast().execute(parsed);
        });
    return line.execute(args);
  }

  /** The command tree, with its help (see {@link CommandHelp}). */
  static CommandLine commandLine() {
    CommandLine line = new CommandLine(new ParleyCommand());
    line.setCaseInsensitiveEnumValuesAllowed(true);
    CommandHelp.decorate(line);
    return line;
  }
}
