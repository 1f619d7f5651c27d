import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.Seeds;
import dev.knobflow.optimizers.schedulers.Scheduler;
import dev.knobflow.optimizers.schedulers.bohb.Bohb;
import dev.knobflow.optimizers.schedulers.bohb.BohbSettings;
import dev.knobflow.optimizers.schedulers.hyperband.BracketScheduler;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Counting ones (BOHB paper): N categorical {0,1} and N continuous [0,1] parameters. At budget b the
 * loss is -(sum of categoricals + sum over x_j of the mean of the first b Bernoulli(x_j) draws); the
 * true loss is -(sum of all values), optimum -2N.
 *
 * <p>Budget accounting is the same as the Optuna peer's (steps actually run): each configuration has
 * its own stream of draws per x_j, and a promoted child (system attribute {@code parent_trial})
 * continues its parent's draws and pays only {@code b - parent's budget}, as an objective resuming
 * from its parent's checkpoint would. A configuration started afresh pays its full budget.
 *
 * <p>Prints CSV: method,n,seed,cum_budget,regret. Incumbent (both sides alike): the best observed
 * loss on the largest budget evaluated so far; regret = its true loss + 2N.
 *
 * <p>Usage: java -cp CP CountingOnesBench.java SEEDS TOTAL_BUDGET_IN_R N... (system property
 * {@code bench.methods}, comma-separated, runs a subset of bohb,bohb-hpbandster,hyperband,asha,random; bohb-hpbandster is
 * BOHB with HpBandSter's joint KDE model, {@code BohbModel.HPBANDSTER}).
 */
public class CountingOnesBench {

  static final double MIN = 9;
  static final double MAX = 729;

  public static void main(String[] args) {
    int seeds = Integer.parseInt(args[0]);
    double total = Double.parseDouble(args[1]) * MAX;
    Set<String> methods =
        Set.of(System.getProperty("bench.methods", "bohb,bohb-hpbandster,hyperband,asha,random").split(","));
    System.out.println("method,n,seed,cum_budget,regret");
    for (int a = 2; a < args.length; a++) {
      int n = Integer.parseInt(args[a]);
      for (int seed = 0; seed < seeds; seed++) {
        BudgetSettings budgets = BudgetSettings.of(MIN, MAX);
        if (methods.contains("bohb")) {
          Bohb bohb = Bohb.create(budgets, seed);
          run("bohb", n, seed, total, bohb.sampler(), bohb.scheduler());
        }
        if (methods.contains("bohb-hpbandster")) {
          Bohb faithful = Bohb.create(BohbSettings.hpBandSter(budgets, seed));
          run("bohb-hpbandster", n, seed, total, faithful.sampler(), faithful.scheduler());
        }
        if (methods.contains("hyperband")) {
          run("hyperband", n, seed, total, RandomSampler.seeded(seed),
              BracketScheduler.hyperband(budgets));
        }
        if (methods.contains("asha")) {
          run("asha", n, seed, total, RandomSampler.seeded(seed), BracketScheduler.asha(budgets));
        }
        if (methods.contains("random")) {
          run("random", n, seed, total, RandomSampler.seeded(seed), Scheduler.none());
        }
      }
    }
  }

  static void run(String method, int n, int seed, double total, Sampler sampler, Scheduler scheduler) {
    SearchSpace.Builder space = SearchSpace.builder();
    for (int i = 0; i < n; i++) {
      space.add("c" + i, CategoricalDistribution.of(0, 1));
    }
    for (int i = 0; i < n; i++) {
      space.add("x" + i, new FloatDistribution(0, 1, false, 0));
    }
    Study study =
        Study.builder(method + "-" + n + "-" + seed)
            .space(space.build())
            .sampler(sampler)
            .scheduler(scheduler)
            .build();
    double spent = 0;
    double incumbentBudget = -1;
    double incumbentLoss = Double.POSITIVE_INFINITY;
    double incumbentRegret = Double.NaN;
    Map<Integer, Integer> rootOf = new HashMap<>();
    Map<Integer, Double> budgetOf = new HashMap<>();
    StringBuilder out = new StringBuilder();
    while (spent < total) {
      Trial t = study.ask();
      double b = t.budget().orElse(MAX);
      int draws = (int) Math.round(b);
      OptionalInt parent = t.checkpoint().parent();
      int root = parent.isPresent() ? rootOf.get(parent.getAsInt()) : t.number();
      double alreadyPaid = parent.isPresent() ? budgetOf.get(parent.getAsInt()) : 0;
      rootOf.put(t.number(), root);
      budgetOf.put(t.number(), b);
      double observed = 0;
      double truth = 0;
      for (int i = 0; i < n; i++) {
        double c = ((Number) t.params().get("c" + i)).doubleValue();
        double x = (Double) t.params().get("x" + i);
        SplittableRandom stream = Seeds.forParam(Seeds.mix(seed, 7919), root, "x" + i);
        int ones = 0;
        for (int k = 0; k < draws; k++) {
          if (stream.nextDouble() < x) {
            ones++;
          }
        }
        observed += c + (double) ones / draws;
        truth += c + x;
      }
      study.tell(t, TrialResult.of(-observed));
      spent += b - alreadyPaid;
      if (b > incumbentBudget || (b == incumbentBudget && -observed < incumbentLoss)) {
        incumbentBudget = b;
        incumbentLoss = -observed;
        incumbentRegret = 2 * n - truth;
      }
      out.append(method).append(',').append(n).append(',').append(seed).append(',')
          .append(spent).append(',').append(incumbentRegret).append('\n');
    }
    System.out.print(out);
    System.out.flush();
  }
}
