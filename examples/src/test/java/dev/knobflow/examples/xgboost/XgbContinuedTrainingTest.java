package dev.knobflow.examples.xgboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.knobflow.optimizers.storage.InMemoryStorage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.Base64;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** Promoted Hyperband children continue their parent's boosters instead of starting over. */
class XgbContinuedTrainingTest {

  /** The single booster of a hold-out trial's checkpoint. */
  private static Booster booster(FrozenTrial t) throws Exception {
    byte[] bytes = Base64.getDecoder().decode((String) t.systemAttrs().get(Checkpoint.BYTES_ATTR));
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      assertEquals(1, in.readInt(), "one booster per fold");
      return XGBoost.loadModel(in.readNBytes(in.readInt()));
    }
  }

  @Test
  void promotedChildrenTrainOnlyTheExtraRoundsOnTheirParentsBooster() throws Exception {
    Study study =
        Study.builder("xgb-hb")
            .objectives(Objective.maximize(XgbObjective.ACCURACY))
            .storage(InMemoryStorage.create())
            .sampler(RandomSampler.seeded(4))
            .scheduler(BracketScheduler.hyperband(BudgetSettings.of(10, 90)))
            .build();
    // 10..90 with eta 3: 9 configurations at 10 rounds, the best 3 go on at 30, the best at 90.
    study.optimize(new XgbObjective(XgbConfig.defaults()), OptimizeOptions.trials(13));
    List<FrozenTrial> trials = study.trials();
    assertEquals(13, trials.size());
    int children = 0;
    for (FrozenTrial t : trials) {
      assertEquals(TrialState.COMPLETE, t.state(), t.toString());
      Booster model = booster(t);
      try {
        int budget = (int) t.budget();
        assertEquals(budget, model.getNumBoostedRound(), "the saved model has the budget's rounds");
        Object parentNumber = t.systemAttrs().get(Checkpoint.PARENT_ATTR);
        if (parentNumber == null) {
          assertEquals(10, budget);
          assertEquals(10.0, t.metrics().get(XgbObjective.ROUNDS_TRAINED), 0.0);
          assertEquals("10", model.getAttr(XgbObjective.ROUNDS_HISTORY_ATTR));
          continue;
        }
        children++;
        FrozenTrial parent = trials.get(((Number) parentNumber).intValue());
        int parentBudget = (int) parent.budget();
        assertTrue(budget > parentBudget, t.toString());
        assertEquals(
            budget - parentBudget,
            t.metrics().get(XgbObjective.ROUNDS_TRAINED),
            0.0,
            "only the extra rounds are trained");
        Booster parentModel = booster(parent);
        try {
          // The lineage recorded inside the model proves it grew from the parent's booster.
          assertEquals(
              parentModel.getAttr(XgbObjective.ROUNDS_HISTORY_ATTR) + "," + budget,
              model.getAttr(XgbObjective.ROUNDS_HISTORY_ATTR));
          // Its first trees are the parent's trees.
          String[] parentTrees = parentModel.getModelDump("", false);
          String[] childTrees = model.getModelDump("", false);
          for (int i = 0; i < parentTrees.length; i++) {
            assertEquals(parentTrees[i], childTrees[i], "tree " + i);
          }
        } finally {
          parentModel.dispose();
        }
      } finally {
        model.dispose();
      }
    }
    assertEquals(4, children, "3 promoted to 30 rounds, 1 to 90");
  }

  @Test
  void withoutABudgetNothingIsCheckpointed() {
    Study study =
        Study.builder("plain")
            .objectives(Objective.maximize(XgbObjective.ACCURACY))
            .storage(InMemoryStorage.create())
            .sampler(RandomSampler.seeded(1))
            .build();
    study.optimize(
        new XgbObjective(XgbConfig.defaults().withRounds(20)), OptimizeOptions.trials(1));
    FrozenTrial t = study.trials().get(0);
    assertFalse(t.systemAttrs().containsKey(Checkpoint.BYTES_ATTR));
    assertEquals(20.0, t.metrics().get(XgbObjective.ROUNDS_TRAINED), 0.0);
  }
}
