package dev.knobflow.optimizers.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only a declared numerical failure makes a sampler's trial random; a bug fails loudly. */
class SamplerFailureTest {

  private static final SearchSpace SPACE =
      SearchSpace.builder().floatParam("x", 0, 1).floatParam("y", 0, 1).build();

  private static Study study(Sampler sampler) {
    return Study.builder("failing")
        .objectives(Objective.minimize("f"))
        .space(SPACE)
        .sampler(sampler)
        .build();
  }

  private static void run(Study study, int trials) {
    for (int i = 0; i < trials; i++) {
      Trial t = study.ask();
      double x = (double) t.params().get("x");
      double y = (double) t.params().get("y");
      study.tell(t, TrialResult.of((x - 0.3) * (x - 0.3) + (y - 0.6) * (y - 0.6)));
    }
  }

  @Test
  void aBugInTpeFailsTheTrialStartInsteadOfSamplingAtRandom() {
    // A weight function of the wrong length is a programming error inside the model: before
    // issue 17 TPE caught it and silently became random search.
    Sampler buggy = TpeSampler.builder().seed(1).weights(n -> new double[n + 1]).build();
    Study study = study(buggy);
    run(study, 10); // start-up trials do not use the model
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, study::ask);
    assertTrue(e.getMessage().contains("weights"), e.getMessage());
    FrozenTrial last = study.trials().get(10);
    assertEquals(TrialState.FAIL, last.state(), "the trial that could not start is failed");
  }

  @Test
  void anUnexpectedExceptionFromAnySamplerPropagates() {
    Sampler npe =
        new Sampler() {
          @Override
          public RelativeSample sampleRelative(
              StudyView study, FrozenTrial trial, Map<String, Distribution> space) {
            throw new NullPointerException("bug");
          }

          @Override
          public Object sampleIndependent(
              StudyView study, FrozenTrial trial, String name, Distribution distribution) {
            return distribution.fromUnit(0.5);
          }
        };
    Study study = study(npe);
    assertThrows(NullPointerException.class, study::ask);
  }

  @Test
  void aNumericalFailureSamplesTheTrialAtRandomAndRecordsTheReason() {
    Sampler failing =
        new Sampler() {
          private final RandomSampler random = RandomSampler.seeded(3);

          @Override
          public Map<String, Distribution> relativeSearchSpace(StudyView study, FrozenTrial trial) {
            return SearchSpaces.declaredOrIntersection(study);
          }

          @Override
          public RelativeSample sampleRelative(
              StudyView study, FrozenTrial trial, Map<String, Distribution> space) {
            if (trial.number() == 2) {
              throw new NumericalFailureException("kernel matrix is not positive definite");
            }
            return new RelativeSample(Map.of("x", 0.25, "y", 0.75), Map.of("model", "ok"));
          }

          @Override
          public Object sampleIndependent(
              StudyView study, FrozenTrial trial, String name, Distribution distribution) {
            return random.sampleIndependent(study, trial, name, distribution);
          }
        };
    Study study = study(failing);
    run(study, 4);
    FrozenTrial fallback = study.trials().get(2);
    assertEquals(TrialState.COMPLETE, fallback.state());
    assertEquals(
        "kernel matrix is not positive definite",
        fallback.systemAttrs().get(Sampler.FALLBACK_ATTR));
    assertNull(fallback.systemAttrs().get("model"));
    assertFalse(fallback.params().get("x").equals(0.25), "sampled independently");
    FrozenTrial modelled = study.trials().get(3);
    assertEquals(0.25, modelled.params().get("x"));
    assertEquals("ok", modelled.systemAttrs().get("model"), "attributes travel with the sample");
    assertNull(modelled.systemAttrs().get(Sampler.FALLBACK_ATTR));
  }
}
