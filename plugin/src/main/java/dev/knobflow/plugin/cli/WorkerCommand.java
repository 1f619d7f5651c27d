package dev.knobflow.plugin.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code knobflow worker NAME --storage S}: joins an existing study and runs some of its trials.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Join a study that `tune` started (on this or another machine) and run trials for it.",
      "The objective, space and sampler come from the study file stored with the study."
    })
final class WorkerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin JoinOptions join;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    return JoinRun.run(spec, join, output, null, "Joining");
  }
}
