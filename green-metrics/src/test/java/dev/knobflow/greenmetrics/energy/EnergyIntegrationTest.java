package dev.knobflow.greenmetrics.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.PowerSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The trapezoidal rule against analytic power profiles. */
class EnergyIntegrationTest {

  private static final Device GPU = Device.gpu(0, "GPU-x", "test");
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final Duration MAX_GAP = Duration.ofMillis(300);

  /**
   * Samples of {@code watts(t seconds)} every {@code stepMs} from {@code fromMs} to {@code toMs}.
   */
  private static List<PowerSample> profile(
      long fromMs, long toMs, long stepMs, DoubleUnaryOperator watts) {
    List<PowerSample> samples = new ArrayList<>();
    for (long t = fromMs; t <= toMs; t += stepMs) {
      samples.add(new PowerSample(t * MS, watts.applyAsDouble(t / 1000.0)));
    }
    return samples;
  }

  @Test
  void constant300WattsForTwoSecondsIs600Joules() {
    // Sampling grid deliberately not aligned with the interval's edges.
    List<PowerSample> samples = profile(-37, 2063, 100, t -> 300.0);
    DeviceEnergy e = EnergyMeter.integrate(GPU, samples, 0, 2 * S, MAX_GAP);
    assertEquals(600.0, e.joules(), 600.0 * 0.01);
    assertEquals(600.0 / 3600.0, e.wattHours(), 1e-6);
    assertEquals(300.0, e.averageWatts(), 1e-9);
    assertEquals(300.0, e.peakWatts(), 1e-9);
    assertEquals(20, e.sampleCount());
    assertEquals(1.0, e.coverage(), 1e-12);
  }

  @Test
  void linearRampIsIntegratedExactlyIncludingInterpolatedEdges() {
    // P(t) = 100 + 50 t over [0.25 s, 4.25 s]: E = 100*4 + 25*(4.25^2 - 0.25^2) = 850 J.
    List<PowerSample> samples = profile(0, 4500, 100, t -> 100 + 50 * t);
    DeviceEnergy e = EnergyMeter.integrate(GPU, samples, 250 * MS, 4250 * MS, MAX_GAP);
    assertEquals(850.0, e.joules(), 1e-6);
    assertEquals(1.0, e.coverage(), 1e-12);
    assertEquals(100 + 50 * 4.25, e.peakWatts(), 1e-6, "the interpolated end edge is the peak");
  }

  @Test
  void sinusoidalLoadConvergesWithFineSampling() {
    // P(t) = 200 + 100 sin(2 pi t), over 3 whole periods: E = 600 J.
    List<PowerSample> samples = profile(0, 3000, 10, t -> 200 + 100 * Math.sin(2 * Math.PI * t));
    DeviceEnergy e = EnergyMeter.integrate(GPU, samples, 0, 3 * S, Duration.ofMillis(30));
    assertEquals(600.0, e.joules(), 600.0 * 0.001);
    assertEquals(300.0, e.peakWatts(), 0.1);
  }

  @Test
  void samplesOutsideTheIntervalBoundItsEdges() {
    List<PowerSample> samples = List.of(new PowerSample(0, 100), new PowerSample(S, 200));
    DeviceEnergy e = EnergyMeter.integrate(GPU, samples, 250 * MS, 750 * MS, Duration.ofSeconds(2));
    assertEquals(0.5 * 150.0, e.joules(), 1e-9);
    assertEquals(0, e.sampleCount(), "no sample lies inside the interval");
    assertEquals(1.0, e.coverage(), 1e-12);
    assertEquals(175.0, e.peakWatts(), 1e-9);
  }

  @Test
  void aGapLongerThanTheMaximumIsUncoveredAndAddsNoEnergy() {
    List<PowerSample> samples = new ArrayList<>(profile(-50, 1000, 50, t -> 300.0));
    samples.addAll(profile(1600, 2050, 50, t -> 300.0));
    DeviceEnergy e = EnergyMeter.integrate(GPU, samples, 0, 2 * S, MAX_GAP);
    assertEquals(0.7, e.coverage(), 1e-9, "0.6 s of 2 s lie in the gap");
    assertEquals(300.0 * 1.4, e.joules(), 1e-6);
    assertEquals(300.0, e.averageWatts(), 1e-9, "the gap does not pull the average down");
    assertEquals(600.0, e.estimatedJoules(), 1e-6);
  }

  @Test
  void gapsWithinTheMaximumAreInterpolated() {
    // Every other reading absent (e.g. [N/A] rows): 200 ms gaps under a 300 ms maximum.
    List<PowerSample> samples = profile(-100, 2100, 200, t -> 300.0);
    DeviceEnergy e = EnergyMeter.integrate(GPU, samples, 0, 2 * S, MAX_GAP);
    assertEquals(1.0, e.coverage(), 1e-12);
    assertEquals(600.0, e.joules(), 1e-6);
  }

  @Test
  void edgesWithoutABoundingSampleAreHeldFlatWithinTheMaximumGap() {
    // First sample 100 ms after the start, last 150 ms before the end.
    List<PowerSample> samples = profile(100, 1850, 50, t -> 80.0);
    DeviceEnergy e = EnergyMeter.integrate(GPU, samples, 0, 2 * S, MAX_GAP);
    assertEquals(1.0, e.coverage(), 1e-12);
    assertEquals(160.0, e.joules(), 1e-6);

    // ...but not beyond it: the first sample 500 ms after the start leaves 0.5 s uncovered.
    DeviceEnergy late =
        EnergyMeter.integrate(GPU, profile(500, 2000, 50, t -> 80.0), 0, 2 * S, MAX_GAP);
    assertEquals(0.75, late.coverage(), 1e-9);
    assertEquals(120.0, late.joules(), 1e-6);
  }

  @Test
  void staleSampleBeforeTheStartIsNotUsedForInterpolation() {
    List<PowerSample> samples = new ArrayList<>();
    samples.add(new PowerSample(-10 * S, 0.0)); // long before: would drag the edge down
    samples.addAll(profile(100, 2000, 100, t -> 250.0));
    DeviceEnergy e = EnergyMeter.integrate(GPU, samples, 0, 2 * S, MAX_GAP);
    assertEquals(500.0, e.joules(), 1e-6);
    assertEquals(1.0, e.coverage(), 1e-12);
  }

  @Test
  void noSamplesMeansNoCoverageNotZeroWatts() {
    DeviceEnergy e = EnergyMeter.integrate(GPU, List.of(), 0, 2 * S, MAX_GAP);
    assertEquals(0.0, e.joules());
    assertEquals(0.0, e.coverage());
    assertTrue(Double.isNaN(e.averageWatts()), "average is unknown, not 0 W");
    assertTrue(Double.isNaN(e.peakWatts()));
    assertTrue(Double.isNaN(e.estimatedJoules()));
  }

  @Test
  void outOfOrderAndDuplicateSamplesAreIgnored() {
    List<PowerSample> samples =
        List.of(
            new PowerSample(0, 100),
            new PowerSample(500 * MS, 100),
            new PowerSample(400 * MS, 900),
            new PowerSample(500 * MS, 900),
            new PowerSample(S, 100));
    DeviceEnergy e = EnergyMeter.integrate(GPU, samples, 0, S, Duration.ofSeconds(1));
    assertEquals(100.0, e.joules(), 1e-9);
    assertEquals(100.0, e.peakWatts(), 1e-9);
  }
}
