package dev.knobflow.optimizers.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    return choose(auto, study, trialNumber).sampler();
  }

  private static AutoSampler.Choice choose(AutoSampler auto, Study study, int trialNumber) {
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
    return auto.choose(study, probe);
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
    SearchSpace wideWithCategorical =
        SearchSpace.builder()
            .add("c", CategoricalDistribution.of("p", "q"))
            .add("x", FloatDistribution.of(0, 1))
            .build();
    SearchSpace.Builder w = SearchSpace.builder().add("c", CategoricalDistribution.of("p", "q"));
    floats(21).distributions().forEach(w::add);
    Study wide = Study.builder("wide").space(w.build()).sampler(auto).build();
    assertEquals("tpe", choiceFor(auto, wide, 0));
    Study twoParams = Study.builder("two").space(wideWithCategorical).sampler(auto).build();
    assertEquals("gp", choiceFor(auto, twoParams, 0));
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
  void cmaesReplacesTpeOnLargeNumericSingleObjectiveSpacesWithoutConstraints() {
    AutoSampler auto = AutoSampler.seeded(1);
    // Ten or more numeric parameters: GP first, then CMA-ES where TPE took over before.
    Study ten = Study.builder("ten").space(floats(10)).sampler(auto).build();
    assertEquals("gp", choiceFor(auto, ten, 199));
    assertEquals("cmaes", choiceFor(auto, ten, 200));
    String reason = choose(auto, ten, 200).reason();
    assertTrue(reason.contains("10 numeric parameters") && reason.contains("CMA-ES"), reason);
    // Beyond the GP's dimensions: CMA-ES from the first trial.
    Study wide = Study.builder("wide").space(floats(21)).sampler(auto).build();
    assertEquals("cmaes", choiceFor(auto, wide, 0));
    // Fewer than ten parameters: TPE, as before (not measured).
    Study nine = Study.builder("nine").space(floats(9)).sampler(auto).build();
    assertEquals("tpe", choiceFor(auto, nine, 200));
    // Several objectives: TPE (CMA-ES optimises one).
    Study two =
        Study.builder("two-objectives")
            .objectives(Objective.minimize("a"), Objective.minimize("b"))
            .space(floats(21))
            .sampler(auto)
            .build();
    assertEquals("tpe", choiceFor(auto, two, 0));
    // Reported constraints: TPE (CMA-ES would ignore them).
    Study constrained = Study.builder("constrained").space(floats(21)).sampler(auto).build();
    var t = constrained.ask();
    constrained.tell(t, TrialResult.of(1.0).withConstraints(0.5));
    assertEquals("tpe", choiceFor(auto, constrained, 1));
    // The threshold is a setting.
    AutoSampler strict = AutoSampler.builder().seed(1).cmaesMinDimensions(30).build();
    assertEquals("tpe", choiceFor(strict, wide, 0));
  }

  @Test
  void afterTheGpPhaseCmaesWarmStartsFromTheGpTrials() {
    AutoSampler auto = AutoSampler.builder().seed(5).gpTrials(6).build();
    Study study = Study.builder("switch").space(floats(10)).sampler(auto).build();
    study.optimize(
        ObjectiveFunction.scalar(
            t -> {
              double s = 0;
              for (int i = 0; i < 10; i++) {
                double x = t.suggestFloat("x" + i, 0, 1);
                s += (x - 0.3) * (x - 0.3);
              }
              return s;
            }),
        OptimizeOptions.trials(20));
    List<FrozenTrial> trials = study.trials();
    assertEquals("gp", trials.get(5).systemAttrs().get("auto_sampler"));
    assertEquals("cmaes", trials.get(6).systemAttrs().get("auto_sampler"));
    assertEquals(0, ((Number) trials.get(6).systemAttrs().get("cmaes:generation")).intValue());
    assertEquals(
        List.of(0, 1, 2, 3, 4, 5),
        ((List<?>) trials.get(6).systemAttrs().get("cmaes:warm_start"))
            .stream().map(o -> ((Number) o).intValue()).toList());
    assertEquals("cmaes", trials.get(19).systemAttrs().get("auto_sampler"));
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
