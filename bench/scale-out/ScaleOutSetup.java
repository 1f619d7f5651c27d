package dev.knobflow.bench.scaleout;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileParser;
import dev.knobflow.plugin.mlflow.KnobflowTags;
import dev.knobflow.plugin.mlflow.storage.MlflowStudyStorage;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The scale-out benchmark's bookkeeping, outside the measured time. STORAGE is {@code
 * mlflow:<uri>} (with EXPERIMENT) or {@code journal:<path>} (EXPERIMENT ignored).
 *
 * <ul>
 *   <li>{@code create STORAGE EXPERIMENT STUDY_FILE TRIALS}: creates the study and stores the
 *       study file and trial target with it, as {@code knobflow tune} does, so that {@code
 *       knobflow worker} can join it (without running a trial of its own).
 *   <li>{@code verify STORAGE EXPERIMENT STUDY TRIALS}: prints one JSON line: COMPLETE trials,
 *       distinct numbers, trials with both params and the objective value, and the span from the
 *       first trial's start to the last trial's end. For MLflow it reads the trial runs straight
 *       from the server (no storage cache) and counts abandoned runs. Exits 1 unless exactly
 *       TRIALS COMPLETE trials carry the numbers 0..TRIALS-1, each once, each with its data.
 * </ul>
 */
public final class ScaleOutSetup {

  private ScaleOutSetup() {}

  public static void main(String[] args) throws Exception {
    String storage = args[1];
    String experiment = args[2];
    if (args[0].equals("create")) {
      Path file = Path.of(args[3]);
      StudyConfig config = StudyFileParser.standard().parse(file);
      try (StudyStorage store = open(storage, experiment)) {
        store.createStudy(config.name(), config.objectives());
        store.setStudyAttr(config.name(), "study_file", Files.readString(file));
        store.setStudyAttr(config.name(), "trials_target", Integer.parseInt(args[4]));
      }
      return;
    }
    String study = args[3];
    int expected = Integer.parseInt(args[4]);
    Counts counts = storage.startsWith("journal:") ? journal(storage, study) : server(storage,
        experiment, study);
    boolean dense = true;
    for (int n = 0; n < expected; n++) {
      dense &= counts.numbers.contains(n);
    }
    boolean ok =
        counts.complete == expected
            && counts.duplicates == 0
            && dense
            && counts.withData == expected;
    System.out.printf(
        Locale.ROOT,
        "{\"study\": \"%s\", \"trials\": %d, \"complete\": %d, \"distinct_numbers\": %d,"
            + " \"duplicates\": %d, \"numbers_0_to_n_minus_1\": %b, \"with_params_and_value\":"
            + " %d, \"abandoned_runs\": %d, \"trial_span_s\": %.3f, \"ok\": %b}%n",
        study,
        counts.all,
        counts.complete,
        counts.numbers.size(),
        counts.duplicates,
        dense,
        counts.withData,
        counts.abandoned,
        counts.complete == 0 ? 0.0 : (counts.last - counts.first) / 1000.0,
        ok);
    System.exit(ok ? 0 : 1);
  }

  private static StudyStorage open(String storage, String experiment) {
    if (storage.startsWith("journal:")) {
      return JournalStorage.open(Path.of(storage.substring("journal:".length())));
    }
    return MlflowStudyStorage.open(
        MlflowConnection.of(storage.substring("mlflow:".length())), experiment);
  }

  /** What verify counts. */
  private static final class Counts {
    int all;
    int complete;
    int withData;
    int duplicates;
    int abandoned;
    final Set<Integer> numbers = new HashSet<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    void complete(int number, boolean hasData, long start, long end) {
      complete++;
      if (!numbers.add(number)) {
        duplicates++;
      }
      if (hasData) {
        withData++;
      }
      first = Math.min(first, start);
      last = Math.max(last, end);
    }
  }

  private static Counts journal(String storage, String study) {
    Counts c = new Counts();
    try (StudyStorage store = open(storage, "")) {
      List<FrozenTrial> trials = store.trials(study);
      c.all = trials.size();
      for (FrozenTrial t : trials) {
        if (t.state() == TrialState.COMPLETE) {
          c.complete(
              t.number(),
              t.params().containsKey("x") && t.params().containsKey("y") && t.values().size() == 1,
              t.started().toEpochMilli(),
              t.completed().toEpochMilli());
        }
      }
    }
    return c;
  }

  private static Counts server(String storage, String experiment, String study) {
    Counts c = new Counts();
    MlflowConnection connection = MlflowConnection.of(storage.substring("mlflow:".length()));
    try (MlflowTracking tracking = MlflowTracking.open(connection)) {
      String experimentId = tracking.runs().findExperimentId(experiment).orElseThrow();
      List<RunRecord> runs =
          tracking
              .runs()
              .searchRuns(
                  List.of(experimentId),
                  "tags.`knobflow.kind` = 'trial' AND tags.`knobflow.study` = '" + study + "'");
      for (RunRecord r : runs) {
        if (r.tags().containsKey("knobflow.abandoned")) {
          c.abandoned++;
          continue;
        }
        c.all++;
        if ("COMPLETE".equals(r.tags().get("knobflow.state"))) {
          c.complete(
              Integer.parseInt(r.tags().get(KnobflowTags.TRIAL)), // the trial's number
              r.params().containsKey("x")
                  && r.params().containsKey("y")
                  && r.metrics().containsKey("loss")
                  && "FINISHED".equals(r.status()),
              r.startTime(),
              r.endTime());
        }
      }
    }
    return c;
  }
}
