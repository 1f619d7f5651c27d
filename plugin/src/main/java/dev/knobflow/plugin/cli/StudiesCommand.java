package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.plugin.config.StorageSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code knobflow studies}: lists the studies in a storage. */
@Command(
    name = "studies",
    mixinStandardHelpOptions = true,
    description = "List the studies in a storage with their objectives and trial counts.")
final class StudiesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--storage",
      paramLabel = "STORAGE",
      defaultValue = StorageOption.DEFAULT,
      description =
          "journal:<path> (relative to the working directory), mlflow (MLFLOW_TRACKING_URI),"
              + " mlflow:<uri> or postgresql://USER[:PASSWORD]@HOST[:PORT]/DB; default"
              + " ${DEFAULT-VALUE}.")
  String storage;

  @Mixin TrackingOptions tracking;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    StorageSpec spec0 = StorageOption.parse(storage);
    if (spec0 instanceof StorageSpec.Journal j && !Files.isRegularFile(j.path())) {
      out.println("No studies: there is no journal at " + j.path() + " yet.");
      out.flush();
      return 0;
    }
    StorageSpec existing = tracking.apply(StorageOption.existing(storage));
    try (StudyStorage store = existing.open()) {
      List<StudyRecord> studies = store.studies();
      if (studies.isEmpty()) {
        out.println("No studies in " + existing.describe() + ".");
        out.flush();
        return 0;
      }
      TextTable table = new TextTable(List.of("name", "objectives", "trials", "states", "created"));
      for (StudyRecord s : studies) {
        List<FrozenTrial> trials = store.trials(s.name());
        Map<TrialState, Long> counts = new EnumMap<>(TrialState.class);
        trials.forEach(t -> counts.merge(t.state(), 1L, Long::sum));
        table.add(
            List.of(
                s.name(),
                StudyReport.objectives(s.objectives()),
                Integer.toString(trials.size()),
                StudyReport.countsByState(counts),
                s.created() == null ? "" : s.created().toString()));
      }
      table.print(out, "");
      out.flush();
      return 0;
    }
  }
}
