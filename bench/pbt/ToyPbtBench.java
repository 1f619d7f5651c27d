import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.schedulers.hyperband.BracketScheduler;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.optimizers.schedulers.pbt.PbtSettings;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Knobflow's side of the PBT toy benchmark (Jaderberg et al. 2017, section 4.1): maximise Q(theta)
 * = 1.2 - |theta|^2 from theta = (0.9, 0.9) by gradient steps (learning rate 0.01) on the
 * surrogate 1.2 - (h0 theta0^2 + h1 theta1^2). Every method gets the same number of surrogate
 * steps (POPULATION x STEPS). PBT: the population starts at uniform h (or, with "paper", at h = (1,
 * 0), (0, 1), (1, 0), ... as in the paper) and perturbs every INTERVAL steps. Random search: POPULATION uniform h in [0, 1]^2,
 * each trained STEPS steps. ASHA: budgets INTERVAL..STEPS, eta 3, promoted configurations
 * continue from their checkpoint, until the step budget is spent. Prints CSV: method,seed,q,steps.
 *
 * <p>Usage: java -cp CP bench/pbt/ToyPbtBench.java SEEDS POPULATION INTERVAL STEPS [paper]
 */
public class ToyPbtBench {

  static double trueQ(double t0, double t1) {
    return 1.2 - (t0 * t0 + t1 * t1);
  }

  /** Trains a trial from its checkpoint to its budget; counts the steps actually run. */
  static TrialResult train(Trial trial, AtomicLong spent) {
    double h0 = trial.suggestFloat("h0", 0, 1);
    double h1 = trial.suggestFloat("h1", 0, 1);
    double t0 = 0.9;
    double t1 = 0.9;
    long step = 0;
    var saved = trial.checkpoint().load();
    if (saved.isPresent()) {
      ByteBuffer b = ByteBuffer.wrap(saved.get());
      t0 = b.getDouble();
      t1 = b.getDouble();
      step = b.getLong();
    }
    long budget = (long) trial.budget().orElseThrow();
    for (; step < budget; step++) {
      t0 += 0.01 * (-2 * h0 * t0);
      t1 += 0.01 * (-2 * h1 * t1);
      spent.incrementAndGet();
    }
    trial.checkpoint().save(ByteBuffer.allocate(24).putDouble(t0).putDouble(t1).putLong(step).array());
    return TrialResult.of(trueQ(t0, t1));
  }

  public static void main(String[] args) {
    int seeds = Integer.parseInt(args[0]);
    int population = Integer.parseInt(args[1]);
    int interval = Integer.parseInt(args[2]);
    int steps = Integer.parseInt(args[3]);
    long total = (long) population * steps;
    // The paper starts from h = (1, 0) and (0, 1); those tie exactly (theta starts symmetric), and
    // Ray's PBT then never exploits, so by default both sides start from uniform h of the seed.
    boolean paperStart = args.length > 4 && args[4].equals("paper");
    System.out.println("method,seed,q,steps");
    for (int seed = 0; seed < seeds; seed++) {
      // PBT
      AtomicLong spent = new AtomicLong();
      Study pbt =
          Study.builder("pbt-" + seed)
              .storage(InMemoryStorage.create())
              .objectives(Objective.maximize("q"))
              .sampler(RandomSampler.seeded(seed))
              .scheduler(PbtScheduler.create(PbtSettings.builder(population, interval).seed(seed).build()))
              .build();
      if (paperStart) {
        for (int m = 0; m < population; m++) {
          pbt.enqueue(Map.of("h0", m % 2 == 0 ? 1.0 : 0.0, "h1", m % 2 == 0 ? 0.0 : 1.0));
        }
      }
      pbt.optimize(t -> train(t, spent), OptimizeOptions.trials(population * (steps / interval)));
      Map<Object, FrozenTrial> latest = new HashMap<>();
      for (FrozenTrial t : pbt.trials()) {
        latest.put(t.systemAttrs().get(PbtScheduler.MEMBER_ATTR), t);
      }
      double best = latest.values().stream().mapToDouble(FrozenTrial::value).max().orElseThrow();
      System.out.printf("knobflow-pbt,%d,%.6f,%d%n", seed, best, spent.get());

      // Random search: POPULATION configurations at the full STEPS.
      AtomicLong randomSpent = new AtomicLong();
      Study random =
          Study.builder("random-" + seed)
              .storage(InMemoryStorage.create())
              .objectives(Objective.maximize("q"))
              .sampler(RandomSampler.seeded(seed))
              .build();
      double randomBest = -Double.MAX_VALUE;
      for (int i = 0; i < population; i++) {
        Trial t = random.ask();
        double h0 = t.suggestFloat("h0", 0, 1);
        double h1 = t.suggestFloat("h1", 0, 1);
        double t0 = 0.9;
        double t1 = 0.9;
        for (int s = 0; s < steps; s++) {
          t0 += 0.01 * (-2 * h0 * t0);
          t1 += 0.01 * (-2 * h1 * t1);
          randomSpent.incrementAndGet();
        }
        randomBest = Math.max(randomBest, trueQ(t0, t1));
        random.tell(t, TrialResult.of(trueQ(t0, t1)));
      }
      System.out.printf("knobflow-random,%d,%.6f,%d%n", seed, randomBest, randomSpent.get());

      // ASHA: until the same number of steps is spent.
      AtomicLong ashaSpent = new AtomicLong();
      Study asha =
          Study.builder("asha-" + seed)
              .storage(InMemoryStorage.create())
              .objectives(Objective.maximize("q"))
              .sampler(RandomSampler.seeded(seed))
              .scheduler(BracketScheduler.asha(BudgetSettings.of(interval, steps)))
              .build();
      double ashaBest = -Double.MAX_VALUE;
      double ashaTopBudget = 0;
      while (ashaSpent.get() < total) {
        Trial t = asha.ask();
        FrozenTrial done = asha.tell(t, train(t, ashaSpent));
        // The incumbent: the best result at the largest budget reached so far.
        if (done.budget() > ashaTopBudget) {
          ashaTopBudget = done.budget();
          ashaBest = done.value();
        } else if (done.budget() == ashaTopBudget) {
          ashaBest = Math.max(ashaBest, done.value());
        }
      }
      System.out.printf("knobflow-asha,%d,%.6f,%d%n", seed, ashaBest, ashaSpent.get());
    }
  }
}
