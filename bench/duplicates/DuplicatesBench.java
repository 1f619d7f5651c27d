import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.AutoSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.cmaes.CmaEsSampler;
import dev.knobflow.optimizers.samplers.gp.GpSampler;
import dev.knobflow.optimizers.samplers.nsga2.NsgaIISampler;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Repeats per 100 trials of each model-based sampler on a small mixed space whose optimum sits on a
 * corner (where models keep proposing the same point), with the objective declared noisy (the guard
 * off: the behaviour before it) and not. Prints CSV: sampler,seed,mode,trials,repeats.
 * Usage: java -cp CP DuplicatesBench.java SEEDS TRIALS
 */
public class DuplicatesBench {
  public static void main(String[] args) {
    int seeds = Integer.parseInt(args[0]);
    int trials = Integer.parseInt(args[1]);
    SearchSpace space =
        SearchSpace.builder()
            .add("a", IntDistribution.of(0, 9))
            .add("b", IntDistribution.of(0, 9))
            .add("lr", FloatDistribution.logOf(1e-4, 1))
            .add("c", CategoricalDistribution.of("x", "y", "z"))
            .build();
    ObjectiveFunction corner =
        ObjectiveFunction.scalar(
            t -> {
              long a = (Long) t.params().get("a");
              long b = (Long) t.params().get("b");
              double lr = Math.log10((Double) t.params().get("lr"));
              return (a - 9) * (a - 9) + b * b + lr * lr + ("y".equals(t.params().get("c")) ? 0 : 3);
            });
    Map<String, LongFunction<Sampler>> samplers =
        new java.util.LinkedHashMap<>(
            Map.of(
                "tpe", TpeSampler::seeded,
                "gp", GpSampler::seeded,
                "cmaes", s -> CmaEsSampler.builder().seed(s).build(),
                "nsga2", s -> NsgaIISampler.builder().seed(s).build(),
                "auto", AutoSampler::seeded));
    System.out.println("sampler,seed,mode,trials,repeats");
    for (var e : samplers.entrySet()) {
      for (long seed = 1; seed <= seeds; seed++) {
        for (boolean noisy : new boolean[] {true, false}) {
          Study study =
              Study.builder("dup").space(space).sampler(e.getValue().apply(seed)).noisy(noisy).build();
          study.optimize(corner, OptimizeOptions.trials(trials));
          Set<Map<String, Object>> seen = new HashSet<>();
          int repeats = 0;
          for (FrozenTrial t : study.trials()) {
            repeats += seen.add(t.params()) ? 0 : 1;
          }
          System.out.println(
              e.getKey() + "," + seed + "," + (noisy ? "before" : "after") + ","
                  + study.trials().size() + "," + repeats);
        }
      }
    }
  }
}
