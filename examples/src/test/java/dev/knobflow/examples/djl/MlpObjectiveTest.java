package dev.knobflow.examples.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.schedulers.hyperband.BracketScheduler;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlpObjectiveTest {

  private static Study study(String name, Objective... objectives) {
    return Study.builder(name).objectives(objectives).sampler(RandomSampler.seeded(1)).build();
  }

  static Map<String, Object> params(double lr, String optimizer, long layers) {
    return Map.of(
        "lr",
        lr,
        "hidden_layers",
        layers,
        "hidden_units",
        64L,
        "batch_size",
        32,
        "optimizer",
        optimizer);
  }

  private static FrozenTrial runOne(Study study, Map<String, Object> params, int epochs) {
    study.enqueue(params);
    study.optimize(
        new MlpObjective(MlpConfig.defaults().withEpochs(epochs)), OptimizeOptions.trials(1));
    return study.trials().get(study.trials().size() - 1);
  }

  @Test
  void aSaneLearningRateLearnsDigitsWellAboveChanceAndReportsEveryEpoch() {
    Study study = study("sane", Objective.maximize("accuracy"), Objective.minimize("latency_ms"));
    FrozenTrial t = runOne(study, params(0.5, "sgd", 1), 4);
    assertEquals(TrialState.COMPLETE, t.state(), String.valueOf(t.failReason()));
    double accuracy = t.values().get(0);
    // Ten classes: chance is 0.1.
    assertTrue(accuracy > 0.8, "accuracy " + accuracy);
    assertTrue(t.values().get(1) > 0, "latency " + t.values());
    assertEquals(List.of(1L, 2L, 3L, 4L), List.copyOf(t.intermediateValues().keySet()));
    assertEquals(accuracy, t.intermediateValues().get(4L).get(0), 1e-12);
    assertTrue(t.intermediateValues().get(1L).get(0) < accuracy, "the curve should rise: " + t);
    assertEquals(4.0, t.metrics().get(MlpObjective.EPOCHS_TRAINED));
    assertEquals(64 * 64 + 64 + 64 * 10 + 10, t.metrics().get(MlpObjective.PARAMETERS));
  }

  @Test
  void theSameSeedTrainsTheSameNetwork() {
    Study study = study("seeded", Objective.minimize("val_loss"));
    FrozenTrial a = runOne(study, params(0.05, "adam", 2), 2);
    FrozenTrial b = runOne(study, params(0.05, "adam", 2), 2);
    assertEquals(a.values(), b.values());
    assertEquals(a.intermediateValues(), b.intermediateValues());
  }

  @Test
  void aDivergingLearningRateReportsTheNonFiniteLossAndFailsTheTrial() {
    Study study =
        study("diverging", Objective.minimize("train_loss"), Objective.maximize("accuracy"));
    FrozenTrial t = runOne(study, params(10.0, "sgd", 3), 3);
    assertEquals(TrialState.FAIL, t.state());
    assertTrue(t.failReason().contains("diverged at epoch 1"), t.failReason());
    assertTrue(t.failReason().contains("lr=10.0"), t.failReason());
    // The curve has the broken epoch: the loss and the accuracy both non-finite.
    List<Double> first = t.intermediateValues().get(1L);
    assertTrue(Double.isNaN(first.get(0)) || Double.isInfinite(first.get(0)), "loss " + first);
    assertTrue(Double.isNaN(first.get(1)), "accuracy " + first);
  }

  @Test
  void anExplodingLossShowsInTheCurveAndEndsAtChance() {
    // One hidden layer survives lr=10 numerically, but the first epoch's loss explodes far above
    // the 2.3 of a uniform guess and the network ends dead, predicting one class.
    Study study =
        study("exploding", Objective.minimize("train_loss"), Objective.maximize("accuracy"));
    FrozenTrial t = runOne(study, params(10.0, "sgd", 1), 3);
    assertEquals(TrialState.COMPLETE, t.state(), String.valueOf(t.failReason()));
    assertTrue(t.intermediateValues().get(1L).get(0) > 5, "loss " + t.intermediateValues());
    assertTrue(t.values().get(1) < 0.2, "accuracy " + t.values());
  }

  @Test
  void anObjectiveNotKnownPerEpochIsReportedAsNaN() {
    Study study =
        study("unknown", Objective.maximize("accuracy"), Objective.minimize("model_size_bytes"));
    study.enqueue(params(0.5, "sgd", 1));
    study.optimize(new MlpObjective(MlpConfig.defaults().withEpochs(1)), OptimizeOptions.trials(1));
    FrozenTrial t = study.trials().get(0);
    List<Double> step = t.intermediateValues().get(1L);
    assertTrue(step.get(0) > 0.1, "accuracy " + step);
    assertTrue(Double.isNaN(step.get(1)), "unknown objective " + step);
  }

  @Test
  void aPromotedTrialContinuesItsParentsWeightsAndTrainsOnlyTheMissingEpochs() {
    // Hyperband 1..3 epochs, eta 3: three configurations at 1 epoch, the best promoted to 3.
    Study study =
        Study.builder("promoted")
            .objectives(Objective.maximize("accuracy"))
            .sampler(RandomSampler.seeded(3))
            .scheduler(BracketScheduler.hyperband(BudgetSettings.of(1, 3)))
            .build();
    for (int i = 0; i < 3; i++) {
      study.enqueue(params(0.1 * (i + 1), "sgd", 1));
    }
    study.optimize(new MlpObjective(MlpConfig.defaults()), OptimizeOptions.trials(4));
    FrozenTrial child = study.trials().get(3);
    assertEquals(TrialState.COMPLETE, child.state(), String.valueOf(child.failReason()));
    assertEquals(3.0, child.budget());
    Object parent = child.systemAttrs().get(Checkpoint.PARENT_ATTR);
    assertTrue(parent instanceof Number, "parent attribute " + child.systemAttrs());
    FrozenTrial parentTrial = study.trials().get(((Number) parent).intValue());
    assertEquals(parentTrial.params(), child.params());
    assertEquals(2.0, child.metrics().get(MlpObjective.EPOCHS_TRAINED));
    // Its curve goes on from the parent's: epochs 2 and 3.
    assertEquals(List.of(2L, 3L), List.copyOf(child.intermediateValues().keySet()));
    assertTrue(child.values().get(0) >= parentTrial.values().get(0) - 0.05, "child " + child);
  }
}
