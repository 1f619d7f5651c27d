package dev.knobflow.examples.xgboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.examples.data.Split;
import dev.knobflow.examples.data.Splits;
import dev.knobflow.examples.data.Table;
import dev.knobflow.examples.metrics.BinaryClassificationMetrics;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.schedulers.Scheduler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** XgbObjective reports its validation values after every boosting round and honours pruning. */
class XgbRoundReportsTest {

  private static final int ROUNDS = 20;

  private static final XgbParams FIXED = new XgbParams(0.1, 4, 0.8, 0.8, 2.0, 1.0);

  private static Study.Builder study(String name) {
    return Study.builder(name)
        .objectives(
            Objective.minimize(XgbObjective.LOG_LOSS),
            Objective.maximize(XgbObjective.ACCURACY),
            Objective.minimize(XgbObjective.LATENCY_MS))
        .sampler(RandomSampler.seeded(7));
  }

  private static Map<String, Object> fixedParams() {
    return Map.of(
        "eta", FIXED.eta(),
        "max_depth", (long) FIXED.maxDepth(),
        "subsample", FIXED.subsample(),
        "colsample_bytree", FIXED.colsampleBytree(),
        "min_child_weight", FIXED.minChildWeight(),
        "lambda", FIXED.lambda());
  }

  @Test
  void everyRoundIsReportedAndTheLastRoundIsTheModelXgboostTrainBuilds() throws Exception {
    XgbConfig config = XgbConfig.defaults().withRounds(ROUNDS);
    Study study = study("xgb-rounds").build();
    study.enqueue(fixedParams());
    study.optimize(new XgbObjective(config), OptimizeOptions.trials(1));
    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.COMPLETE, t.state(), String.valueOf(t.failReason()));

    assertEquals(ROUNDS, t.intermediateValues().size());
    assertEquals(1L, t.intermediateValues().firstKey());
    assertEquals((long) ROUNDS, t.intermediateValues().lastKey());
    List<Double> first = t.intermediateValues().firstEntry().getValue();
    List<Double> last = t.intermediateValues().lastEntry().getValue();
    assertTrue(last.get(0) < first.get(0), "log loss falls over the rounds: " + first + last);
    assertTrue(Double.isNaN(last.get(2)), "latency is not known per round: " + last);
    // The last round's values are the trial's final ones.
    assertEquals(t.values().get(0), last.get(0), 0.0);
    assertEquals(t.values().get(1), last.get(1), 0.0);

    // Round by round gives the model XGBoost.train builds in one call.
    Table table = config.data().load(XgbConfig.BUNDLED_DATASET);
    Split split =
        Splits.stratifiedHoldout(
            table.classLabels(), config.data().testFraction(), config.data().splitSeed());
    Table train = split.train(table);
    Table valid = split.test(table);
    DMatrix dtrain =
        new DMatrix(train.featuresRowMajor(), train.rowCount(), train.featureCount(), Float.NaN);
    dtrain.setLabel(train.targetsAsFloats());
    Booster booster =
        XGBoost.train(
            dtrain,
            FIXED.boosterParams(config.data().modelSeed()),
            ROUNDS,
            new HashMap<>(),
            null,
            null);
    float[][] predicted =
        booster.inplace_predict(
            valid.featuresRowMajor(), valid.rowCount(), valid.featureCount(), Float.NaN);
    float[] p = new float[predicted.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = predicted[i][0];
    }
    BinaryClassificationMetrics direct = BinaryClassificationMetrics.of(p, valid.targetsAsFloats());
    booster.dispose();
    dtrain.dispose();
    assertEquals(direct.logLoss(), t.values().get(0), 1e-12);
    assertEquals(direct.accuracy(), t.values().get(1), 0.0);
  }

  @Test
  void aTrialTheSchedulerPrunesStopsBoostingAtThatRound() {
    Scheduler pruneAfterFive =
        new Scheduler() {
          @Override
          public boolean shouldPrune(StudyView s, FrozenTrial t) {
            return !t.intermediateValues().isEmpty() && t.intermediateValues().lastKey() >= 5;
          }

          @Override
          public OptionalDouble budgetFor(StudyView s, FrozenTrial t) {
            return OptionalDouble.empty();
          }
        };
    Study study = study("xgb-pruned").scheduler(pruneAfterFive).build();
    study.optimize(
        new XgbObjective(XgbConfig.defaults().withRounds(ROUNDS)), OptimizeOptions.trials(1));
    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.PRUNED, t.state(), String.valueOf(t.failReason()));
    assertEquals(5, t.intermediateValues().size());
    assertEquals(5L, t.intermediateValues().lastKey());
  }

  @Test
  void withFoldsEachRoundReportsTheMeanOverFolds() {
    Study study = study("xgb-rounds-kfold").build();
    study.enqueue(fixedParams());
    study.optimize(
        new XgbObjective(XgbConfig.defaults().withRounds(10).withFolds(3)),
        OptimizeOptions.trials(1));
    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.COMPLETE, t.state(), String.valueOf(t.failReason()));
    assertEquals(10, t.intermediateValues().size());
    List<Double> last = t.intermediateValues().lastEntry().getValue();
    assertEquals(t.values().get(0), last.get(0), 1e-12);
    assertEquals(t.values().get(1), last.get(1), 1e-12);
  }
}
