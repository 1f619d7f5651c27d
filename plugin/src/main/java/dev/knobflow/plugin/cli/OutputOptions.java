package dev.knobflow.plugin.cli;

import picocli.CommandLine.Option;

/** {@code --quiet} and {@code --verbose}, shared by the subcommands. */
final class OutputOptions {
  @Option(
      names = {"-q", "--quiet"},
      description =
          "Print only warnings, errors and the final summary (on a terminal, with the status"
              + " line alone).")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print debug logs, and stack traces with errors.")
  boolean verbose;
}
