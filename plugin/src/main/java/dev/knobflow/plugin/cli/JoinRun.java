package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.TrialTarget;
import dev.knobflow.plugin.TuneSession;
import dev.knobflow.plugin.config.StorageSpec;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.mlflow.MlflowSettings;
import dev.knobflow.plugin.recovery.StaleTrialRecovery;
import dev.knobflow.plugin.runtime.StudyRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Runs trials of an existing study from its stored definition ({@code worker}, {@code resume}). */
final class JoinRun {

  private JoinRun() {}

  /**
   * @param staleAfter for {@code resume}: RUNNING trials without a heartbeat for this long are
   *     failed first; {@code null} for {@code worker}
   */
  static int run(
      CommandSpec spec,
      JoinOptions join,
      OutputOptions output,
      @Nullable Duration staleAfter,
      String verb) {
    return run(spec, join, output, staleAfter, false, verb);
  }

  /**
   * @param requeueStale with {@code staleAfter}: queue each stale trial's parameters again ({@link
   *     StaleTrialRecovery})
   */
  static int run(
      CommandSpec spec,
      JoinOptions join,
      OutputOptions output,
      @Nullable Duration staleAfter,
      boolean requeueStale,
      String verb) {
    PrintWriter out = spec.commandLine().getOut();
    if (join.trials != null && join.trials < 1) {
      throw new ParameterException(
          spec.commandLine(), "--trials must be at least 1, got " + join.trials);
    }
    if (join.parallelism != null && join.parallelism < 1) {
      throw new ParameterException(
          spec.commandLine(), "--parallelism must be at least 1, got " + join.parallelism);
    }
    StudyArgument target = StudyArgument.resolve(spec, join.name, join.config, join.storage, true);
    join.name = target.name();
    StorageSpec given = target.storage();
    // Named by its study file, the study's command runs from the file's directory, as with tune.
    if (join.dir == null) {
      join.dir = target.directory(null);
    }
    StorageSpec storage = join.tracking.apply(given);
    if (storage instanceof StorageSpec.Mlflow mlflow) {
      storage = mlflow.forStudy(join.name);
    }
    StudyDefinitions.Joined joined = StudyDefinitions.load(storage, join.name, join.dir);
    StudyConfig config = joined.config();
    Path dir = config.baseDirectory();
    if (join.parallelism != null) {
      config = config.withParallelism(join.parallelism);
    }
    // At most what is missing from the study's target when it joins (--trials N first makes room
    // for N more in the target); the optimisation loop re-counts the whole study's trials before
    // each one it starts, so this worker and the study's others together stop at the target.
    int trials;
    if (join.trials != null) {
      trials = join.trials;
    } else if (joined.remaining().isPresent()) {
      trials = joined.remaining().getAsInt();
    } else {
      trials = config.trials().orElse(Integer.MAX_VALUE);
    }
    long total = trials > 0 ? trials : Integer.MAX_VALUE;
    // The one composition root, as for tune: the stored file's tracking, the same run tree.
    MlflowSettings settings =
        join.tracking.apply(
            MlflowSettings.forWorker(
                joined.yaml(),
                dir,
                config.name(),
                System.getenv(),
                "the study file stored with study '" + join.name + "'"),
            config.name(),
            System.getenv());
    try (TuneProgress progress = TuneProgress.of(output, config, total, out);
        TuneSession session =
            TuneSession.open(
                trials > 0 ? config.withTrials(trials) : config,
                settings,
                System.getenv(),
                b -> b.listener(progress))) {
      StudyRunner runner = session.runner();
      if (staleAfter != null && requeueStale) {
        List<StaleTrialRecovery.Requeued> requeued =
            StaleTrialRecovery.failAndRequeue(runner.study(), staleAfter, Instant.now());
        for (StaleTrialRecovery.Requeued r : requeued) {
          out.println(
              "Trial "
                  + r.staleTrial()
                  + " had no heartbeat for "
                  + staleAfter
                  + ": marked FAIL and re-queued as trial "
                  + r.queuedTrial()
                  + " "
                  + r.params());
        }
      } else if (staleAfter != null) {
        List<FrozenTrial> failed =
            runner.study().storage().failStaleTrials(config.name(), staleAfter, Instant.now());
        out.println(
            "Marked "
                + failed.size()
                + " stale RUNNING trial"
                + (failed.size() == 1 ? "" : "s")
                + " FAIL (no heartbeat for "
                + staleAfter
                + ")");
      }
      if (trials == 0) {
        out.println(
            "Study '"
                + config.name()
                + "' has "
                + joined.finished()
                + " finished trials, as many as the last tune aimed for: nothing to run (pass"
                + " --trials N to run more).");
        out.flush();
        return CommandLine.ExitCode.OK;
      }
      if (join.trials != null) {
        TrialTarget.makeRoom(runner.study().storage(), config.name(), join.trials);
      }
      if (!output.quiet) {
        out.println(
            verb
                + " study '"
                + config.name()
                + "' ("
                + (trials < Integer.MAX_VALUE ? trials + " trials" : "until done")
                + ", parallelism "
                + config.parallelism()
                + ") in "
                + storage.describe());
        out.flush();
      }
      String storageText = storage.describe();
      OptimizeSummary summary;
      try (InterruptHook hook =
          InterruptHook.install(runner::interrupt, spec.commandLine().getErr(), storageText)) {
        summary = runner.run();
        progress.close();
        TuneCommand.printSummary(
            out,
            runner.study(),
            summary,
            storageText,
            TuneCommand.energyLine(config, runner.energy()));
        if (hook.fired()) {
          return InterruptHook.EXIT_CODE;
        }
      }
      int completed = summary.trialsByState().getOrDefault(TrialState.COMPLETE, 0);
      return summary.finished() > 0 && completed == 0 ? CommandLine.ExitCode.SOFTWARE : 0;
    }
  }
}
