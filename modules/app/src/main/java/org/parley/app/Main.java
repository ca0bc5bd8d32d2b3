package org.parley.app;

import java.io.PrintWriter;
import picocli.CommandLine;

/** The `parley` command: parses, wires, runs. Exit codes: 0 done, 1 failed, 2 bad usage. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line with the given output streams; used by the tests the same way as by main. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine line = new CommandLine(new ParleyCommand());
    line.setOut(out);
    line.setErr(err);
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setParameterExceptionHandler((e, argv) -> {
      CommandLine command = e.getCommandLine();
      command.getErr().println("parley: " + e.getMessage() + " (see `" + command.getCommandSpec().qualifiedName()
          + " --help`)");
      return 2;
    });
    line.setExecutionExceptionHandler((e, command, parsed) -> {
      if (e instanceof CommandFailure || e instanceof EmbeddedBroker.PortInUse) {
        command.getErr().println("parley: " + e.getMessage());
      } else {
        command.getErr().println("parley: " + TopicAdmin.rootMessage(e));
        if (Logging.verbose()) {
          e.printStackTrace(command.getErr());
        }
      }
      return 1;
    });
    line.setExecutionStrategy(parsed -> {
      Logging.apply(parsed);
      return new CommandLine.RunLast().execute(parsed);
    });
    return line.execute(args);
  }
}
