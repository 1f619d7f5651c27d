package dev.knobflow.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A prune requested by a listener (the advisor) or another process is recorded at the step it was
 * decided: the objective's later reports are not kept, whenever it gets round to stopping.
 */
class PruneRequestTest {

  private static final int STEPS = 30;

  /** Asks for a prune of every trial at {@code atStep}, as the advisor does from its listener. */
  private static StudyListener pruneAt(long atStep) {
    return new StudyListener() {
      @Override
      public void intermediateValueReported(
          StudyView study, FrozenTrial trial, long step, List<Double> values) {
        if (step == atStep) {
          ((Study) study).requestPrune(trial.number(), "advisor: diverging");
        }
      }
    };
  }

  /** Reports every step, as a command's buffered output does, and asks only at the end. */
  private static TrialResult reportAllThenAsk(Trial t) {
    t.suggestFloat("x", 0, 1);
    for (int step = 0; step < STEPS; step++) {
      t.report(step, 10.0 * step);
    }
    if (t.shouldPrune()) {
      throw new TrialPrunedException("pruned");
    }
    return TrialResult.of(-1);
  }

  @Test
  void aListenersPruneKeepsNoValueAfterTheStepItWasDecidedAt() {
    Study study =
        Study.builder("listener").sampler(RandomSampler.seeded(1)).listener(pruneAt(5)).build();
    study.optimize(PruneRequestTest::reportAllThenAsk, OptimizeOptions.trials(1));

    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.PRUNED, t.state());
    assertEquals(Set.of(0L, 1L, 2L, 3L, 4L, 5L), t.intermediateValues().keySet());
    assertEquals(List.of(50.0), t.values(), "the value at the decided step");
    assertEquals("pruned: advisor: diverging", t.failReason());
  }

  @Test
  void aRequestFromAnotherProcessIsSeenAtTheNextShouldPruneAndLaterReportsAreDropped() {
    InMemoryStorage storage = InMemoryStorage.create();
    Study worker = Study.builder("shared").storage(storage).build();
    Study other = Study.builder("shared").storage(storage).build();
    worker.optimize(
        t -> {
          for (int step = 0; step < STEPS; step++) {
            t.report(step, step);
            if (step == 7) {
              other.requestPrune(t.number(), "budget spent");
            }
            if (step % 3 == 0 && t.shouldPrune()) {
              // A sloppy objective that keeps going: nothing more is kept.
              assertTrue(t.shouldPrune(), "stays true");
              t.report(step + 100, -1);
              throw new TrialPrunedException("pruned at step " + step);
            }
          }
          return TrialResult.of(0);
        },
        OptimizeOptions.trials(1));

    FrozenTrial t = worker.trials().get(0);
    assertEquals(TrialState.PRUNED, t.state());
    assertEquals(9L, t.intermediateValues().keySet().stream().mapToLong(s -> s).max().orElse(-1));
    assertEquals(List.of(9.0), t.values());
    assertEquals("pruned at step 9: budget spent", t.failReason());
  }
}
