package dev.knobflow.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reasons the engine writes when a worker stops under a trial are the ones that do not count.
 */
class TrialTargetTest {

  private static Study study() {
    return Study.builder("t").objectives(Objective.minimize("loss")).seed(1).build();
  }

  @Test
  void staleTrialsDoNotCount() {
    Study study = study();
    study.ask();
    List<FrozenTrial> stale =
        study.storage().failStaleTrials("t", Duration.ZERO, Instant.now().plusSeconds(60));
    assertEquals(1, stale.size());
    assertFalse(TrialTarget.counts(stale.get(0)), stale.get(0).failReason());
  }

  @Test
  void interruptedTrialsDoNotCount() {
    Study study = study();
    study.ask();
    FrozenTrial interrupted = study.failRunningTrials("interrupted (Ctrl-C)").get(0);
    assertFalse(TrialTarget.counts(interrupted));
    // An objective interrupted mid-evaluation.
    study.optimize(
        t -> {
          throw new InterruptedException("stop");
        },
        OptimizeOptions.trials(1));
    FrozenTrial viaOptimize = study.trials().get(1);
    assertEquals("interrupted", viaOptimize.failReason());
    assertFalse(TrialTarget.counts(viaOptimize));
  }

  @Test
  void completePrunedAndGenuineFailuresCount() {
    Study study = study();
    assertTrue(TrialTarget.counts(study.tell(study.ask(), TrialResult.of(1.0))));
    assertTrue(TrialTarget.counts(study.tell(study.ask(), TrialResult.of(Double.NaN))));
    assertTrue(TrialTarget.counts(study.tellFailed(study.ask().number(), "boom")));
    Trial pruned = study.ask();
    pruned.report(0, 1.0);
    assertTrue(TrialTarget.counts(study.tellPruned(pruned, "pruned")));
    assertFalse(TrialTarget.counts(study.storage().trial("t", study.ask().number())), "RUNNING");
  }
}
