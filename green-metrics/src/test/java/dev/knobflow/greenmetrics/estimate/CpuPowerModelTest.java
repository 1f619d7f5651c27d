package dev.knobflow.greenmetrics.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CpuPowerModelTest {

  @Test
  void joulesAreCpuSecondsTimesWattsPerCore() {
    CpuPowerModel model = CpuPowerModel.wattsPerCore(12.5);
    assertEquals(12.5 * 2.25, model.joules(Duration.ofMillis(2250)), 1e-12);
    assertEquals(0.0, model.joules(Duration.ZERO));
    assertEquals("configured", model.source());
  }

  @Test
  void theDefaultSpreadsCodeCarbonsFallbackOverTheCores() {
    CpuPowerModel eight = CpuPowerModel.forCores(8);
    assertEquals(85.0 / 8, eight.wattsPerCore(), 1e-12);
    assertTrue(eight.source().contains("CodeCarbon"), eight.source());
    // Every core busy for one second costs the whole 85 W figure for one second.
    assertEquals(85.0, eight.joules(Duration.ofSeconds(8)), 1e-9);
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(85.0 / cores, CpuPowerModel.defaults().wattsPerCore(), 1e-12);
  }

  @Test
  void aFigureThatIsNotPositiveIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> CpuPowerModel.wattsPerCore(0));
    assertThrows(IllegalArgumentException.class, () -> CpuPowerModel.wattsPerCore(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> CpuPowerModel.forCores(0));
  }

  @Test
  void theJvmReadersOnlyGoForward() {
    CpuTimeReader process = JvmCpuTime.process();
    CpuTimeReader thread = JvmCpuTime.currentThread();
    Duration p0 = process.cpuTime();
    Duration t0 = thread.cpuTime();
    long x = 0;
    for (int i = 0; i < 2_000_000; i++) {
      x += Long.numberOfTrailingZeros(i + x);
    }
    assertTrue(x >= 0);
    assertTrue(process.cpuTime().compareTo(p0) >= 0);
    assertTrue(thread.cpuTime().compareTo(t0) >= 0);
  }
}
