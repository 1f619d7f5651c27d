package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.Objective;
import dev.knobflow.plugin.config.Suggestions;
import dev.knobflow.plugin.importance.Importances;
import dev.knobflow.plugin.importance.PedAnova;
import dev.knobflow.plugin.report.StudyData;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code knobflow importance NAME}: parameter importance per objective (PED-ANOVA). */
@Command(
    name = "importance",
    mixinStandardHelpOptions = true,
    description = {
      "Print each parameter's importance per objective (PED-ANOVA: how differently the best"
          + " trials' values are spread from all trials'), most important first; each column sums"
          + " to 1."
    })
final class ImportanceCommand implements Callable<Integer> {

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
          "journal:<path> (relative to the working directory; wins over a study file's storage) or"
              + " postgresql://USER[:PASSWORD]@HOST[:PORT]/DB; default ${DEFAULT-VALUE}.")
  String storage;

  @Option(
      names = "--objective",
      paramLabel = "NAME",
      description = "Only this objective; default all.")
  String objective;

  @Option(
      names = "--gamma",
      paramLabel = "FRACTION",
      defaultValue = "0.1",
      description =
          "The fraction of best trials compared with all, in (0, 1); default ${DEFAULT-VALUE}.")
  double gamma;

  @Mixin TrackingOptions tracking;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!(gamma > 0 && gamma < 1)) {
      throw new BadInputException("--gamma must be in (0, 1), got " + gamma);
    }
    StudyArgument study = StudyArgument.resolve(spec, name, null, storage, false);
    name = study.name();
    StudyData data = StoredStudy.load(study.storage(), tracking, name).data();
    List<String> names = data.objectives().stream().map(Objective::name).toList();
    List<Integer> indices = new ArrayList<>();
    if (objective == null) {
      for (int j = 0; j < names.size(); j++) {
        indices.add(j);
      }
    } else if (names.contains(objective)) {
      indices.add(names.indexOf(objective));
    } else {
      throw new BadInputException(
          "--objective: study '"
              + name
              + "' has no objective '"
              + objective
              + "'"
              + Suggestions.hint(objective, names)
              + " (objectives: "
              + String.join(", ", names)
              + ")");
    }
    int completed = data.completed().size();
    if (completed < 2) {
      throw new BadInputException(
          "study '"
              + name
              + "' has "
              + completed
              + " completed trial"
              + (completed == 1 ? "" : "s")
              + "; importance needs at least 2");
    }
    PedAnova pedAnova = PedAnova.defaults().withGamma(gamma);
    List<Importances> results = new ArrayList<>();
    for (int j : indices) {
      results.add(pedAnova.evaluate(data.objectives(), j, data.completed()));
    }
    out.println(
        "Parameter importance (PED-ANOVA, best "
            + Math.round(gamma * 100)
            + "% vs all "
            + completed
            + " completed trials)");
    out.println();
    List<String> header = new ArrayList<>();
    header.add("parameter");
    results.forEach(r -> header.add(r.objective()));
    StringBuilder table = new StringBuilder();
    String format = "%-20s" + "  %12s".repeat(results.size()) + "%n";
    table.append(String.format(Locale.ROOT, format, header.toArray()));
    for (String p : results.get(0).byParam().keySet()) {
      List<Object> row = new ArrayList<>();
      row.add(p);
      results.forEach(r -> row.add(String.format(Locale.ROOT, "%.3f", r.of(p))));
      table.append(String.format(Locale.ROOT, format, row.toArray()));
    }
    out.print(table);
    out.flush();
    return 0;
  }
}
