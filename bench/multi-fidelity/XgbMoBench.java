import dev.knobflow.examples.xgboost.XgbConfig;
import dev.knobflow.examples.xgboost.XgbObjective;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.pareto.Hypervolume;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.schedulers.Scheduler;
import dev.knobflow.optimizers.schedulers.hyperband.BracketScheduler;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-objective multi-fidelity XGBoost: accuracy (max) and latency_ms (min) on the bundled breast
 * cancer data, boosting rounds as the budget (10..270, eta 3). Three arms, all with random
 * sampling: Hyperband with Pareto rung ranking (multi-objective pruning), Hyperband with rungs
 * ranked by accuracy alone (single-objective pruning, as Optuna or Ray Tune would do), both with
 * promoted children continuing their parent's boosters, and random search at the full 270 rounds.
 * Budget spent = boosting rounds actually trained (rounds_trained), in units of R = 270.
 * Hypervolume in minimisation form (1 - accuracy, latency_ms) against the reference (0.2, 3.0): hv
 * of every evaluated model (each trial is a real, usable model), hv_full of the full-budget
 * (270-round) models only (0 until the first one).
 *
 * <p>Args: SEEDS TOTAL_R. Prints one CSV line per evaluation:
 * arm,seed,spent_r,hv,hv_full,rounds,accuracy,latency_ms (the last three of that evaluation).
 */
public class XgbMoBench {
  static final double R = 270;
  static final double[] REFERENCE = {0.2, 3.0};

  public static void main(String[] args) {
    int seeds = Integer.parseInt(args[0]);
    double totalR = Double.parseDouble(args[1]);
    XgbObjective objective = new XgbObjective(XgbConfig.defaults());
    System.out.println("arm,seed,spent_r,hv,hv_full,rounds,accuracy,latency_ms");
    for (int seed = 0; seed < seeds; seed++) {
      run("hyperband", seed, totalR, objective,
          BracketScheduler.hyperband(BudgetSettings.of(10, R)));
      run("hyperband-accuracy", seed, totalR, objective,
          BracketScheduler.hyperband(BudgetSettings.of(10, R)).withRankBy("accuracy"));
      run("random@270", seed, totalR, objective, null);
    }
  }

  static void run(String arm, int seed, double totalR, XgbObjective objective, Scheduler sched) {
    Study.Builder b =
        Study.builder(arm + "-" + seed)
            .objectives(Objective.maximize("accuracy"), Objective.minimize("latency_ms"))
            .storage(InMemoryStorage.create())
            .sampler(RandomSampler.seeded(1000 + seed));
    XgbObjective obj = objective;
    if (sched != null) {
      b.scheduler(sched);
    } else {
      obj = new XgbObjective(XgbConfig.defaults().withRounds((int) R));
    }
    Study study = b.build();
    double spent = 0;
    List<double[]> points = new ArrayList<>();
    List<double[]> fullBudget = new ArrayList<>();
    while (spent < totalR * R) {
      study.optimize(obj, OptimizeOptions.trials(1));
      FrozenTrial t = study.trials().get(study.trials().size() - 1);
      if (t.state() != TrialState.COMPLETE) {
        continue;
      }
      spent += t.metrics().get("rounds_trained");
      double[] point = {1 - t.values().get(0), t.values().get(1)};
      points.add(point);
      int rounds = (int) Math.round(t.budgetIfAssigned().orElse(R));
      if (rounds >= R) {
        fullBudget.add(point);
      }
      double hv = Hypervolume.compute(points.toArray(new double[0][]), REFERENCE);
      double hvFull =
          fullBudget.isEmpty()
              ? 0
              : Hypervolume.compute(fullBudget.toArray(new double[0][]), REFERENCE);
      System.out.printf(
          "%s,%d,%.4f,%.6f,%.6f,%d,%.6f,%.6f%n",
          arm, seed, spent / R, hv, hvFull, rounds, t.values().get(0), t.values().get(1));
      System.out.flush();
    }
  }
}
