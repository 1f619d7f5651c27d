package dev.knobflow.examples.xgboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.examples.data.Table;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.schedulers.Scheduler;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class XgbObjectiveTest {

  // Built once: it reads and splits the bundled data.
  private static XgbObjective defaults;

  @BeforeAll
  static void prepare() {
    defaults = new XgbObjective(XgbConfig.defaults());
  }

  private static Study.Builder study(String name) {
    return Study.builder(name)
        .objectives(
            Objective.maximize(XgbObjective.ACCURACY), Objective.minimize(XgbObjective.LATENCY_MS))
        .sampler(RandomSampler.seeded(42));
  }

  private static final Map<String, Object> FIXED =
      Map.of(
          "eta", 0.1,
          "max_depth", 4L,
          "subsample", 0.8,
          "colsample_bytree", 0.8,
          "min_child_weight", 2.0,
          "lambda", 1.0);

  @Test
  void threeTrialStudyOnBreastCancerIsAccurateAndReportsLatencyAndExtraMetrics() {
    Study study = study("xgb-3").build();
    study.optimize(defaults, OptimizeOptions.trials(3));
    List<FrozenTrial> trials = study.trials();
    assertEquals(3, trials.size());
    for (FrozenTrial t : trials) {
      assertEquals(TrialState.COMPLETE, t.state(), String.valueOf(t.failReason()));
      double accuracy = t.values().get(0);
      double latency = t.values().get(1);
      assertTrue(accuracy > 0.85 && accuracy <= 1.0, "accuracy " + accuracy);
      assertTrue(latency > 0 && latency < 1000, "latency_ms " + latency);
      assertTrue(t.metrics().get(XgbObjective.AUC) > 0.9, "auc " + t.metrics());
      assertTrue(t.metrics().get(XgbObjective.LOG_LOSS) > 0, "logloss " + t.metrics());
      assertTrue(t.metrics().get(XgbObjective.TRAIN_TIME_MS) > 0, "train time " + t.metrics());
      assertTrue(t.metrics().get(XgbObjective.MODEL_SIZE_BYTES) > 1000, "size " + t.metrics());
      assertEquals(
          List.of(
              "eta", "max_depth", "subsample", "colsample_bytree", "min_child_weight", "lambda"),
          List.copyOf(t.params().keySet()));
      double eta = (Double) t.params().get("eta");
      assertTrue(eta >= 0.01 && eta <= 0.3, "eta " + eta);
      long depth = (Long) t.params().get("max_depth");
      assertTrue(depth >= 2 && depth <= 10, "max_depth " + depth);
    }
  }

  @Test
  void sameParametersGiveTheSameModelAndAccuracy() {
    Study study = study("xgb-repeat").build();
    study.enqueue(FIXED);
    study.enqueue(FIXED);
    study.optimize(defaults, OptimizeOptions.trials(2));
    FrozenTrial a = study.trials().get(0);
    FrozenTrial b = study.trials().get(1);
    assertEquals(FIXED.get("eta"), a.params().get("eta"));
    assertEquals(a.values().get(0), b.values().get(0));
    assertEquals(a.metrics().get(XgbObjective.LOG_LOSS), b.metrics().get(XgbObjective.LOG_LOSS));
    assertEquals(
        a.metrics().get(XgbObjective.MODEL_SIZE_BYTES),
        b.metrics().get(XgbObjective.MODEL_SIZE_BYTES));
  }

  @Test
  void aGrantedBudgetIsTheNumberOfBoostingRounds() {
    Scheduler fiveRounds =
        new Scheduler() {
          @Override
          public boolean shouldPrune(dev.knobflow.optimizers.StudyView s, FrozenTrial t) {
            return false;
          }

          @Override
          public OptionalDouble budgetFor(dev.knobflow.optimizers.StudyView s, FrozenTrial t) {
            return OptionalDouble.of(5);
          }
        };
    Study small = study("xgb-budget").scheduler(fiveRounds).build();
    Study full = study("xgb-full").build();
    small.enqueue(FIXED);
    full.enqueue(FIXED);
    small.optimize(defaults, OptimizeOptions.trials(1));
    full.optimize(defaults, OptimizeOptions.trials(1));
    double smallSize = small.trials().get(0).metrics().get(XgbObjective.MODEL_SIZE_BYTES);
    double fullSize = full.trials().get(0).metrics().get(XgbObjective.MODEL_SIZE_BYTES);
    // 5 trees instead of 100: the saved model is many times smaller.
    assertTrue(smallSize * 5 < fullSize, smallSize + " vs " + fullSize);
  }

  @Test
  void declaredSpaceWithTheSameDistributionsWorksToo() {
    Study study = study("xgb-declared").space(XgbParams.searchSpace()).build();
    XgbObjective quick = new XgbObjective(XgbConfig.defaults().withRounds(20));
    study.optimize(quick, OptimizeOptions.trials(1));
    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.COMPLETE, t.state(), String.valueOf(t.failReason()));
    assertEquals(XgbParams.searchSpace().distributions(), t.distributions());
  }

  @Test
  void kFoldAveragesOverFolds() {
    XgbObjective kFold = new XgbObjective(XgbConfig.defaults().withRounds(20).withFolds(3));
    Study study = study("xgb-kfold").build();
    study.enqueue(FIXED);
    study.optimize(kFold, OptimizeOptions.trials(1));
    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.COMPLETE, t.state(), String.valueOf(t.failReason()));
    assertTrue(t.values().get(0) > 0.85, "accuracy " + t.values());
  }

  @Test
  void aTargetOtherThanZeroOrOneIsRejectedWithTheRow() {
    Table threeClasses =
        new Table(
            "three.csv",
            List.of("x"),
            "target",
            new double[][] {{1}, {2}, {3}, {4}},
            new double[] {0, 1, 2, 1});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new XgbObjective(XgbConfig.defaults(), threeClasses));
    assertEquals(
        "three.csv: the XGBoost example is binary classification; target column 'target' must"
            + " hold 0 or 1, but row 2 has 2",
        e.getMessage());
  }
}
