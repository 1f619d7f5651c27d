package dev.knobflow.optimizers.samplers.nsga2;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.pareto.Hypervolume;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.RelativeSample;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The Java half of {@code bench/multiobjective/run.sh}: runs Knobflow NSGA-II and Random on ZDT1,
 * ZDT2 and DTLZ2 (6 variables in [0, 1], minimised) for each budget and seed, and writes one JSON
 * line per run with the final objective vectors, Knobflow's own hypervolume (cross-checked by the
 * Python scorer) and the sampler's time per trial. Not a test; run through the script.
 *
 * <p>Arguments: {@code --seeds N --budgets 200,1000 --out results.jsonl}.
 */
public final class MultiObjectiveBenchmark {

  private static final int VARIABLES = 6;

  private MultiObjectiveBenchmark() {}

  /** A benchmark problem: objective count, reference point, function of x. */
  record Problem(String name, double[] reference, Function<double[], double[]> f) {}

  static final List<Problem> PROBLEMS =
      List.of(
          new Problem("zdt1", new double[] {1.1, 1.1}, x -> zdt(x, false)),
          new Problem("zdt2", new double[] {1.1, 1.1}, x -> zdt(x, true)),
          new Problem("dtlz2", new double[] {1.1, 1.1, 1.1}, MultiObjectiveBenchmark::dtlz2));

  static double[] zdt(double[] x, boolean concave) {
    double sum = 0;
    for (int i = 1; i < x.length; i++) {
      sum += x[i];
    }
    double g = 1 + 9 * sum / (x.length - 1);
    double r = x[0] / g;
    return new double[] {x[0], g * (1 - (concave ? r * r : Math.sqrt(r)))};
  }

  static double[] dtlz2(double[] x) {
    double g = 0;
    for (int i = 2; i < x.length; i++) {
      g += (x[i] - 0.5) * (x[i] - 0.5);
    }
    double a = x[0] * Math.PI / 2;
    double b = x[1] * Math.PI / 2;
    return new double[] {
      (1 + g) * Math.cos(a) * Math.cos(b),
      (1 + g) * Math.cos(a) * Math.sin(b),
      (1 + g) * Math.sin(a)
    };
  }

  /** Delegates to a sampler and adds up the time spent inside it. */
  static final class TimedSampler implements Sampler {
    private final Sampler delegate;
    final LongAdder nanos = new LongAdder();

    TimedSampler(Sampler delegate) {
      this.delegate = delegate;
    }

    @Override
    public Map<String, Distribution> relativeSearchSpace(StudyView study, FrozenTrial trial) {
      long t = System.nanoTime();
      try {
        return delegate.relativeSearchSpace(study, trial);
      } finally {
        nanos.add(System.nanoTime() - t);
      }
    }

    @Override
    public RelativeSample sampleRelative(
        StudyView study, FrozenTrial trial, Map<String, Distribution> space) {
      long t = System.nanoTime();
      try {
        return delegate.sampleRelative(study, trial, space);
      } finally {
        nanos.add(System.nanoTime() - t);
      }
    }

    @Override
    public Object sampleIndependent(
        StudyView study, FrozenTrial trial, String name, Distribution distribution) {
      long t = System.nanoTime();
      try {
        return delegate.sampleIndependent(study, trial, name, distribution);
      } finally {
        nanos.add(System.nanoTime() - t);
      }
    }

    @Override
    public boolean isExhausted(StudyView study) {
      long t = System.nanoTime();
      try {
        return delegate.isExhausted(study);
      } finally {
        nanos.add(System.nanoTime() - t);
      }
    }

    @Override
    public String describe() {
      return delegate.describe();
    }
  }

  public static void main(String[] args) throws IOException {
    int seeds = 10;
    int[] budgets = {200, 1000};
    Path out = Path.of("bench/results/knobflow.jsonl");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seeds" -> seeds = Integer.parseInt(args[++i]);
        case "--budgets" ->
            budgets = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Map<String, LongFunction<Sampler>> samplers = new LinkedHashMap<>();
    samplers.put("nsga2", seed -> NsgaIISampler.builder().populationSize(50).seed(seed).build());
    samplers.put("random", RandomSampler::seeded);
    SearchSpace.Builder space = SearchSpace.builder();
    for (int i = 0; i < VARIABLES; i++) {
      space.floatParam("x" + i, 0, 1);
    }
    SearchSpace unitCube = space.build();
    // Warm the JIT so the first run's sampler time is not mostly class loading.
    run(PROBLEMS.get(0), samplers.get("nsga2").apply(99), unitCube, 300);

    ObjectMapper json = new ObjectMapper();
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (BufferedWriter w = Files.newBufferedWriter(out)) {
      for (Problem problem : PROBLEMS) {
        for (int budget : budgets) {
          for (Map.Entry<String, LongFunction<Sampler>> s : samplers.entrySet()) {
            for (int seed = 0; seed < seeds; seed++) {
              TimedSampler timed = new TimedSampler(s.getValue().apply(seed));
              List<double[]> points = run(problem, timed, unitCube, budget);
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("impl", "knobflow");
              row.put("sampler", s.getKey());
              row.put("problem", problem.name());
              row.put("budget", budget);
              row.put("seed", seed);
              row.put("sampler_ms_per_trial", timed.nanos.sum() / 1e6 / budget);
              row.put(
                  "hv_knobflow",
                  Hypervolume.compute(points.toArray(new double[0][]), problem.reference()));
              row.put("points", points);
              w.write(json.writeValueAsString(row));
              w.newLine();
              System.err.printf(
                  "knobflow %-6s %-5s %5d seed %d: hv %.4f, %.3f ms/trial%n",
                  s.getKey(),
                  problem.name(),
                  budget,
                  seed,
                  (double) row.get("hv_knobflow"),
                  (double) row.get("sampler_ms_per_trial"));
            }
          }
        }
      }
    }
  }

  private static List<double[]> run(Problem problem, Sampler sampler, SearchSpace space, int n) {
    List<Objective> objectives = new ArrayList<>();
    for (int j = 0; j < problem.reference().length; j++) {
      objectives.add(Objective.minimize("f" + (j + 1)));
    }
    Study study =
        Study.builder(problem.name())
            .objectives(objectives)
            .storage(InMemoryStorage.create())
            .space(space)
            .sampler(sampler)
            .build();
    study.optimize(
        trial -> {
          double[] x = new double[VARIABLES];
          for (int i = 0; i < VARIABLES; i++) {
            x[i] = (double) trial.params().get("x" + i);
          }
          return TrialResult.of(problem.f().apply(x));
        },
        OptimizeOptions.trials(n));
    List<double[]> points = new ArrayList<>();
    for (FrozenTrial t : study.trials(Set.of(TrialState.COMPLETE))) {
      points.add(t.values().stream().mapToDouble(Double::doubleValue).toArray());
    }
    return points;
  }
}
