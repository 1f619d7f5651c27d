package dev.knobflow.greenmetrics.energy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.greenmetrics.power.ConstantPowerSource;
import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.ManualPowerSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnergyMeterTest {

  private static final long MS = 1_000_000L;
  private static final Device GPU0 = Device.gpu(0, "GPU-0", "test");
  private static final Device GPU1 = Device.gpu(1, "GPU-1", "test");

  @Test
  void parallelTrialsOnSeparateGpusGetOnlyTheirOwnEnergy() {
    ManualPowerSource source = new ManualPowerSource(List.of(GPU0, GPU1), Duration.ofMillis(100));
    EnergyMeter meter = EnergyMeter.builder().source(source).maxTrailingWait(Duration.ZERO).build();
    source.emit(GPU0, 0, 300);
    source.emit(GPU1, 0, 100);
    Measurement trialA = meter.start(Set.of(GPU0));
    for (long t = 100; t <= 1000; t += 100) {
      source.emit(GPU0, t * MS, 300);
      source.emit(GPU1, t * MS, 100);
      if (t == 500) {
        // Trial B starts half-way through trial A, on the other GPU.
        Measurement trialB = meter.start(Set.of(GPU1));
        for (long u = 600; u <= 1500; u += 100) {
          source.emit(GPU0, u * MS, 300);
          source.emit(GPU1, u * MS, 100);
          if (u == 1000) {
            EnergyReport a = trialA.stop();
            assertEquals(List.of(GPU0), a.devices().stream().map(DeviceEnergy::device).toList());
            assertEquals(300.0, a.totalJoules(), 1e-9, "300 W for 1 s");
          }
        }
        EnergyReport b = trialB.stop();
        assertEquals(100.0, b.totalJoules(), 1e-9, "100 W for 1 s");
        assertEquals(Duration.ofSeconds(1), b.duration());
        assertTrue(b.device("gpu:0").isEmpty());
        return;
      }
    }
  }

  @Test
  void reportSumsDevicesAndStopIsIdempotent() {
    ManualPowerSource source = new ManualPowerSource(List.of(GPU0, GPU1), Duration.ofMillis(100));
    EnergyMeter meter = EnergyMeter.builder().source(source).maxTrailingWait(Duration.ZERO).build();
    source.emit(GPU0, 0, 200);
    source.emit(GPU1, 0, 100);
    Measurement m = meter.startAll();
    for (long t = 100; t <= 3600; t += 100) {
      source.emit(GPU0, t * MS, 200);
      source.emit(GPU1, t * MS, 100);
    }
    EnergyReport r = m.stop();
    assertEquals(3.6 * 300.0, r.totalJoules(), 1e-6);
    assertEquals(0.3, r.totalWattHours(), 1e-9);
    assertEquals(0.0003, r.totalKilowattHours(), 1e-12);
    assertEquals(300.0, r.totalAverageWatts(), 1e-9);
    assertEquals(74, r.totalSampleCount(), "37 samples each, both edges included");
    assertEquals(1.0, r.minCoverage(), 1e-12);
    assertSame(r, m.stop());
  }

  @Test
  void samplesStoppingMidTrialLowerTheCoverage() {
    ManualPowerSource source = new ManualPowerSource(List.of(GPU0), Duration.ofMillis(100));
    EnergyMeter meter = EnergyMeter.builder().source(source).maxTrailingWait(Duration.ZERO).build();
    source.emit(GPU0, 0, 250);
    Measurement m = meter.start(Set.of(GPU0));
    for (long t = 100; t <= 1000; t += 100) {
      source.emit(GPU0, t * MS, 250);
    }
    source.setTime(2000 * MS); // the sampler died for the second half
    DeviceEnergy e = m.stop().device("gpu:0").orElseThrow();
    assertEquals(0.5, e.coverage(), 1e-9, "the silent second half is one long gap");
    assertEquals(250.0, e.averageWatts(), 1e-9);
  }

  @Test
  void unknownDeviceIsRejectedWithTheMeasurableOnes() {
    ManualPowerSource source = new ManualPowerSource(List.of(GPU0), Duration.ofMillis(100));
    EnergyMeter meter = EnergyMeter.of(List.of(source));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> meter.start(Set.of(GPU1)));
    assertTrue(e.getMessage().contains("gpu:1") && e.getMessage().contains("[gpu:0]"));
  }

  @Test
  void deviceMeasuredByTwoSourcesIsRejected() {
    ManualPowerSource a = new ManualPowerSource(List.of(GPU0), Duration.ofMillis(100));
    ManualPowerSource b = new ManualPowerSource(List.of(GPU0), Duration.ofMillis(100));
    assertThrows(IllegalArgumentException.class, () -> EnergyMeter.of(List.of(a, b)));
  }

  @Test
  void constantSourceIntegratesItsConfiguredPowerInRealTime() throws Exception {
    Device cpu = Device.cpuPackage(0);
    try (ConstantPowerSource source =
        ConstantPowerSource.of(Map.of(cpu, 65.0), Duration.ofMillis(20), System::nanoTime)) {
      source.start();
      EnergyMeter meter = EnergyMeter.of(List.of(source));
      Measurement m = meter.start(Set.of(cpu));
      long from = source.clock().nanoTime();
      // The poller is a real thread: wait for its readings, however loaded the machine is.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> source.samples(cpu, from, Long.MAX_VALUE).size() >= 5);
      EnergyReport r = m.stop();
      DeviceEnergy e = r.device("cpu:package-0").orElseThrow();
      double seconds = r.duration().toNanos() / 1e9;
      // On a loaded machine the sampling thread can miss ticks; gaps count as uncovered, so the
      // energy is 65 W over the covered part of the interval, whatever the scheduler did.
      assertTrue(e.sampleCount() >= 5, "samples " + e.sampleCount());
      assertTrue(e.coverage() > 0.0, "coverage " + e.coverage());
      assertEquals(65.0 * seconds * e.coverage(), e.joules(), 65.0 * seconds * 0.02);
      assertEquals(65.0, e.averageWatts(), 1e-9);
    }
  }

  @Test
  void constantPowerRejectsInvalidWatts() {
    Device cpu = Device.cpuPackage(0);
    assertThrows(IllegalArgumentException.class, () -> ConstantPowerSource.of(Map.of()));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ConstantPowerSource.of(Map.of(cpu, -1.0)));
    assertTrue(e.getMessage().contains("cpu:package-0"));
  }
}
