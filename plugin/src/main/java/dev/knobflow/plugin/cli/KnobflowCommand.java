package dev.knobflow.plugin.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code knobflow}: the top-level command; prints usage when run without a subcommand. */
@Command(
    name = "knobflow",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Multi-objective hyperparameter optimisation from YAML study files.",
    subcommands = {
      TuneCommand.class,
      StudiesCommand.class,
      ShowCommand.class,
      MetaFeaturesCommand.class,
      WorkerCommand.class,
      ResumeCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 failure (e.g. every trial failed), 2 bad input (usage, invalid study"
          + " file), 130 interrupted.",
      "Docs: docs/cli.md"
    })
final class KnobflowCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}
