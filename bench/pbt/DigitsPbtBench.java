import dev.knobflow.examples.djl.MlpConfig;
import dev.knobflow.examples.djl.MlpSegmentTrainer;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.schedulers.hyperband.BracketScheduler;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.optimizers.schedulers.pbt.PbtSettings;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Knobflow's side of the digits PBT benchmark: the DJL MLP on the bundled digits (one hidden layer,
 * plain SGD, {@link MlpSegmentTrainer}, the same trainer Ray Tune's side calls through
 * MlpTrainServer), learning rate and weight decay as the schedule, held-out accuracy as the score.
 * Every method gets the same number of epochs (POPULATION x EPOCHS):
 *
 * <ul>
 *   <li>PBT: POPULATION members, a perturbation every INTERVAL epochs, max_budget EPOCHS (the
 *       study ends when every member has trained EPOCHS epochs; async, quantile 0.25, resample
 *       0.25, factors 0.8 / 1.2; one segment at a time);
 *   <li>random search: POPULATION configurations trained EPOCHS epochs each, 2 at a time;
 *   <li>ASHA: budgets INTERVAL..EPOCHS epochs, eta 3, promoted trials continue from their
 *       checkpoint, until the epochs are spent; the score is the best result at the largest budget
 *       reached.
 * </ul>
 *
 * The model seed (initial weights, batch order) is the benchmark seed on both sides. Prints CSV:
 * method,seed,accuracy,epochs.
 *
 * <p>Usage: java -cp CP bench/pbt/DigitsPbtBench.java SEEDS POPULATION INTERVAL EPOCHS UNITS BATCH
 */
public class DigitsPbtBench {

  static MlpSegmentTrainer trainer;

  /** Trains a trial from its checkpoint (if any) to its budget; counts the epochs trained. */
  static TrialResult segment(Trial trial, int epochs, long seed, AtomicLong spent)
      throws Exception {
    double lr = trial.suggestFloat("lr", MlpSegmentTrainer.LEARNING_RATE);
    double wd = trial.suggestFloat("weight_decay", MlpSegmentTrainer.WEIGHT_DECAY);
    int to =
        trial.budget().isPresent()
            ? (int) Math.min(epochs, Math.round(trial.budget().getAsDouble()))
            : epochs;
    MlpSegmentTrainer.Segment s = trainer.train(trial.checkpoint().load(), to, lr, wd, seed);
    spent.addAndGet(s.epochsTrained());
    trial.checkpoint().save(s.checkpoint());
    return TrialResult.of(s.accuracy());
  }

  public static void main(String[] args) throws Exception {
    int seeds = Integer.parseInt(args[0]);
    int population = Integer.parseInt(args[1]);
    int interval = Integer.parseInt(args[2]);
    int epochs = Integer.parseInt(args[3]);
    trainer =
        new MlpSegmentTrainer(
            MlpConfig.defaults(), 1, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
    long total = (long) population * epochs;
    System.out.println("method,seed,accuracy,epochs");
    for (int seed = 0; seed < seeds; seed++) {
      final long s = seed;
      AtomicLong spent = new AtomicLong();
      // One segment at a time until every member has trained EPOCHS epochs (the scheduler's
      // max_budget, Ray's stop criterion): the scheduler then reports the study exhausted.
      Study pbt =
          Study.builder("pbt-" + seed)
              .storage(InMemoryStorage.create())
              .objectives(Objective.maximize("accuracy"))
              .sampler(RandomSampler.seeded(seed))
              .scheduler(
                  PbtScheduler.create(
                      PbtSettings.builder(population, interval).seed(seed).maxBudget(epochs).build()))
              .build();
      pbt.optimize(t -> segment(t, epochs, s, spent), OptimizeOptions.trials(population * epochs));
      double best =
          pbt.trials().stream()
              .filter(t -> t.state() == TrialState.COMPLETE && t.budget() >= epochs)
              .mapToDouble(FrozenTrial::value)
              .max()
              .orElseThrow();
      System.out.printf("knobflow-pbt,%d,%.6f,%d%n", seed, best, spent.get());

      AtomicLong randomSpent = new AtomicLong();
      Study random =
          Study.builder("random-" + seed)
              .storage(InMemoryStorage.create())
              .objectives(Objective.maximize("accuracy"))
              .sampler(RandomSampler.seeded(seed))
              .build();
      random.optimize(
          t -> segment(t, epochs, s, randomSpent),
          OptimizeOptions.trials(population).withParallelism(2));
      double randomBest =
          random.trials().stream()
              .filter(t -> t.state() == TrialState.COMPLETE)
              .mapToDouble(FrozenTrial::value)
              .max()
              .orElseThrow();
      System.out.printf("knobflow-random,%d,%.6f,%d%n", seed, randomBest, randomSpent.get());

      // ASHA: one trial at a time until the same number of epochs is spent.
      AtomicLong ashaSpent = new AtomicLong();
      Study asha =
          Study.builder("asha-" + seed)
              .storage(InMemoryStorage.create())
              .objectives(Objective.maximize("accuracy"))
              .sampler(RandomSampler.seeded(seed))
              .scheduler(BracketScheduler.asha(BudgetSettings.of(interval, epochs)))
              .build();
      double ashaBest = -1;
      double ashaTopBudget = 0;
      while (ashaSpent.get() < total) {
        Trial t = asha.ask();
        FrozenTrial done = asha.tell(t, segment(t, epochs, s, ashaSpent));
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
