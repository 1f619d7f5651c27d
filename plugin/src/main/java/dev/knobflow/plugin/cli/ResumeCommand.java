package dev.knobflow.plugin.cli;

import dev.knobflow.plugin.config.Durations;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code knobflow resume NAME --storage S}: continues a study after a crash or a stop. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = {
      "Continue a study: mark RUNNING trials without a recent heartbeat FAIL, then run the trials"
          + " the last tune aimed for that have not finished."
    })
final class ResumeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin JoinOptions join;

  @Option(
      names = "--stale-after",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description =
          "RUNNING trials without a heartbeat for this long are marked FAIL first; 0s fails every"
              + " RUNNING trial (only when no worker is running). Default ${DEFAULT-VALUE}.")
  String staleAfter;

  @Option(
      names = "--requeue-stale",
      description =
          "Queue each stale trial's parameters again (a new trial with system attribute"
              + " requeued_from) instead of only failing it.")
  boolean requeueStale;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    Duration grace;
    try {
      grace = staleAfter.trim().matches("0+[a-z]*") ? Duration.ZERO : Durations.parse(staleAfter);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--stale-after " + e.getMessage());
    }
    return JoinRun.run(spec, join, output, grace, requeueStale, "Resuming");
  }
}
