import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import dev.knobflow.optimizers.schedulers.pbt.PbtSettings;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Knobflow's side of the PBT toy benchmark (Jaderberg et al. 2017, section 4.1): maximise Q(theta)
 * = 1.2 - |theta|^2 from theta = (0.9, 0.9) by gradient steps (learning rate 0.01) on the
 * surrogate 1.2 - (h0 theta0^2 + h1 theta1^2). Every method gets the same number of surrogate
 * steps (POPULATION x STEPS, {@link PbtBenchSupport}). PBT: the population starts at uniform h (or,
 * with "paper", at h = (1, 0), (0, 1), (1, 0), ... as in the paper) and perturbs every INTERVAL
 * steps until the steps are spent, with Ray Tune's ranking (the default) and with lineages ranked
 * at equal budget. Random search: POPULATION uniform h in [0, 1]^2, each trained
 * STEPS steps. ASHA: budgets INTERVAL..STEPS, eta 3, promoted configurations continue from their
 * checkpoint, until the steps are spent. Prints CSV: method,seed,q,steps.
 *
 * <p>Usage: java -cp CLASSES:CP ToyPbtBench SEEDS POPULATION INTERVAL STEPS [paper]
 */
public class ToyPbtBench {

  static double trueQ(double t0, double t1) {
    return 1.2 - (t0 * t0 + t1 * t1);
  }

  /** Trains a trial from its checkpoint to its budget (STEPS without one); counts the steps. */
  static TrialResult train(Trial trial, int steps, AtomicLong spent) {
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
    long budget = trial.budget().isPresent() ? (long) trial.budget().getAsDouble() : steps;
    for (; step < budget; step++) {
      t0 += 0.01 * (-2 * h0 * t0);
      t1 += 0.01 * (-2 * h1 * t1);
      spent.incrementAndGet();
    }
    trial.checkpoint().save(ByteBuffer.allocate(24).putDouble(t0).putDouble(t1).putLong(step).array());
    return TrialResult.of(trueQ(t0, t1));
  }

  public static void main(String[] args) throws Exception {
    int seeds = Integer.parseInt(args[0]);
    int population = Integer.parseInt(args[1]);
    int interval = Integer.parseInt(args[2]);
    int steps = Integer.parseInt(args[3]);
    long total = (long) population * steps;
    // The paper starts from h = (1, 0) and (0, 1); those tie exactly (theta starts symmetric), and
    // Ray's PBT then never exploits, so by default both sides start from uniform h of the seed.
    boolean paperStart = args.length > 4 && args[4].equals("paper");
    PbtBenchSupport.Segment segment = (t, spent) -> train(t, steps, spent);
    System.out.println("method,seed,q,steps");
    for (int seed = 0; seed < seeds; seed++) {
      PbtBenchSupport bench = new PbtBenchSupport("q", seed);
      bench.print(
          "knobflow-pbt",
          bench.pbt(
              PbtSettings.builder(population, interval).seed(seed).build(),
              total,
              segment,
              study -> {
                for (int m = 0; paperStart && m < population; m++) {
                  study.enqueue(Map.of("h0", m % 2 == 0 ? 1.0 : 0.0, "h1", m % 2 == 0 ? 0.0 : 1.0));
                }
              }));
      bench.print(
          "knobflow-pbt-equal-budget",
          bench.pbt(
              PbtSettings.builder(population, interval)
                  .seed(seed)
                  .equalBudgetRanking(true)
                  .build(),
              total,
              segment,
              study -> {
                for (int m = 0; paperStart && m < population; m++) {
                  study.enqueue(Map.of("h0", m % 2 == 0 ? 1.0 : 0.0, "h1", m % 2 == 0 ? 0.0 : 1.0));
                }
              }));
      bench.print("knobflow-random", bench.random(population, 1, segment));
      bench.print("knobflow-asha", bench.asha(BudgetSettings.of(interval, steps), total, segment));
    }
  }
}
