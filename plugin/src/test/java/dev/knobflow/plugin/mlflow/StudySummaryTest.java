package dev.knobflow.plugin.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.budget.StudyBudget;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.gp.GpSampler;
import dev.knobflow.plugin.energy.BudgetMeters;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StudySummaryTest {

  @Test
  void parentRunGetsTheStudysEnergyAndCarbonTotals() {
    Study study = Study.builder("green").objectives(Objective.maximize("accuracy")).build();
    study.tell(
        study.ask(), TrialResult.of(0.9).withMetrics(Map.of("energy_wh", 0.5, "co2_g", 0.2)));
    study.tell(
        study.ask(), TrialResult.of(0.8).withMetrics(Map.of("energy_wh", 1.5, "co2_g", 0.6)));
    StudySummary summary = StudySummary.of(study);
    assertEquals(2.0, summary.metrics().get("total_energy_wh"), 1e-12);
    assertEquals(0.8, summary.metrics().get("total_co2_g"), 1e-12);
    assertTrue(summary.markdown().contains("Energy: 2.000 Wh, 0.8000 g CO2e over 2 trials"));
  }

  @Test
  void parentRunGetsEachBudgetsSpentAndRemainingAmounts() {
    Study study =
        Study.builder("budgeted")
            .objectives(Objective.maximize("accuracy"))
            .budget(StudyBudget.builder().limit(BudgetMeters.energyKwh(), 0.01).build())
            .build();
    study.tell(
        study.ask(), TrialResult.of(0.9).withMetrics(Map.of("energy_wh", 0.5, "co2_g", 0.2)));
    study.tell(
        study.ask(), TrialResult.of(0.8).withMetrics(Map.of("energy_wh", 1.5, "co2_g", 0.6)));
    StudySummary summary = StudySummary.of(study);
    assertEquals(0.002, summary.metrics().get("budget_energy_kwh_spent"), 1e-12);
    assertEquals(0.008, summary.metrics().get("budget_energy_kwh_remaining"), 1e-12);
    assertTrue(
        summary.markdown().contains("Budget energy_kwh: spent 0.002 of 0.01, remaining 0.008"),
        summary.markdown());
  }

  @Test
  void studiesWithoutEnergyHaveNoTotals() {
    Study study = Study.builder("plain").objectives(Objective.maximize("accuracy")).build();
    study.tell(study.ask(), TrialResult.of(0.9));
    StudySummary summary = StudySummary.of(study);
    assertFalse(summary.metrics().containsKey("total_energy_wh"));
    assertFalse(summary.markdown().contains("Energy:"));
  }

  @Test
  void oneObjectivesBestIsLeftToTheSteppedBestMetricNotCopiedAsBestUnderscore() {
    Study study = Study.builder("single").objectives(Objective.minimize("loss")).build();
    study.tell(study.ask(), TrialResult.of(0.5));
    Map<String, Double> metrics = StudySummary.of(study).metrics();
    assertEquals(1.0, metrics.get("trials_complete"));
    assertTrue(metrics.keySet().stream().noneMatch(k -> k.startsWith("best")), metrics.toString());
  }

  @Test
  void parentRunCountsTrialsSampledAtRandomAfterANumericalFailure() {
    Study study =
        Study.builder("flat")
            .objectives(Objective.minimize("loss"))
            .space(SearchSpace.builder().floatParam("x", 0, 1).build())
            .sampler(GpSampler.seeded(5))
            .build();
    for (int i = 0; i < 12; i++) {
      study.tell(study.ask(), TrialResult.of(1.0)); // constant: the GP cannot be fitted
    }
    StudySummary summary = StudySummary.of(study);
    assertEquals(2.0, summary.metrics().get("trials_sampler_fallback"));
    assertTrue(
        summary
            .markdown()
            .contains("Sampled at random after a numerical failure of the sampler's model: 2"),
        summary.markdown());
  }

  @Test
  void aMultiFidelityFrontIsAtTheTopBudgetWithABudgetColumnAndNoRepeatedConfiguration() {
    List<Objective> objectives =
        List.of(Objective.maximize("accuracy"), Objective.minimize("latency"));
    // lr=0.1 promoted 3 -> 9 -> 27; lr=0.2 only reached 3, with values no longer comparable.
    List<FrozenTrial> trials =
        List.of(
            trial(0, 3, 0.1, 0.70, 1.0),
            trial(1, 3, 0.2, 0.99, 0.5),
            trial(2, 9, 0.1, 0.80, 2.0),
            trial(3, 27, 0.1, 0.90, 4.0),
            trial(4, 27, 0.3, 0.85, 3.0));
    StudyView view =
        new StudyView() {
          @Override
          public String name() {
            return "mf";
          }

          @Override
          public List<Objective> objectives() {
            return objectives;
          }

          @Override
          public List<FrozenTrial> trials() {
            return trials;
          }

          @Override
          public List<FrozenTrial> trials(Set<TrialState> states) {
            return trials.stream().filter(t -> states.contains(t.state())).toList();
          }

          @Override
          public SearchSpace declaredSpace() {
            return SearchSpace.empty();
          }
        };

    StudySummary summary = StudySummary.of(view);

    assertEquals(List.of(3, 4), summary.best().stream().map(FrozenTrial::number).toList());
    String md = summary.markdown();
    assertTrue(md.contains("Pareto front: 2 trials, at the highest budget reached"), md);
    assertTrue(md.contains("| trial | budget | accuracy | latency | params |"), md);
    assertTrue(md.contains("| 3 | 27 | 0.900000 | 4.00000 | lr=0.1 |"), md);
  }

  private static FrozenTrial trial(int number, double budget, double lr, double acc, double lat) {
    return new FrozenTrial(
        number,
        TrialState.COMPLETE,
        List.of(acc, lat),
        Map.of("lr", lr),
        Map.of(),
        new TreeMap<>(),
        List.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        budget,
        null,
        null,
        null,
        null);
  }

  @Test
  void parentRunTagsEachParameterWhoseBestTrialsSitAtABound() {
    Study study =
        Study.builder("edge")
            .objectives(Objective.minimize("loss"))
            .space(SearchSpace.builder().floatParam("x", 0, 1).floatParam("y", 0, 1).build())
            .build();
    for (int i = 0; i < 20; i++) {
      // The first 5 trials are the best and all have x at its upper bound; y is spread.
      study.enqueue(Map.of("x", i < 5 ? 1.0 : 0.05 * i, "y", 0.05 * i));
      study.tell(study.ask(), TrialResult.of(i));
    }
    StudySummary summary = StudySummary.of(study);
    assertEquals(
        "5 of the 5 best trials have x at its upper bound 1: consider widening the range to"
            + " [0, 1.5]",
        summary.tags().get(KnobflowTags.BOUND_WARNING_PREFIX + "x"));
    assertFalse(summary.tags().containsKey(KnobflowTags.BOUND_WARNING_PREFIX + "y"));
    assertEquals("0", summary.tags().get(KnobflowTags.BEST_TRIAL));
    assertTrue(summary.markdown().contains("Range to check: 5 of the 5 best trials have x"));
  }
}
