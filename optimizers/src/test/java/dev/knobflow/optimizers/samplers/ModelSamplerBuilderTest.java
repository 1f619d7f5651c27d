package dev.knobflow.optimizers.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.samplers.gp.GpSampler;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options TPE's and GP's builders share through {@link ModelSamplerBuilder}. */
class ModelSamplerBuilderTest {

  @Test
  void eachSamplerKeepsItsOwnFewestStartupTrials() {
    IllegalArgumentException gp =
        assertThrows(IllegalArgumentException.class, () -> GpSampler.builder().startupTrials(1));
    assertEquals("startupTrials must be >= 2, got 1", gp.getMessage());
    IllegalArgumentException tpe =
        assertThrows(IllegalArgumentException.class, () -> TpeSampler.builder().startupTrials(-1));
    assertEquals("startupTrials must be >= 0, got -1", tpe.getMessage());
    TpeSampler.builder().startupTrials(0).build();
    GpSampler.builder().startupTrials(2).build();
  }

  @Test
  void sharedSettersReturnTheConcreteBuilderSoItsOwnOptionsChain() {
    TpeSampler tpe = TpeSampler.builder().seed(7).startupTrials(3).multivariate(true).build();
    assertEquals(7, tpe.seed());
    assertTrue(tpe.describe().contains("multivariate"), tpe.describe());
    GpSampler gp = GpSampler.builder().seed(8).kappa(1.5).candidates(16).build();
    assertTrue(gp.describe().startsWith("gp(seed=8"), gp.describe());
  }

  @Test
  void priorsAreCopiedAndNullIsRefusedByName() {
    List<PriorObservation> priors = new ArrayList<>();
    priors.add(PriorObservation.of(Map.of("x", 0.5), 1.0));
    TpeSampler tpe = TpeSampler.builder().priorObservations(priors).build();
    GpSampler gp = GpSampler.builder().priorObservations(priors).build();
    priors.clear();
    assertEquals(1, tpe.priors().size());
    assertEquals(1, gp.priors().size());
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> GpSampler.builder().priorObservations(null));
    assertEquals("priorObservations", e.getMessage());
  }
}
