package dev.knobflow.optimizers.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoSamplerTest {

  private static SearchSpace floats(int n) {
    SearchSpace.Builder b = SearchSpace.builder();
    for (int i = 0; i < n; i++) {
      b.add("x" + i, FloatDistribution.of(0, 1));
    }
    return b.build();
  }

  private static String choiceFor(AutoSampler auto, Study study, int trialNumber) {
    FrozenTrial probe =
        new FrozenTrial(
            trialNumber,
            dev.knobflow.optimizers.TrialState.RUNNING,
            List.of(),
            java.util.Map.of(),
            java.util.Map.of(),
            new java.util.TreeMap<>(),
            List.of(),
            java.util.Map.of(),
            java.util.Map.of(),
            java.util.Map.of(),
            Double.NaN,
            null,
            null,
            null,
            null);
    return auto.choose(study, probe).sampler();
  }

  @Test
  void gpForFewTrialsOnModerateNumericSpacesThenTpe() {
    AutoSampler auto = AutoSampler.builder().seed(1).gpTrials(200).build();
    Study study = Study.builder("auto").space(floats(5)).sampler(auto).build();
    assertEquals("gp", choiceFor(auto, study, 0));
    assertEquals("gp", choiceFor(auto, study, 199));
    assertEquals("tpe", choiceFor(auto, study, 200));
  }

  @Test
  void independentTpeForFourOrMoreObjectivesAndGpForTwoOrThree() {
    AutoSampler auto = AutoSampler.seeded(1);
    Study three =
        Study.builder("three")
            .objectives(
                dev.knobflow.optimizers.Objective.maximize("a"),
                dev.knobflow.optimizers.Objective.minimize("b"),
                dev.knobflow.optimizers.Objective.minimize("c"))
            .space(floats(5))
            .sampler(auto)
            .build();
    assertEquals("gp", choiceFor(auto, three, 0));
    Study four =
        Study.builder("four")
            .objectives(
                dev.knobflow.optimizers.Objective.maximize("a"),
                dev.knobflow.optimizers.Objective.minimize("b"),
                dev.knobflow.optimizers.Objective.minimize("c"),
                dev.knobflow.optimizers.Objective.minimize("d"))
            .space(floats(5))
            .sampler(auto)
            .build();
    assertEquals("tpe-independent", choiceFor(auto, four, 0));
    Study two =
        Study.builder("two")
            .objectives(
                dev.knobflow.optimizers.Objective.maximize("a"),
                dev.knobflow.optimizers.Objective.minimize("b"))
            .space(floats(5))
            .sampler(auto)
            .build();
    assertEquals("gp", choiceFor(auto, two, 0));
  }

  @Test
  void tpeForManyDimensionsOrMostlyCategoricalSpaces() {
    AutoSampler auto = AutoSampler.seeded(1);
    Study wide = Study.builder("wide").space(floats(21)).sampler(auto).build();
    assertEquals("tpe", choiceFor(auto, wide, 0));
    SearchSpace cats =
        SearchSpace.builder()
            .add("a", CategoricalDistribution.of("p", "q"))
            .add("b", CategoricalDistribution.of("p", "q"))
            .add("c", FloatDistribution.of(0, 1))
            .build();
    Study categorical = Study.builder("cats").space(cats).sampler(auto).build();
    assertEquals("tpe", choiceFor(auto, categorical, 0));
  }

  @Test
  void conditionalSpacesGoToGroupedTpeAndTheChoiceIsStoredOnTrials() {
    AutoSampler auto = AutoSampler.seeded(2);
    Study study = Study.builder("conditional").sampler(auto).build();
    study.optimize(
        ObjectiveFunction.scalar(
            t -> {
              if (t.number() % 2 == 0) {
                return t.suggestFloat("a", 0, 1);
              }
              return t.suggestFloat("b", 0, 1);
            }),
        OptimizeOptions.trials(4));
    assertEquals("tpe-group", choiceFor(auto, study, 4));
    assertEquals("gp", study.trials().get(0).systemAttrs().get("auto_sampler"));
    assertEquals("tpe-group", study.trials().get(3).systemAttrs().get("auto_sampler"));
  }

  @Test
  void nsga2OnlyWhenAPopulationIsAskedForAMultiObjectiveStudy() {
    AutoSampler withPopulation = AutoSampler.builder().seed(3).nsga2PopulationSize(40).build();
    Study mo =
        Study.builder("mo")
            .objectives(Objective.minimize("a"), Objective.minimize("b"))
            .space(floats(3))
            .sampler(withPopulation)
            .build();
    assertEquals("nsga2", choiceFor(withPopulation, mo, 0));
    Study so = Study.builder("so").space(floats(3)).sampler(withPopulation).build();
    assertEquals("gp", choiceFor(withPopulation, so, 0));
    AutoSampler plain = AutoSampler.seeded(3);
    assertEquals("gp", choiceFor(plain, mo, 0));
  }

  @Test
  void autoSamplerRunsAStudyEndToEnd() {
    Study study = Study.builder("e2e").space(floats(2)).sampler(AutoSampler.seeded(4)).build();
    for (int i = 0; i < 20; i++) {
      var t = study.ask();
      double x = ((Number) t.params().get("x0")).doubleValue();
      double y = ((Number) t.params().get("x1")).doubleValue();
      study.tell(t, TrialResult.of((x - 0.3) * (x - 0.3) + (y - 0.6) * (y - 0.6)));
    }
    assertEquals(true, study.bestTrial().orElseThrow().value() < 0.01);
  }
}
