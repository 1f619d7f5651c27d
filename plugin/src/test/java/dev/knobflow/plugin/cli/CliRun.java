package dev.knobflow.plugin.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of the CLI, as tests see it.
 *
 * @param exit the exit code
 * @param out what the command printed to standard output
 * @param err what the command printed to standard error
 */
public record CliRun(int exit, String out, String err) {

  /** Runs {@code knobflow ARGS...} in this JVM and captures its output. */
  public static CliRun cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
