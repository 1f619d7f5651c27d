package dev.knobflow.examples.xgboost;

import dev.knobflow.examples.config.CommandLine;
import dev.knobflow.examples.config.StudyOptions;
import dev.knobflow.examples.report.TrialTable;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.JournalStorage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tunes XGBoost on the bundled breast cancer data through the Java API and prints the Pareto front
 * of accuracy (maximised) against prediction latency (minimised).
 *
 * <pre>
 * java -cp examples/target/knobflow-examples.jar:... dev.knobflow.examples.xgboost.XgbTuning \
 *     --trials 60 --journal .knobflow/journal.jsonl --seed 42
 * </pre>
 *
 * <p>Running again with the same journal and study name resumes the study: the new trials are added
 * to the old ones.
 */
public final class XgbTuning {

  private static final List<String> PARAMS =
      List.of("eta", "max_depth", "subsample", "colsample_bytree", "min_child_weight", "lambda");
  private static final List<String> METRICS =
      List.of(XgbObjective.LOG_LOSS, XgbObjective.AUC, XgbObjective.MODEL_SIZE_BYTES);

  private XgbTuning() {}

  /**
   * The command-line options.
   *
   * @param study the options every example shares (trials, journal, seed, study name)
   * @param parallelism trials evaluated at once, at least 1
   */
  public record Options(StudyOptions study, int parallelism) {

    public Options {
      if (parallelism < 1) {
        throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
      }
    }

    /**
     * 60 trials, {@code .knobflow/journal.jsonl}, seed 42, study {@code xgb-demo}, one at a time.
     */
    public static Options defaults() {
      return new Options(StudyOptions.defaults(60, "xgb-demo"), 1);
    }

    /**
     * Parses {@code --name value} or {@code --name=value}; missing options keep their defaults.
     *
     * @throws IllegalArgumentException naming the option on an unknown option or bad value
     */
    public static Options parse(String... args) {
      Options d = defaults();
      CommandLine line = CommandLine.parse(args, OPTIONS, USAGE);
      return new Options(
          StudyOptions.read(line, d.study()), line.getInt("--parallelism", d.parallelism()));
    }
  }

  static final String USAGE =
      "usage: XgbTuning [--trials N] [--journal PATH] [--seed S] [--study NAME] [--parallelism K]";

  private static final Set<String> OPTIONS = CommandLine.union(StudyOptions.NAMES, "--parallelism");

  /** Runs the tuning; exits with status 2 on bad arguments. */
  public static void main(String[] args) {
    Optional<Options> options = CommandLine.parseOrExit(args, USAGE, Options::parse);
    if (options.isPresent()) {
      run(options.get(), new XgbObjective(), System.out);
    }
  }

  /**
   * Creates or resumes the study in the journal, runs {@code options.study().trials()} trials of
   * {@code objective} and prints a summary and the Pareto front to {@code out}.
   *
   * @return the study, for callers that want to look further
   */
  public static Study run(Options options, XgbObjective objective, PrintStream out) {
    Study study =
        Study.builder(options.study().studyName())
            .objectives(
                Objective.maximize(XgbObjective.ACCURACY),
                Objective.minimize(XgbObjective.LATENCY_MS))
            .storage(JournalStorage.open(options.study().journal()))
            .sampler(RandomSampler.seeded(options.study().seed()))
            .build();
    out.printf(
        "study '%s' in %s: %d trials so far; running %d more on %s%n",
        study.name(),
        options.study().journal(),
        study.trials().size(),
        options.study().trials(),
        XgbConfig.BUNDLED_DATASET.equals(datasetName(objective))
            ? "breast cancer"
            : datasetName(objective));
    OptimizeSummary summary =
        study.optimize(
            objective,
            OptimizeOptions.trials(options.study().trials())
                .withParallelism(options.parallelism()));
    TrialTable.printFinished(out, study, summary);
    TrialTable.printFront(out, study, METRICS, PARAMS);
    return study;
  }

  private static String datasetName(XgbObjective objective) {
    return objective
        .config()
        .data()
        .dataset()
        .map(Path::toString)
        .orElse(XgbConfig.BUNDLED_DATASET);
  }
}
