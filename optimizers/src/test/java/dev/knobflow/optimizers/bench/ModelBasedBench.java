package dev.knobflow.optimizers.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.AutoSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.gp.GpSampler;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs Knobflow's TPE, GP and Auto samplers on the bench problems and appends one JSON line per run
 * (problem, sampler, seed, every trial's objective values, sampler milliseconds per trial) to the
 * output file. Usage: {@code ModelBasedBench OUT_FILE SEEDS MO_TRIALS SO_TRIALS [problems]
 * [samplers] [startup.json]}. With {@code startup.json} (written by {@code
 * bench/model-based/startup_design.py}), each run first enqueues the shared start-up points of its
 * problem and seed, as the Optuna side does, and its row is marked {@code "startup": "shared"}.
 */
public final class ModelBasedBench {

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private ModelBasedBench() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int seeds = Integer.parseInt(args[1]);
    int moTrials = Integer.parseInt(args[2]);
    int soTrials = Integer.parseInt(args[3]);
    Set<String> problems =
        Set.of(
            (args.length > 4 ? args[4] : "zdt1,zdt2,dtlz2,branin,hartmann6,rosenbrock10")
                .split(","));
    List<String> samplers = List.of((args.length > 5 ? args[5] : "tpe,gp,auto").split(","));
    ObjectMapper json = new ObjectMapper();
    JsonNode design = args.length > 6 ? json.readTree(Path.of(args[6]).toFile()) : null;
    try (BufferedWriter w =
        Files.newBufferedWriter(
            out, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
      for (BenchProblems.Problem problem : BenchProblems.all()) {
        if (!problems.contains(problem.name())) {
          continue;
        }
        int trials = problem.objectives() > 1 ? moTrials : soTrials;
        for (String samplerName : samplers) {
          for (int seed = 0; seed < seeds; seed++) {
            JsonNode startup =
                design == null ? null : design.path(problem.name()).get(String.valueOf(seed));
            Map<String, Object> row = run(problem, samplerName, seed, trials, startup);
            w.write(json.writeValueAsString(row));
            w.newLine();
            w.flush();
            System.err.printf(
                "knobflow %-8s %-12s seed %d: %.1f ms/trial (cpu %.1f, last 20 trials %.1f)%n",
                samplerName,
                problem.name(),
                seed,
                (double) row.get("ms_per_trial"),
                (double) row.get("cpu_ms_per_trial"),
                (double) row.get("cpu_ms_last_20_trials"));
          }
        }
      }
    }
  }

  static Sampler sampler(String name, long seed) {
    return switch (name) {
      case "tpe" -> TpeSampler.seeded(seed);
      case "tpe-mv" -> TpeSampler.builder().seed(seed).multivariate(true).build();
      case "gp" -> GpSampler.seeded(seed);
      case "auto" -> AutoSampler.seeded(seed);
      default -> throw new IllegalArgumentException("unknown sampler " + name);
    };
  }

  static Map<String, Object> run(
      BenchProblems.Problem problem, String samplerName, int seed, int n, JsonNode startup)
      throws Exception {
    SearchSpace.Builder space = SearchSpace.builder();
    for (int i = 0; i < problem.dimension(); i++) {
      space.add("x" + i, FloatDistribution.of(problem.low()[i], problem.high()[i]));
    }
    List<Objective> objectives = new ArrayList<>();
    for (int j = 0; j < problem.objectives(); j++) {
      objectives.add(Objective.minimize("f" + j));
    }
    Study study =
        Study.builder(problem.name() + "-" + samplerName + "-" + seed)
            .objectives(objectives)
            .space(space.build())
            .sampler(sampler(samplerName, seed))
            .seed(seed)
            .build();
    if (startup != null) {
      for (JsonNode point : startup) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < problem.dimension(); i++) {
          params.put("x" + i, point.get(i).asDouble());
        }
        study.enqueue(params);
      }
    }
    long samplerNanos = 0;
    long samplerCpuNanos = 0;
    long lastTwentyCpuNanos = 0;
    for (int t = 0; t < n; t++) {
      long start = System.nanoTime();
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      var trial = study.ask();
      samplerNanos += System.nanoTime() - start;
      long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
      samplerCpuNanos += cpu;
      if (t >= n - 20) {
        lastTwentyCpuNanos += cpu;
      }
      double[] x = new double[problem.dimension()];
      for (int i = 0; i < x.length; i++) {
        x[i] = ((Number) trial.params().get("x" + i)).doubleValue();
      }
      study.tell(trial, TrialResult.of(problem.fn().apply(x)));
    }
    List<List<Double>> values = new ArrayList<>();
    for (FrozenTrial t : study.trials(Set.of(TrialState.COMPLETE))) {
      values.add(t.values());
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("side", "knobflow");
    row.put("sampler", samplerName);
    row.put("problem", problem.name());
    row.put("seed", seed);
    row.put("trials", n);
    row.put("ms_per_trial", samplerNanos / 1e6 / n);
    row.put("cpu_ms_per_trial", samplerCpuNanos / 1e6 / n);
    row.put("cpu_ms_last_20_trials", lastTwentyCpuNanos / 1e6 / Math.min(20, n));
    row.put("values", values);
    if (startup != null) {
      row.put("startup", "shared");
    }
    return row;
  }
}
