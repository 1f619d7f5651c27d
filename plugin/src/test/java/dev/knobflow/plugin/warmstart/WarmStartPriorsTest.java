package dev.knobflow.plugin.warmstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.PriorObservation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmStartPriorsTest {
  private static final SearchSpace SPACE =
      SearchSpace.builder()
          .add("lr", FloatDistribution.of(0.001, 0.5))
          .add("depth", IntDistribution.of(2, 8))
          .build();
  private static final Map<String, Double> META = Map.of("rows", 100.0, "features", 4.0);

  private static WarmStartPriors priors(List<PastStudy> past, List<Objective> objectives) {
    WarmStartPlan plan = WarmStart.builder().neighbours(3).build().plan(META, past, SPACE);
    return WarmStartPriors.of(plan, SPACE, objectives);
  }

  @Test
  void plannedConfigurationsBecomePriorsWithTheirValuesInTheCurrentObjectiveOrder() {
    PastStudy past =
        new PastStudy(
            "iris",
            META,
            List.of(Objective.minimize("latency"), Objective.maximize("accuracy")),
            List.of(
                PastTrial.of(Map.of("lr", "0.1", "depth", "3"), 5.0, 0.9),
                PastTrial.of(Map.of("lr", 0.2, "depth", 4), 9.0, 0.95)));
    WarmStartPriors result =
        priors(
            List.of(past), List.of(Objective.maximize("accuracy"), Objective.minimize("latency")));
    assertEquals(2, result.priors().size(), result.log().toString());
    for (PriorObservation p : result.priors()) {
      double lr = ((Number) p.params().get("lr")).doubleValue();
      assertEquals(lr == 0.1 ? List.of(0.9, 5.0) : List.of(0.95, 9.0), p.values(), p.toString());
      assertEquals(2, p.params().size());
    }
  }

  @Test
  void studiesWithOtherObjectivesAndClampedConfigurationsGiveNoPriors() {
    PastStudy otherObjective =
        new PastStudy(
            "other",
            META,
            List.of(Objective.minimize("rmse")),
            List.of(PastTrial.of(Map.of("lr", 0.1, "depth", 3), 0.4)));
    PastStudy clamped =
        new PastStudy(
            "wide",
            Map.of("rows", 120.0, "features", 4.0),
            List.of(Objective.maximize("accuracy")),
            List.of(
                PastTrial.of(Map.of("lr", 0.9, "depth", 3), 0.97),
                PastTrial.of(Map.of("lr", 0.05, "depth", 5), 0.93)));
    WarmStartPriors result =
        priors(List.of(otherObjective, clamped), List.of(Objective.maximize("accuracy")));
    assertEquals(1, result.priors().size(), result.log().toString());
    Map<String, Object> params = result.priors().get(0).params();
    assertEquals(0.05, ((Number) params.get("lr")).doubleValue());
    assertEquals(5, ((Number) params.get("depth")).intValue());
    assertEquals(List.of(0.93), result.priors().get(0).values());
    String log = String.join("\n", result.log());
    assertTrue(log.contains("study 'other': no prior") && log.contains("do not include"), log);
    assertTrue(log.contains("study 'wide': no prior") && log.contains("clamped"), log);
  }
}
