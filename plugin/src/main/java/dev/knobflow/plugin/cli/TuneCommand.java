package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.BoundPileUp;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.TuneSession;
import dev.knobflow.plugin.config.Durations;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileParser;
import dev.knobflow.plugin.energy.EnergyConfig;
import dev.knobflow.plugin.energy.EnergySession;
import dev.knobflow.plugin.energy.EnergyTotals;
import dev.knobflow.plugin.mlflow.MlflowSettings;
import dev.knobflow.plugin.runtime.StudyRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code knobflow tune STUDY.yaml}: runs the trials a study file describes. */
@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    description = {
      "Run the trials a study file describes and print a summary.",
      "Re-running adds trials to the same study when the storage keeps it (the journal does)."
    })
final class TuneCommand implements Callable<Integer> {

  /** Exit code after Ctrl-C (128 + SIGINT). */
  static final int INTERRUPTED = InterruptHook.EXIT_CODE;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "STUDY.yaml", description = "The study file.")
  Path studyFile;

  @Option(
      names = "--trials",
      paramLabel = "N",
      description = "Trials to run now (overrides the file's trials).")
  Integer trials;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "Trials evaluated at once (overrides the file's parallelism).")
  Integer parallelism;

  @Option(
      names = "--storage",
      paramLabel = "STORAGE",
      description =
          "memory, journal:<path> (relative to the working directory), mlflow, mlflow:<uri> or"
              + " postgresql://USER[:PASSWORD]@HOST[:PORT]/DB; overrides the file's storage.")
  String storage;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "Stop starting trials after this long, e.g. 30m (overrides the file's).")
  String timeout;

  @Mixin TrackingOptions tracking;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    StudyConfig config = StudyFileParser.standard().parse(studyFile);
    config = applyOverrides(config);
    config = config.withStorage(tracking.apply(config.storage()));
    MlflowSettings mlflowSettings =
        tracking.apply(
            MlflowSettings.read(studyFile, config.name(), System.getenv()),
            config.name(),
            System.getenv());
    PrintWriter out = spec.commandLine().getOut();
    long total = config.trials().orElse(Integer.MAX_VALUE);
    String storageText = config.storage().describe();
    if (!output.quiet) {
      out.println(
          "Tuning study '"
              + config.name()
              + "' ("
              + (total < Integer.MAX_VALUE ? total + " trials" : "until done")
              + config.timeout().map(t -> ", timeout " + Durations.format(t)).orElse("")
              + ", parallelism "
              + config.parallelism()
              + ") in "
              + storageText);
      out.flush();
    }
    try (TuneProgress progress = TuneProgress.of(output, config, total, out);
        TuneSession session =
            TuneSession.open(config, mlflowSettings, System.getenv(), b -> b.listener(progress))) {
      StudyRunner runner = session.runner();
      if (!output.quiet) {
        session.tracking().describe().ifPresent(out::println);
        out.flush();
      }
      StudyDefinitions.record(runner, studyFile);
      session.tracking().logStudyFile(studyFile);
      OptimizeSummary summary;
      try (InterruptHook hook =
          InterruptHook.install(session::interrupt, spec.commandLine().getErr(), storageText)) {
        summary = runner.run();
        progress.close();
        if (session.tracking().logReport(runner.study()) && !output.quiet) {
          out.println("MLflow: report logged under report/ of the study run");
        }
        printSummary(
            out, runner.study(), summary, storageText, energyLine(config, runner.energy()));
        runner.advisor().ifPresent(advisor -> AdvisorSummary.print(out, advisor));
        if (hook.fired()) {
          return INTERRUPTED;
        }
      }
      int completed = summary.trialsByState().getOrDefault(TrialState.COMPLETE, 0);
      return summary.finished() > 0
              && completed == 0
              && summary.trialsByState().containsKey(TrialState.FAIL)
          ? CommandLine.ExitCode.SOFTWARE
          : CommandLine.ExitCode.OK;
    }
  }

  private StudyConfig applyOverrides(StudyConfig config) {
    StudyConfig c = config;
    if (trials != null) {
      if (trials < 1) {
        throw new ParameterException(
            spec.commandLine(), "--trials must be at least 1, got " + trials);
      }
      c = c.withTrials(trials);
    }
    if (parallelism != null) {
      if (parallelism < 1) {
        throw new ParameterException(
            spec.commandLine(), "--parallelism must be at least 1, got " + parallelism);
      }
      c = c.withParallelism(parallelism);
    }
    if (timeout != null) {
      try {
        c = c.withTimeout(Durations.parse(timeout));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--timeout " + e.getMessage());
      }
    }
    if (storage != null) {
      c = c.withStorage(StorageOption.parse(storage));
    }
    return c;
  }

  static void printSummary(
      PrintWriter out,
      Study study,
      OptimizeSummary summary,
      String storageText,
      Optional<String> energyStatus) {
    List<FrozenTrial> trials = study.trials();
    StudyReport report = new StudyReport(study.objectives(), trials);
    out.println();
    out.println(
        "Done: "
            + summary.finished()
            + " trial"
            + (summary.finished() == 1 ? "" : "s")
            + " in "
            + Formats.duration(summary.elapsed())
            + " (stopped: "
            + stopReason(summary.stopReason())
            + "): "
            + StudyReport.countsByState(summary.trialsByState()));
    out.println(
        "Study '"
            + study.name()
            + "' now has "
            + trials.size()
            + " trials: "
            + StudyReport.countsByState(report.counts()));
    List<FrozenTrial> front = report.front();
    if (front.isEmpty()) {
      out.println("No trial completed yet.");
    } else if (study.objectives().size() == 1) {
      FrozenTrial best = ParetoTrials.sortedByFirstObjective(front, study.objectives()).get(0);
      out.println(
          "Best trial "
              + best.number()
              + ": "
              + study.objectives().get(0).name()
              + "="
              + Formats.number(best.value())
              + (best.isFeasible() ? "" : " (infeasible: no trial met the constraints)"));
      out.println("  params: " + Formats.assignments(best.params()));
    } else {
      out.println(
          "Pareto front: "
              + front.size()
              + " trial"
              + (front.size() == 1 ? "" : "s")
              + ", sorted by "
              + study.objectives().get(0).name()
              + (front.get(0).isFeasible() ? "" : " (none met the constraints: least violating)"));
      report.printFront(out);
    }
    BoundPileUp.find(trials, study.objectives())
        .forEach(b -> out.println("Warning: " + b.describe()));
    Optional<EnergyTotals> energy = EnergyTotals.of(trials);
    if (energy.isPresent() || energyStatus.isPresent()) {
      String status = energyStatus.orElse("recorded earlier");
      out.println(
          "Energy: "
              + energy
                  .map(t -> t.describe() + " (" + status + ")")
                  .orElse("not measured: " + status));
    }
    study.budgetStatus().forEach(b -> out.println("Budget: " + b.describe()));
    out.println("Storage: " + storageText);
    if (storageText.startsWith("journal:")) {
      out.println(
          "Show it: knobflow show "
              + ShellWords.quote(study.name())
              + " --storage "
              + ShellWords.quote(storageText));
    }
    out.flush();
  }

  /**
   * What the summary's energy line says about this run's metering, or empty where nothing measures
   * energy and the study file does not ask for it (no {@code energy:} or {@code carbon:} section,
   * or {@code enabled: false}): the summary then has no energy line.
   */
  static Optional<String> energyLine(StudyConfig config, EnergySession energy) {
    boolean configured =
        config.energy().enabled() && !config.energy().equals(EnergyConfig.defaults());
    return configured || energy.status().startsWith("measured")
        ? Optional.of(energy.status())
        : Optional.empty();
  }

  private static String stopReason(String reason) {
    return switch (reason) {
      case "trials" -> "trial count reached";
      case "target" -> "study's trial target reached";
      case "timeout" -> "timeout";
      case "exhausted" -> "sampler exhausted";
      case "stopped" -> "stopped";
      case "budget" -> "budget reached (see Budget below)";
      default -> reason;
    };
  }
}
