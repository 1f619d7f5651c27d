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
import dev.knobflow.optimizers.schedulers.hyperband.BracketScheduler;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import java.util.SplittableRandom;

/**
 * Counting ones (BOHB paper): N categorical {0,1} and N continuous [0,1] parameters. At budget b the
 * loss is -(sum of categoricals + sum over x_j of the mean of b Bernoulli(x_j) draws); the true
 * loss is -(sum of all values), optimum -2N. Each evaluation costs its full budget (no resume
 * credit). Prints CSV: method,n,seed,cum_budget,regret (incumbent = best observed loss on the
 * largest budget evaluated so far; regret = its true loss + 2N).
 *
 * <p>Usage: java -cp CP CountingOnesBench.java SEEDS TOTAL_BUDGET_IN_R N...
 */
public class CountingOnesBench {

  static final double MIN = 9;
  static final double MAX = 729;

  public static void main(String[] args) {
    int seeds = Integer.parseInt(args[0]);
    double total = Double.parseDouble(args[1]) * MAX;
    System.out.println("method,n,seed,cum_budget,regret");
    for (int a = 2; a < args.length; a++) {
      int n = Integer.parseInt(args[a]);
      for (int seed = 0; seed < seeds; seed++) {
        BudgetSettings budgets = BudgetSettings.of(MIN, MAX);
        Bohb bohb = Bohb.create(budgets, seed);
        run("bohb", n, seed, total, bohb.sampler(), bohb.scheduler());
        run("hyperband", n, seed, total, RandomSampler.seeded(seed), BracketScheduler.hyperband(budgets));
        run("asha", n, seed, total, RandomSampler.seeded(seed), BracketScheduler.asha(budgets));
        run("random", n, seed, total, RandomSampler.seeded(seed), Scheduler.none());
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
    StringBuilder out = new StringBuilder();
    while (spent < total) {
      Trial t = study.ask();
      double b = t.budget().orElse(MAX);
      SplittableRandom draws = Seeds.forTrial(Seeds.mix(seed, 7919), t.number());
      double observed = 0;
      double truth = 0;
      for (int i = 0; i < n; i++) {
        double c = ((Number) t.params().get("c" + i)).doubleValue();
        double x = (Double) t.params().get("x" + i);
        int ones = 0;
        for (int k = 0; k < (int) Math.round(b); k++) {
          if (draws.nextDouble() < x) {
            ones++;
          }
        }
        observed += c + ones / Math.round(b);
        truth += c + x;
      }
      study.tell(t, TrialResult.of(-observed));
      spent += b;
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
