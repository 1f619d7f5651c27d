package dev.knobflow.examples.djl;

import dev.knobflow.examples.config.CommandLine;
import dev.knobflow.examples.config.StudyOptions;
import dev.knobflow.examples.report.TrialTable;
import dev.knobflow.greenmetrics.DetectionConfig;
import dev.knobflow.greenmetrics.PowerDetection;
import dev.knobflow.greenmetrics.PowerSources;
import dev.knobflow.greenmetrics.carbon.CarbonIntensity;
import dev.knobflow.greenmetrics.energy.EnergyMeter;
import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.PowerSource;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.schedulers.bohb.Bohb;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.plugin.energy.EnergyMeasuredObjective;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tunes the digits MLP through the Java API with BOHB over 1 to 27 epochs and prints the Pareto
 * front of accuracy (maximised), single-row latency and measured energy (minimised).
 *
 * <pre>
 * java -Dai.djl.offline=true -cp examples/target/classes:... dev.knobflow.examples.djl.MlpTuning \
 *     --trials 69 --journal .knobflow/journal.jsonl --seed 42
 * </pre>
 *
 * <p>Energy comes from Intel RAPL or nvidia-smi where they work; for a device nothing measures,
 * {@code --watts} (default 65 W for CPU package 0) is an estimate: watts times trial time. Running
 * again with the same journal and study name resumes the study.
 */
public final class MlpTuning {

  static final String ENERGY_WH = "energy_wh";
  static final String USAGE =
      "usage: MlpTuning [--trials N] [--journal PATH] [--seed S] [--study NAME] [--watts W]";

  private static final Set<String> OPTIONS = CommandLine.union(StudyOptions.NAMES, "--watts");

  private static final List<String> PARAMS =
      List.of("lr", "hidden_layers", "hidden_units", "batch_size", "optimizer");
  private static final List<String> METRICS =
      List.of(MlpObjective.VAL_LOSS, MlpObjective.EPOCHS_TRAINED, MlpObjective.PARAMETERS);

  private MlpTuning() {}

  /**
   * The command-line options.
   *
   * @param study the options every example shares (trials, journal, seed, study name)
   * @param watts assumed power of CPU package 0 where nothing measures it, positive
   */
  public record Options(StudyOptions study, double watts) {

    public Options {
      if (!(watts > 0) || !Double.isFinite(watts)) {
        throw new IllegalArgumentException("--watts must be a positive number, got " + watts);
      }
    }

    /** 69 trials (one BOHB cycle), {@code .knobflow/journal.jsonl}, seed 42, 65 W. */
    public static Options defaults() {
      return new Options(StudyOptions.defaults(69, "djl-digits"), 65);
    }

    /**
     * Parses {@code --name value} or {@code --name=value}; missing options keep their defaults.
     *
     * @throws IllegalArgumentException naming the option on an unknown option or bad value
     */
    public static Options parse(String... args) {
      Options d = defaults();
      CommandLine line = CommandLine.parse(args, OPTIONS, USAGE);
      return new Options(StudyOptions.read(line, d.study()), line.getDouble("--watts", d.watts()));
    }
  }

  /** Runs the tuning; exits with status 2 on bad arguments. */
  public static void main(String[] args) throws Exception {
    Optional<Options> options = CommandLine.parseOrExit(args, USAGE, Options::parse);
    if (options.isPresent()) {
      run(options.get(), new MlpObjective(), System.out);
    }
  }

  /**
   * Creates or resumes the study in the journal, runs {@code options.study().trials()} trials of
   * {@code objective} with measured energy, and prints a summary and the Pareto front to {@code
   * out}.
   *
   * @return the study, for callers that want to look further
   */
  public static Study run(Options options, MlpObjective objective, PrintStream out)
      throws Exception {
    Bohb bohb = Bohb.create(BudgetSettings.of(1, 27), options.study().seed());
    Study study =
        Study.builder(options.study().studyName())
            .objectives(
                Objective.maximize(MlpObjective.ACCURACY),
                Objective.minimize(MlpObjective.LATENCY_MS),
                Objective.minimize(ENERGY_WH))
            .storage(JournalStorage.open(options.study().journal()))
            .sampler(bohb.sampler())
            .scheduler(bohb.scheduler())
            .build();
    PowerDetection detection =
        PowerSources.detect(
            DetectionConfig.builder()
                .withoutNvidiaSmi()
                .constantWatts(Device.cpuPackage(0), options.watts())
                .build());
    List<PowerSource> sources = detection.requireAny();
    OptimizeSummary summary;
    try (EnergyMeasuredObjective measured =
        EnergyMeasuredObjective.builder(objective, EnergyMeter.of(sources))
            .objectives(
                List.of(MlpObjective.ACCURACY, MlpObjective.LATENCY_MS, ENERGY_WH),
                Set.of(ENERGY_WH))
            .carbon(CarbonIntensity.worldDefault())
            .build()) {
      out.printf(
          "study '%s' in %s: %d trials so far; running %d more (power: %s)%n",
          study.name(),
          options.study().journal(),
          study.trials().size(),
          options.study().trials(),
          sources.stream().map(PowerSource::name).toList());
      summary = study.optimize(measured, OptimizeOptions.trials(options.study().trials()));
    } finally {
      sources.forEach(PowerSource::close);
    }
    List<FrozenTrial> complete = study.trials(Set.of(TrialState.COMPLETE));
    double epochs =
        complete.stream()
            .mapToDouble(t -> t.metrics().getOrDefault(MlpObjective.EPOCHS_TRAINED, 0.0))
            .sum();
    double best = complete.stream().mapToDouble(t -> t.values().get(0)).max().orElse(Double.NaN);
    TrialTable.printFinished(out, study, summary);
    out.printf("best accuracy %.4f; epochs trained by completed trials: %.0f%n", best, epochs);
    TrialTable.printFront(out, study, METRICS, PARAMS);
    return study;
  }
}
