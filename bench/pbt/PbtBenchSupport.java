import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.budget.StudyBudget;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.schedulers.hyperband.BracketScheduler;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.optimizers.schedulers.pbt.PbtSettings;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What both PBT benchmarks (ToyPbtBench, DigitsPbtBench) run on Knobflow's side, each method at one
 * total budget of POPULATION x EPOCHS units (surrogate steps, epochs) of training: PBT bounded by a
 * study budget on the units it trains ({@link PbtScheduler#trainedBudget()}), random search over
 * POPULATION configurations trained EPOCHS units each, and ASHA until the units are spent. Every
 * study maximises one metric with a random sampler seeded by the benchmark seed. The objective
 * trains a trial from its checkpoint (if any) to its budget (EPOCHS when it has none) and counts
 * the units it actually trained in {@link #spent}.
 */
final class PbtBenchSupport {

  /** Trains one trial; adds the units it trained to {@code spent}, the method's count. */
  interface Segment {
    TrialResult train(Trial trial, AtomicLong spent) throws Exception;
  }

  /** A method's final score and the units it trained. */
  record Outcome(double best, long spent) {}

  private final String metric;
  private final long seed;

  PbtBenchSupport(String metric, long seed) {
    this.metric = metric;
    this.seed = seed;
  }

  private Study.Builder study(String name) {
    return Study.builder(name + "-" + seed)
        .storage(InMemoryStorage.create())
        .objectives(Objective.maximize(metric))
        .sampler(RandomSampler.seeded(seed));
  }

  /**
   * PBT until {@code total} units are trained; {@code setup} may enqueue first configurations. The
   * score is the best of the members' latest results (Ray's: each trial's last result).
   */
  Outcome pbt(PbtSettings settings, long total, Segment segment, Consumer<Study> setup)
      throws Exception {
    Study pbt =
        study("pbt")
            .scheduler(PbtScheduler.create(settings))
            .budget(StudyBudget.builder().limit(PbtScheduler.trainedBudget(), total).build())
            .build();
    setup.accept(pbt);
    AtomicLong spent = new AtomicLong();
    // The budget ends the study; the trial target only has to be out of its way.
    pbt.optimize(
        t -> segment.train(t, spent), OptimizeOptions.trials((int) total + settings.population()));
    Map<Object, FrozenTrial> latest = new HashMap<>();
    for (FrozenTrial t : pbt.trials()) {
      latest.put(t.systemAttrs().get(PbtScheduler.MEMBER_ATTR), t);
    }
    double best = latest.values().stream().mapToDouble(FrozenTrial::value).max().orElseThrow();
    return new Outcome(best, spent.get());
  }

  /** Random search: {@code configurations} trials, {@code parallelism} at a time. */
  Outcome random(int configurations, int parallelism, Segment segment) throws Exception {
    AtomicLong spent = new AtomicLong();
    Study random = study("random").build();
    random.optimize(
        t -> segment.train(t, spent),
        OptimizeOptions.trials(configurations).withParallelism(parallelism));
    double best = random.trials().stream().mapToDouble(FrozenTrial::value).max().orElseThrow();
    return new Outcome(best, spent.get());
  }

  /**
   * ASHA (eta 3) over {@code budgets}, promoted trials continuing from their checkpoint, one trial
   * at a time until {@code total} units are spent. The score is the incumbent: the best result at
   * the largest budget reached.
   */
  Outcome asha(BudgetSettings budgets, long total, Segment segment) throws Exception {
    AtomicLong spent = new AtomicLong();
    Study asha = study("asha").scheduler(BracketScheduler.asha(budgets)).build();
    double best = -Double.MAX_VALUE;
    double topBudget = 0;
    while (spent.get() < total) {
      Trial t = asha.ask();
      FrozenTrial done = asha.tell(t, segment.train(t, spent));
      if (done.budget() > topBudget) {
        topBudget = done.budget();
        best = done.value();
      } else if (done.budget() == topBudget) {
        best = Math.max(best, done.value());
      }
    }
    return new Outcome(best, spent.get());
  }

  /** Prints one CSV row: method,seed,score,units. */
  void print(String method, Outcome o) {
    System.out.printf("%s,%d,%.6f,%d%n", method, seed, o.best(), o.spent());
  }
}
