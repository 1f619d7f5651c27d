package dev.knobflow.plugin.report;

import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.StudyStorage;
import java.util.List;
import java.util.Map;

/**
 * Studies for report tests: 1, 2 or 3 objectives, three parameters (log float, int, categorical),
 * intermediate values, every 5th trial pruned, every 7th failed (after a diverging value), a
 * constraint that some trials violate, and energy metrics.
 */
public final class ReportFixtures {

  private ReportFixtures() {}

  public static List<Objective> objectives(int count) {
    return switch (count) {
      case 1 -> List.of(Objective.minimize("loss"));
      case 2 -> List.of(Objective.maximize("accuracy"), Objective.minimize("energy_wh"));
      case 3 ->
          List.of(
              Objective.maximize("accuracy"),
              Objective.minimize("energy_wh"),
              Objective.minimize("latency_ms"));
      default -> throw new IllegalArgumentException("count " + count);
    };
  }

  public static Study study(String name, int objectiveCount, int trials) {
    return study(name, objectiveCount, trials, InMemoryStorage.create());
  }

  public static Study study(String name, int objectiveCount, int trials, StudyStorage storage) {
    Study study =
        Study.builder(name)
            .objectives(objectives(objectiveCount))
            .storage(storage)
            .sampler(RandomSampler.seeded(7))
            .build();
    for (int i = 0; i < trials; i++) {
      Trial trial = study.ask();
      double lr = trial.suggestFloat("lr", 1e-4, 1e-1, true);
      int depth = trial.suggestInt("depth", 2, 10);
      String booster = trial.suggestCategorical("booster", "gbtree", "dart", "linear");
      double quality = 1 - Math.abs(Math.log10(lr) + 2) / 3 - (booster.equals("linear") ? 0.2 : 0);
      double accuracy = 0.5 + 0.45 * quality + 0.004 * depth;
      double energy = 0.01 * depth * depth + 0.1 * (booster.equals("dart") ? 1 : 0);
      double latency = depth * 0.7 + (booster.equals("gbtree") ? 1 : 0);
      double[] values =
          switch (objectiveCount) {
            case 1 -> new double[] {1 - accuracy};
            case 2 -> new double[] {accuracy, energy};
            default -> new double[] {accuracy, energy, latency};
          };
      for (int step = 0; step < 5; step++) {
        double[] partial = values.clone();
        partial[0] = values[0] * (objectiveCount == 1 ? 1 + 1.0 / (step + 1) : step / 4.0 + 0.5);
        trial.report(step, partial);
      }
      if (i % 7 == 6) {
        double[] diverged = values.clone();
        diverged[0] = Double.NaN;
        trial.report(5, diverged);
        study.tellFailed(trial.number(), "loss diverged");
      } else if (i % 5 == 4) {
        study.tellPruned(trial, "pruned at step 4");
      } else {
        study.tell(
            trial,
            TrialResult.of(values)
                .withConstraints(latency - 6.5)
                .withMetrics(Map.of("energy_wh", energy, "co2_g", energy * 0.4)));
      }
    }
    return study;
  }
}
