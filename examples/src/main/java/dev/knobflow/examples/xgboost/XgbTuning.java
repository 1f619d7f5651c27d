package dev.knobflow.examples.xgboost;

import dev.knobflow.examples.report.TrialTable;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.JournalStorage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

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
   * @param trials trials to run in this call, at least 1
   * @param journal the journal file that stores the study
   * @param seed the random sampler's seed
   * @param studyName the study's name in the journal
   * @param parallelism trials evaluated at once, at least 1
   */
  public record Options(int trials, Path journal, long seed, String studyName, int parallelism) {

    public Options {
      if (trials < 1) {
        throw new IllegalArgumentException("--trials must be at least 1, got " + trials);
      }
      if (parallelism < 1) {
        throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
      }
      if (studyName == null || studyName.isBlank()) {
        throw new IllegalArgumentException("--study must not be blank");
      }
    }

    /**
     * The defaults: 60 trials, {@code .knobflow/journal.jsonl}, seed 42, study {@code xgb-demo}.
     */
    public static Options defaults() {
      return new Options(60, Path.of(".knobflow", "journal.jsonl"), 42, "xgb-demo", 1);
    }

    /**
     * Parses {@code --trials N --journal PATH --seed S --study NAME --parallelism K} (also as
     * {@code --name=value}); missing options keep their defaults.
     *
     * @throws IllegalArgumentException naming the option on an unknown option or bad value
     */
    public static Options parse(String... args) {
      Options o = defaults();
      int trials = o.trials();
      Path journal = o.journal();
      long seed = o.seed();
      String study = o.studyName();
      int parallelism = o.parallelism();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        String value;
        int eq = name.indexOf('=');
        if (name.startsWith("--") && eq > 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        } else {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(name + " needs a value; " + USAGE);
          }
          value = args[++i];
        }
        switch (name) {
          case "--trials" -> trials = parseInt(name, value);
          case "--journal" -> journal = Path.of(value);
          case "--seed" -> seed = parseLong(name, value);
          case "--study" -> study = value;
          case "--parallelism" -> parallelism = parseInt(name, value);
          default -> throw new IllegalArgumentException("unknown option '" + name + "'; " + USAGE);
        }
      }
      return new Options(trials, journal, seed, study, parallelism);
    }

    private static int parseInt(String name, String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
      }
    }

    private static long parseLong(String name, String value) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
      }
    }
  }

  static final String USAGE =
      "usage: XgbTuning [--trials N] [--journal PATH] [--seed S] [--study NAME] [--parallelism K]";

  /** Runs the tuning; exits with status 2 on bad arguments. */
  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(USAGE);
      return;
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    run(options, new XgbObjective(), System.out);
  }

  /**
   * Creates or resumes the study in the journal, runs {@code options.trials()} trials of {@code
   * objective} and prints a summary and the Pareto front to {@code out}.
   *
   * @return the study, for callers that want to look further
   */
  public static Study run(Options options, XgbObjective objective, PrintStream out) {
    Study study =
        Study.builder(options.studyName())
            .objectives(
                Objective.maximize(XgbObjective.ACCURACY),
                Objective.minimize(XgbObjective.LATENCY_MS))
            .storage(JournalStorage.open(options.journal()))
            .sampler(RandomSampler.seeded(options.seed()))
            .build();
    out.printf(
        "study '%s' in %s: %d trials so far; running %d more on %s%n",
        study.name(),
        options.journal(),
        study.trials().size(),
        options.trials(),
        XgbConfig.BUNDLED_DATASET.equals(datasetName(objective))
            ? "breast cancer"
            : datasetName(objective));
    OptimizeSummary summary =
        study.optimize(
            objective,
            OptimizeOptions.trials(options.trials()).withParallelism(options.parallelism()));
    out.printf(
        "finished %d trials in %.1f s (%s); study total by state: %s%n",
        summary.finished(),
        summary.elapsed().toMillis() / 1000.0,
        summary.trialsByState(),
        study.countByState());
    List<FrozenTrial> front =
        study.paretoFront().stream()
            .sorted(Comparator.comparingDouble((FrozenTrial t) -> -t.values().get(0)))
            .toList();
    out.printf("%nPareto front (%d trials), best accuracy first:%n", front.size());
    out.print(TrialTable.render(front, study.objectives(), METRICS, PARAMS));
    return study;
  }

  private static String datasetName(XgbObjective objective) {
    return objective.config().dataset().map(Path::toString).orElse(XgbConfig.BUNDLED_DATASET);
  }
}
