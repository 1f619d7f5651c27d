package dev.knobflow.plugin.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.greenmetrics.carbon.CarbonIntensity;
import dev.knobflow.greenmetrics.estimate.CpuPowerModel;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.budget.StudyBudget;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The CPU-time estimate, driven by a fake CPU-time source. */
class EstimatedEnergyObjectiveTest {

  /** A fake CPU clock: each evaluation advances it by the next of the given CPU seconds. */
  private static final class FakeCpu {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final Deque<Double> perTrial = new ArrayDeque<>();

    FakeCpu(double... seconds) {
      for (double s : seconds) {
        perTrial.add(s);
      }
    }

    TrialCpuTime source() {
      return TrialCpuTime.of(() -> Duration.ofNanos(nanos.get()));
    }

    void burn() {
      nanos.addAndGet(Math.round(perTrial.removeFirst() * 1e9));
    }
  }

  private static Study study(String name) {
    return Study.builder(name).objectives(Objective.maximize("score")).seed(1).build();
  }

  @Test
  void eachTrialGetsCpuSecondsTimesWattsPerCoreLabelledEstimated() {
    FakeCpu cpu = new FakeCpu(2.0, 0.5, 3.25);
    CarbonIntensity carbon = CarbonIntensity.of(400);
    EstimatedEnergyObjective objective =
        EstimatedEnergyObjective.builder(
                trial -> {
                  cpu.burn();
                  return TrialResult.of(trial.suggestFloat("x", 0, 1));
                },
                cpu.source())
            .power(CpuPowerModel.wattsPerCore(10))
            .carbon(carbon)
            .build();
    Study study = study("est");

    study.optimize(objective, OptimizeOptions.trials(3));

    double[] expected = {2.0, 0.5, 3.25};
    List<FrozenTrial> trials = study.trials();
    for (int i = 0; i < 3; i++) {
      Map<String, Double> m = trials.get(i).metrics();
      assertEquals(expected[i], m.get(EnergyMetrics.CPU_SECONDS), 1e-9);
      double wh = expected[i] * 10 / 3600;
      assertEquals(wh, m.get(EnergyMetrics.ESTIMATED_ENERGY_WH), 1e-12);
      assertEquals(wh / 1000 * 400, m.get(EnergyMetrics.ESTIMATED_CO2_G), 1e-12);
      assertFalse(m.containsKey(EnergyMetrics.ENERGY_WH), "an estimate is never energy_wh");
      Map<?, ?> attr =
          (Map<?, ?>) trials.get(i).userAttrs().get(EnergyMeasuredObjective.ENERGY_ATTR);
      assertEquals(true, attr.get("estimated"));
      assertEquals("cpu-time", attr.get("method"));
      assertEquals(10.0, ((Number) attr.get("watts_per_core")).doubleValue());
    }
    EnergyTotals totals = EnergyTotals.of(trials).orElseThrow();
    assertTrue(totals.estimated());
    assertEquals(5.75 * 10 / 3600, totals.energyWh(), 1e-12);
    assertTrue(totals.describe().startsWith("estimated "), totals.describe());
    assertTrue(totals.describe().contains("not measured"), totals.describe());
    assertTrue(EnergyTotals.measured(trials).isEmpty());
  }

  @Test
  void aFailedTrialKeepsItsEstimateInItsEnergyAttribute() {
    FakeCpu cpu = new FakeCpu(1.5);
    EstimatedEnergyObjective objective =
        EstimatedEnergyObjective.builder(
                trial -> {
                  trial.suggestFloat("x", 0, 1);
                  cpu.burn();
                  throw new IllegalStateException("diverged");
                },
                cpu.source())
            .power(CpuPowerModel.wattsPerCore(20))
            .build();
    Study study = study("failed");

    study.optimize(objective, OptimizeOptions.trials(1));

    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.FAIL, t.state());
    assertEquals(
        1.5 * 20 / 3600,
        EnergyTotals.value(t, EnergyMetrics.ESTIMATED_ENERGY_WH).orElseThrow(),
        1e-12);
  }

  @Test
  void anUnknownCpuTimeGivesNoEstimateRatherThanZero() {
    EstimatedEnergyObjective objective =
        EstimatedEnergyObjective.builder(
                trial -> TrialResult.of(trial.suggestFloat("x", 0, 1)), trial -> Optional::empty)
            .build();
    Study study = study("unknown");

    study.optimize(objective, OptimizeOptions.trials(1));

    assertFalse(study.trials().get(0).metrics().containsKey(EnergyMetrics.ESTIMATED_ENERGY_WH));
  }

  @Test
  void anEnergyBudgetCountsTheEstimateAndStopsTheStudy() {
    // 3.6 CPU seconds at 10 W per core = 0.01 Wh = 1e-5 kWh per trial; 3.5e-5 kWh fits 3.
    FakeCpu cpu = new FakeCpu(3.6, 3.6, 3.6, 3.6, 3.6, 3.6, 3.6, 3.6, 3.6, 3.6);
    EstimatedEnergyObjective objective =
        EstimatedEnergyObjective.builder(
                trial -> {
                  cpu.burn();
                  return TrialResult.of(trial.suggestFloat("x", 0, 1));
                },
                cpu.source())
            .power(CpuPowerModel.wattsPerCore(10))
            .build();
    Study study =
        Study.builder("budget")
            .objectives(Objective.maximize("score"))
            .budget(StudyBudget.builder().limit(BudgetMeters.energyKwh(), 3.5e-5).build())
            .seed(1)
            .build();

    study.optimize(objective, OptimizeOptions.trials(10));

    assertEquals(3, study.trials().size(), "the fourth would pass 3.5e-5 kWh");
  }

  @Test
  void anEstimateIsRefusedWhereObjectivesAreMeasured() {
    EnergyConfig measured = EnergyConfig.defaults().withMeasuredObjectives(List.of("energy_wh"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> measured.withEstimate(CpuPowerModel.wattsPerCore(10)));
    assertTrue(e.getMessage().contains("source: measured"), e.getMessage());
  }
}
