package dev.knobflow.plugin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.AutoSampler;
import dev.knobflow.optimizers.samplers.PriorObservation;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.gp.GpSampler;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Warm-start priors handed to the sampler a study file names. */
class SamplerPriorsTest {
  private static final SearchSpace SPACE =
      SearchSpace.builder().add("x", FloatDistribution.of(0, 1)).build();
  private static final List<PriorObservation> PRIORS =
      List.of(PriorObservation.of(Map.of("x", 0.3), 1.0));

  private static Sampler create(String type) {
    return SamplerFactory.standard()
        .create(new SamplerSpec(type, Map.of()), SPACE, OptionalLong.of(1), PRIORS);
  }

  @Test
  void modelBasedSamplersReceiveThePriors() {
    assertEquals(PRIORS, assertInstanceOf(TpeSampler.class, create("tpe")).priors());
    assertEquals(PRIORS, assertInstanceOf(GpSampler.class, create("gp")).priors());
    assertEquals(PRIORS, assertInstanceOf(AutoSampler.class, create("auto")).priors());
  }

  @Test
  void samplersWithoutAModelIgnoreThePriors() {
    assertInstanceOf(RandomSampler.class, create("random"));
    assertTrue(SamplerFactory.standard().type("tpe").orElseThrow().acceptsPriors());
    for (String type : List.of("random", "grid", "sobol", "nsga2")) {
      assertEquals(false, SamplerFactory.standard().type(type).orElseThrow().acceptsPriors(), type);
    }
  }

  @Test
  void studyRunnerBuildsTheStudysSamplerWithThePriors() {
    StudyConfig config =
        StudyFileParser.standard()
            .parse(
                """
                name: s
                storage: memory
                seed: 7
                objectives: [{name: loss, direction: minimize}]
                space:
                  x: {type: float, low: 0, high: 1}
                sampler: {type: tpe}
                trials: 1
                objective: {command: [echo, "{x}"]}
                """,
                Path.of("/studies/demo"),
                "study.yaml");
    SchedulerSection.Pair pair = SchedulerSection.build(config, SamplerFactory.standard(), PRIORS);
    assertEquals(PRIORS, assertInstanceOf(TpeSampler.class, pair.sampler()).priors());
    assertEquals(
        List.of(),
        assertInstanceOf(
                TpeSampler.class,
                SchedulerSection.build(config, SamplerFactory.standard()).sampler())
            .priors());
  }
}
