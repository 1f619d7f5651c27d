package dev.knobflow.plugin.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.greenmetrics.carbon.CarbonIntensity;
import dev.knobflow.greenmetrics.energy.EnergyMeter;
import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.ManualPowerSource;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Java API: wrapping an objective function, without a study file. */
class EnergyMeasuredObjectiveTest {
  private static final Device GPU0 = Device.parseId("gpu:0");
  private static final Device GPU1 = Device.parseId("gpu:1");

  private ManualPowerSource power;
  private EnergyMeter meter;

  @BeforeEach
  void startPower() {
    power = new ManualPowerSource(List.of(GPU0, GPU1), Duration.ofMillis(100));
    power.start();
    meter = EnergyMeter.of(List.of(power));
  }

  /**
   * The objective "runs" for {@code seconds} of the source's time: GPU 0 at 200 W, GPU 1 at 50 W.
   */
  private void draw(double seconds) {
    long t0 = power.clock().nanoTime();
    int steps = (int) Math.round(seconds * 10);
    for (int k = 0; k <= steps; k++) {
      long t = t0 + k * 100_000_000L;
      power.emit(GPU0, t, 200.0);
      power.emit(GPU1, t, 50.0);
    }
  }

  @AfterEach
  void stopPower() {
    power.close();
  }

  private static Study study(Objective... objectives) {
    return Study.builder("java-api")
        .objectives(objectives)
        .storage(InMemoryStorage.create())
        .seed(3)
        .build();
  }

  @Test
  void positionalValuesFillTheUnmeasuredObjectivesAndTheMeterTheRest() {
    Study study =
        study(
            new Objective("loss", Direction.MINIMIZE),
            new Objective("energy_wh", Direction.MINIMIZE));
    var objective =
        EnergyMeasuredObjective.builder(
                trial -> {
                  double x = trial.suggestFloat("x", 0, 1);
                  draw(0.3);
                  return TrialResult.of(x * x);
                },
                meter)
            .objectives(List.of("loss", "energy_wh"), Set.of("energy_wh"))
            .carbon(CarbonIntensity.of(100))
            .build();

    study.optimize(objective, OptimizeOptions.trials(2));

    for (FrozenTrial t : study.trials()) {
      assertEquals(TrialState.COMPLETE, t.state(), String.valueOf(t.failReason()));
      double x = (Double) t.params().get("x");
      assertEquals(x * x, t.values().get(0), 1e-12);
      double wh = t.values().get(1);
      // 250 W (both GPUs) for 0.3 s of the source's time.
      assertEquals(0.3 * 250 / 3600, wh, 1e-12);
      assertEquals(250.0, t.metrics().get("avg_power_w"), 1e-6);
      assertEquals(wh / 1000 * 100, t.metrics().get("co2_g"), 1e-12);
      double gpu0 = t.metrics().get("gpu_0_energy_wh");
      double gpu1 = t.metrics().get("gpu_1_energy_wh");
      assertEquals(4.0, gpu0 / gpu1, 1e-9, "200 W against 50 W");
    }
  }

  @Test
  void aReportedValueForAMeasuredObjectiveIsReplacedByTheMeasurement() {
    Study study = study(new Objective("energy_wh", Direction.MINIMIZE));
    var objective =
        EnergyMeasuredObjective.builder(
                trial -> {
                  draw(0.4);
                  return TrialResult.ofNamed(Map.of("energy_wh", 1e6));
                },
                meter)
            .objectives(List.of("energy_wh"), Set.of("energy_wh"))
            .build();

    study.optimize(objective, OptimizeOptions.trials(1));

    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.COMPLETE, t.state());
    assertEquals(0.4 * 250 / 3600, t.value(), 1e-12, "measured, not the reported 1e6");
    assertEquals(t.value(), t.metrics().get("energy_wh"), 1e-12);
  }

  @Test
  void aFailedTrialKeepsItsEnergyInTheEnergyAttribute() {
    Study study = study(new Objective("loss", Direction.MINIMIZE));
    var objective =
        EnergyMeasuredObjective.wrap(
            trial -> {
              draw(0.2);
              throw new IllegalStateException("diverged");
            },
            meter,
            CarbonIntensity.worldDefault());

    study.optimize(objective, OptimizeOptions.trials(1));

    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.FAIL, t.state());
    Map<?, ?> energy = (Map<?, ?>) t.userAttrs().get(EnergyMeasuredObjective.ENERGY_ATTR);
    assertEquals(
        0.2 * 250 / 3600,
        ((Number) energy.get("energy_wh")).doubleValue(),
        1e-12,
        energy.toString());
    assertEquals(List.of("gpu:0", "gpu:1"), energy.get("devices"));
    assertEquals(1, EnergyTotals.of(study.trials()).orElseThrow().measuredTrials());
  }

  @Test
  void slotsGiveParallelWorkersSeparateGpusAndShareWhenTooFew() {
    List<Device> devices =
        List.of(Device.gpu(0, "GPU-a", ""), Device.gpu(1, "", ""), Device.cpuPackage(0));
    DeviceSlots two = DeviceSlots.assign(devices, 2);
    assertTrue(two.isAssigned());
    DeviceSlots.Slot first = two.acquire(7);
    DeviceSlots.Slot second = two.acquire(8);
    assertEquals(List.of("gpu:0", "cpu:package-0"), first.deviceIds());
    assertEquals("GPU-a", first.cudaVisibleDevices().orElseThrow());
    assertEquals(List.of("gpu:1", "cpu:package-0"), second.deviceIds());
    assertEquals("1", second.cudaVisibleDevices().orElseThrow(), "no UUID: the index");
    assertTrue(first.shared(), "the CPU package is shared");
    DeviceSlots.Slot third = two.acquire(9);
    assertEquals(3, third.devices().size(), "beyond the pool: everything, shared");
    assertTrue(third.shared());
    two.release(7);
    assertEquals(first, two.acquire(10));

    DeviceSlots three = DeviceSlots.assign(devices, 3);
    assertFalse(three.isAssigned());
    DeviceSlots.Slot all = three.acquire(0);
    assertTrue(all.shared());
    assertTrue(all.cudaVisibleDevices().isEmpty());

    DeviceSlots gpusOnly = DeviceSlots.assign(devices.subList(0, 2), 1);
    assertFalse(gpusOnly.acquire(0).shared());
  }

  @Test
  void noSampleMeansNoEnergyNotZero() {
    var report =
        new dev.knobflow.greenmetrics.energy.EnergyReport(
            java.time.Instant.now(),
            Duration.ofSeconds(1),
            List.of(
                new dev.knobflow.greenmetrics.energy.DeviceEnergy(
                    Device.parseId("gpu:0"), 0, Double.NaN, Double.NaN, 0, 0)));
    Map<String, Double> m = EnergyMetrics.of(report, CarbonIntensity.worldDefault());
    assertEquals(Map.of("energy_coverage", 0.0), m);
  }
}
