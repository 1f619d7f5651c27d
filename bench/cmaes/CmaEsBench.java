import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.AutoSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.cmaes.CmaEsSampler;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import java.util.Locale;

/**
 * Knobflow's CMA-ES on the bench problems (problems.py defines the same ones for Optuna): prints one
 * CSV line per run: problem, seed, final regret, wall and thread-CPU milliseconds of sampling per
 * trial (ask() only; the objectives cost microseconds).
 *
 * <p>Usage: {@code java -cp CP bench/cmaes/CmaEsBench.java SEEDS TRIALS PROBLEMS [VARIANT]}, VARIANT
 * one of {@code no-margin} (CMA-ES rounding integers), {@code tpe} (multivariate TPE), {@code auto}
 * (the auto sampler: GP, then CMA-ES on these problems) and {@code auto-tpe} (the auto sampler as it
 * was before CMA-ES: GP, then TPE), to compare what {@code auto} picks. Default: CMA-ES.
 */
public class CmaEsBench {

  static final int ELLIPSOID_DIM = 20;
  static final int MIXED_CONT = 10;
  static final int MIXED_INT = 10;

  public static void main(String[] args) {
    int firstSeed = args[0].contains("-") ? Integer.parseInt(args[0].split("-")[0]) : 0;
    int lastSeed =
        args[0].contains("-")
            ? Integer.parseInt(args[0].split("-")[1])
            : Integer.parseInt(args[0]) - 1;
    int trials = Integer.parseInt(args[1]);
    String[] problems = args[2].split(",");
    String variant = args.length > 3 ? args[3] : "default";
    String side = variant.equals("default") ? "knobflow" : "knobflow-" + variant;
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    System.out.println("side,problem,seed,regret,ms_per_trial,cpu_ms_per_trial");
    for (String problem : problems) {
      for (int seed = firstSeed; seed <= lastSeed; seed++) {
        Study study =
            Study.builder(problem + "-" + seed)
                .objectives(Objective.minimize("f"))
                .storage(InMemoryStorage.create())
                .space(space(problem))
                .sampler(sampler(variant, seed))
                .build();
        long wall = 0;
        long cpu = 0;
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < trials; i++) {
          long w0 = System.nanoTime();
          long c0 = threads.getCurrentThreadCpuTime();
          Trial trial = study.ask();
          cpu += threads.getCurrentThreadCpuTime() - c0;
          wall += System.nanoTime() - w0;
          double f = evaluate(problem, trial);
          best = Math.min(best, f);
          study.tell(trial, TrialResult.of(f));
        }
        System.out.printf(
            Locale.ROOT,
            "%s,%s,%d,%.6e,%.4f,%.4f%n",
            side,
            problem,
            seed,
            best - optimum(problem),
            wall / 1e6 / trials,
            cpu / 1e6 / trials);
        System.out.flush();
      }
    }
  }

  static Sampler sampler(String variant, long seed) {
    return switch (variant) {
      case "default" -> CmaEsSampler.builder().seed(seed).build();
      // Rounds integers instead of CMA-ES with Margin (Optuna's default).
      case "no-margin" -> CmaEsSampler.builder().seed(seed).withMargin(false).build();
      case "tpe" -> TpeSampler.builder().seed(seed).multivariate(true).build();
      case "auto" -> AutoSampler.seeded(seed);
      case "auto-tpe" -> AutoSampler.builder().seed(seed).cmaesMinDimensions(Integer.MAX_VALUE).build();
      default -> {
        if (variant.startsWith("sampling=")) {
          yield CmaEsSampler.builder()
              .seed(seed)
              .sampling(CmaEsSampler.Sampling.valueOf(variant.substring(9).toUpperCase()))
              .build();
        }
        throw new IllegalArgumentException("unknown variant " + variant);
      }
    };
  }

  static SearchSpace space(String problem) {
    SearchSpace.Builder b = SearchSpace.builder();
    switch (problem) {
      case "rosenbrock10" -> {
        for (int i = 0; i < 10; i++) {
          b.floatParam("x" + i, -5, 10);
        }
      }
      case "ellipsoid20" -> {
        for (int i = 0; i < ELLIPSOID_DIM; i++) {
          b.floatParam("x" + i, -5, 5);
        }
      }
      case "rastrigin10" -> {
        for (int i = 0; i < 10; i++) {
          b.floatParam("x" + i, -5.12, 5.12);
        }
      }
      case "mixed20" -> {
        for (int i = 0; i < MIXED_CONT; i++) {
          b.floatParam("x" + i, -5, 5);
        }
        for (int i = 0; i < MIXED_INT; i++) {
          b.intParam("k" + i, -10, 10);
        }
      }
      default -> throw new IllegalArgumentException("unknown problem " + problem);
    }
    return b.build();
  }

  static double x(Trial t, String name) {
    return ((Number) t.params().get(name)).doubleValue();
  }

  static double evaluate(String problem, Trial t) {
    switch (problem) {
      case "rosenbrock10" -> {
        double s = 0;
        for (int i = 0; i < 9; i++) {
          double a = x(t, "x" + i);
          double b = x(t, "x" + (i + 1));
          s += 100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a);
        }
        return s;
      }
      case "rastrigin10" -> {
        // Multimodal: a check that a sampling change does not converge prematurely (Knobflow only).
        double s = 100;
        for (int i = 0; i < 10; i++) {
          double v = x(t, "x" + i) - shift(i);
          s += v * v - 10 * Math.cos(2 * Math.PI * v);
        }
        return s;
      }
      case "ellipsoid20" -> {
        double[] v = new double[ELLIPSOID_DIM];
        for (int i = 0; i < ELLIPSOID_DIM; i++) {
          v[i] = x(t, "x" + i) - shift(i);
        }
        return ellipsoid(rotate(v, ROTATION), 6);
      }
      case "mixed20" -> {
        double[] v = new double[MIXED_CONT + MIXED_INT];
        for (int i = 0; i < MIXED_CONT; i++) {
          v[i] = x(t, "x" + i) - shift(i);
        }
        for (int i = 0; i < MIXED_INT; i++) {
          v[MIXED_CONT + i] = x(t, "k" + i) - shift(MIXED_CONT + i);
        }
        return ellipsoid(v, 3);
      }
      default -> throw new IllegalArgumentException(problem);
    }
  }

  /** The optimum's coordinate on axis i: off-centre and, for the integer axes, off-grid. */
  static double shift(int i) {
    return 1.3 + 0.5 * Math.sin(i + 1.0);
  }

  /** sum 10^(decades * i / (n - 1)) v_i^2. */
  static double ellipsoid(double[] v, double decades) {
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      s += Math.pow(10, decades * i / (v.length - 1)) * v[i] * v[i];
    }
    return s;
  }

  /** The best value the problem can reach (the integer axes cannot hit their off-grid optimum). */
  static double optimum(String problem) {
    if (!problem.equals("mixed20")) {
      return 0;
    }
    double[] v = new double[MIXED_CONT + MIXED_INT];
    for (int i = 0; i < MIXED_INT; i++) {
      double c = shift(MIXED_CONT + i);
      v[MIXED_CONT + i] = Math.round(c) - c;
    }
    return ellipsoid(v, 3);
  }

  static final double[][] ROTATION = rotation(ELLIPSOID_DIM);

  /**
   * A fixed orthonormal matrix: Gram-Schmidt on uniform entries from a 64-bit LCG seeded with 2026,
   * the same numbers optuna_cmaes.py draws.
   */
  static double[][] rotation(int n) {
    double[][] q = new double[n][n];
    long state = 2026;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        state = state * 6364136223846793005L + 1442695040888963407L;
        q[i][j] = (state >>> 11) * 0x1.0p-53 - 0.5;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < i; k++) {
        double dot = 0;
        for (int j = 0; j < n; j++) {
          dot += q[i][j] * q[k][j];
        }
        for (int j = 0; j < n; j++) {
          q[i][j] -= dot * q[k][j];
        }
      }
      double norm = 0;
      for (int j = 0; j < n; j++) {
        norm += q[i][j] * q[i][j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < n; j++) {
        q[i][j] /= norm;
      }
    }
    return q;
  }

  static double[] rotate(double[] v, double[][] q) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      for (int j = 0; j < v.length; j++) {
        out[i] += q[i][j] * v[j];
      }
    }
    return out;
  }
}
