package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.SpaceOverrides;
import dev.knobflow.optimizers.budget.StudyBudget;
import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.plugin.energy.BudgetMeters;
import dev.knobflow.plugin.energy.EnergyTotals;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code knobflow show NAME}: a study's trials and Pareto front, as a table or JSON. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Show a study: its objectives, every trial (Pareto-optimal ones marked *) and the Pareto"
          + " front sorted by the first objective."
    })
final class ShowCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format {
    table,
    json
  }

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "NAME|STUDY.yaml",
      description =
          "The study's name, or its study file: then its name, storage (a relative journal path"
              + " against the file's directory) and tracking come from the file, as tune used"
              + " them.")
  String name;

  @Option(
      names = "--storage",
      paramLabel = "STORAGE",
      defaultValue = StorageOption.DEFAULT,
      description =
          "journal:<path> (relative to the working directory; wins over a study file's storage), mlflow (MLFLOW_TRACKING_URI),"
              + " mlflow:<uri> or postgresql://USER[:PASSWORD]@HOST[:PORT]/DB; default"
              + " ${DEFAULT-VALUE}.")
  String storage;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json; default ${DEFAULT-VALUE}.")
  Format format;

  @Option(
      names = "--per-budget",
      description =
          "In a multi-fidelity study, print one Pareto front per budget instead of the front at"
              + " the highest budget reached.")
  boolean perBudget;

  @Mixin TrackingOptions tracking;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    StudyArgument target = StudyArgument.resolve(spec, name, null, storage, false);
    StoredStudy stored = StoredStudy.load(target.storage(), tracking, target.name());
    StudyRecord study = stored.study();
    List<FrozenTrial> trials = stored.trials();
    StudyReport report = new StudyReport(study.objectives(), trials);
    if (format == Format.json) {
      out.println(StudyJson.of(study, trials, report.front()));
      out.flush();
      return 0;
    }
    out.println("Study:      " + study.name());
    out.println("Objectives: " + StudyReport.objectives(study.objectives()));
    study.attrs().entrySet().stream()
        .filter(e -> !e.getKey().equals(SpaceOverrides.STUDY_ATTR))
        .filter(e -> !e.getKey().equals(StudyBudget.STUDY_ATTR))
        .forEach(
            e ->
                out.println(
                    String.format("%-11s %s", e.getKey() + ":", attr(e.getKey(), e.getValue()))));
    AdvisorSummary.printOverrides(out, study.attrs());
    out.println("Storage:    " + stored.storage());
    out.println(
        "Trials:     " + trials.size() + " (" + StudyReport.countsByState(report.counts()) + ")");
    EnergyTotals.of(trials).ifPresent(t -> out.println("Energy:     " + t.describe()));
    BudgetMeters.fromStudyAttr(study.attrs().get(StudyBudget.STUDY_ATTR))
        .ifPresent(b -> b.status(trials).forEach(s -> out.println("Budget:     " + s.describe())));
    out.println();
    if (!trials.isEmpty()) {
      report.printTrials(out);
      out.println();
    }
    if (report.front().isEmpty()) {
      out.println("No trial completed yet.");
    } else if (perBudget && report.hasBudgets()) {
      out.println("Pareto fronts per budget, sorted by " + study.objectives().get(0).name());
      report.printFrontsPerBudget(out);
    } else {
      out.println(
          "Pareto front (* above): "
              + report.front().size()
              + " trial"
              + (report.front().size() == 1 ? "" : "s")
              + ", sorted by "
              + study.objectives().get(0).name()
              + ", best first"
              + (report.hasBudgets()
                  ? "; at the highest budget reached (" + report.topBudget() + ")"
                  : ""));
      report.printFront(out);
    }
    out.flush();
    return 0;
  }

  /** The stored study file is shown by size, not printed whole. */
  private static Object attr(String key, Object value) {
    if (key.equals(StudyDefinitions.STUDY_FILE) && value instanceof String text) {
      return "(stored, " + text.lines().count() + " lines)";
    }
    return value;
  }
}
