import dev.knobflow.examples.djl.MlpConfig;
import dev.knobflow.examples.djl.MlpSegmentTrainer;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import dev.knobflow.optimizers.schedulers.pbt.PbtSettings;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Knobflow's side of the digits PBT benchmark: the DJL MLP on the bundled digits (one hidden layer,
 * plain SGD, {@link MlpSegmentTrainer}, the same trainer Ray Tune's side calls through
 * MlpTrainServer), learning rate and weight decay as the schedule, held-out accuracy as the score.
 * Every method trains the same number of epochs (POPULATION x EPOCHS, {@link PbtBenchSupport}):
 *
 * <ul>
 *   <li>PBT: POPULATION members, a perturbation every INTERVAL epochs (async, quantile 0.25,
 *       resample 0.25, factors 0.8 / 1.2; one segment at a time), until the study budget on the
 *       epochs trained is spent; once with Ray Tune's ranking (each member's latest result, the
 *       default) and once ranking lineages at equal budget ({@code equalBudgetRanking});
 *   <li>random search: POPULATION configurations trained EPOCHS epochs each, 2 at a time;
 *   <li>ASHA: budgets INTERVAL..EPOCHS epochs, eta 3, promoted trials continue from their
 *       checkpoint, until the epochs are spent; the score is the best result at the largest budget
 *       reached.
 * </ul>
 *
 * The model seed (initial weights, batch order) is the benchmark seed on both sides. Prints CSV:
 * method,seed,accuracy,epochs. With FIRST_SEED and "pbt-only", runs seeds FIRST_SEED.. and PBT
 * alone (to study the scheduler on seeds other than the reported ones).
 *
 * <p>Usage: java -cp CLASSES:CP DigitsPbtBench SEEDS POPULATION INTERVAL EPOCHS UNITS BATCH
 * [FIRST_SEED [pbt-only]]
 */
public class DigitsPbtBench {

  public static void main(String[] args) throws Exception {
    int seeds = Integer.parseInt(args[0]);
    int population = Integer.parseInt(args[1]);
    int interval = Integer.parseInt(args[2]);
    int epochs = Integer.parseInt(args[3]);
    MlpSegmentTrainer trainer =
        new MlpSegmentTrainer(
            MlpConfig.defaults(), 1, Integer.parseInt(args[4]), Integer.parseInt(args[5]));
    int first = args.length > 6 ? Integer.parseInt(args[6]) : 0;
    boolean pbtOnly = args.length > 7 && args[7].equals("pbt-only");
    long total = (long) population * epochs;
    System.out.println("method,seed,accuracy,epochs");
    for (int seed = first; seed < first + seeds; seed++) {
      final long s = seed;
      // Trains a trial from its checkpoint (if any) to its budget (EPOCHS without one).
      PbtBenchSupport.Segment segment =
          (Trial t, AtomicLong spent) -> {
            double lr = t.suggestFloat("lr", MlpSegmentTrainer.LEARNING_RATE);
            double wd = t.suggestFloat("weight_decay", MlpSegmentTrainer.WEIGHT_DECAY);
            int to = t.budget().isPresent() ? (int) Math.round(t.budget().getAsDouble()) : epochs;
            MlpSegmentTrainer.Segment r = trainer.train(t.checkpoint().load(), to, lr, wd, s);
            spent.addAndGet(r.epochsTrained());
            t.checkpoint().save(r.checkpoint());
            return TrialResult.of(r.accuracy());
          };
      PbtBenchSupport bench = new PbtBenchSupport("accuracy", seed);
      bench.print(
          "knobflow-pbt",
          bench.pbt(
              PbtSettings.builder(population, interval).seed(seed).build(),
              total,
              segment,
              study -> {}));
      // The same with PBT's opt-in ranking of lineages at equal budget.
      bench.print(
          "knobflow-pbt-equal-budget",
          bench.pbt(
              PbtSettings.builder(population, interval)
                  .seed(seed)
                  .equalBudgetRanking(true)
                  .build(),
              total,
              segment,
              study -> {}));
      if (pbtOnly) {
        continue;
      }
      bench.print("knobflow-random", bench.random(population, 2, segment));
      bench.print("knobflow-asha", bench.asha(BudgetSettings.of(interval, epochs), total, segment));
    }
  }
}
