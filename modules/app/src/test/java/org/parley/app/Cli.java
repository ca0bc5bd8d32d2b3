package org.parley.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.parley.app.cli.Main;

/**
 * Runs `parley ...` in this JVM through the same entry point as the jar, capturing what it prints.
 */
record Cli(int exit, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Cli(exit, out.toString(), err.toString());
  }
}
