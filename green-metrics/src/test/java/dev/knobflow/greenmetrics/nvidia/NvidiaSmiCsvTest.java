package dev.knobflow.greenmetrics.nvidia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NvidiaSmiCsvTest {

  private static final NvidiaSmiCsv FULL =
      new NvidiaSmiCsv(
          List.of(
              "timestamp",
              "index",
              "uuid",
              "power.draw",
              "power.draw.instant",
              "utilization.gpu",
              "memory.used"));

  @Test
  void parsesRealH100RowAndPrefersInstantPower() {
    GpuReading r =
        FULL.parse(
            "2025/01/15 10:22:33.123, 0, GPU-5c1b9e5a-8f7e-2a3b-9c4d-1e2f3a4b5c6d, 312.45,"
                + " 318.20, 97, 40211");
    assertEquals(LocalDateTime.of(2025, 1, 15, 10, 22, 33, 123_000_000), r.timestamp());
    assertEquals(0, r.index());
    assertEquals("GPU-5c1b9e5a-8f7e-2a3b-9c4d-1e2f3a4b5c6d", r.uuid());
    assertEquals(312.45, r.powerDraw().getAsDouble());
    assertEquals(318.20, r.power().getAsDouble());
    assertEquals(97, r.utilizationGpu().getAsDouble());
    assertEquals(40211, r.memoryUsedMib().getAsDouble());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[N/A]",
        "[Not Supported]",
        "[Unknown Error]",
        "[Requested functionality has been deprecated]",
        "N/A"
      })
  void bracketCellsAreAbsentNeverZero(String cell) {
    GpuReading r = FULL.parse("2025/01/15 10:22:33.123, 1, GPU-x, 70.5, " + cell + ", 5, 10");
    assertTrue(r.powerDrawInstant().isEmpty());
    assertEquals(70.5, r.power().getAsDouble(), "falls back to power.draw");

    GpuReading none =
        FULL.parse("2025/01/15 10:22:33.123, 1, GPU-x, " + cell + ", " + cell + ", 5, 10");
    assertTrue(none.power().isEmpty(), "no power at all, rather than 0 W");
  }

  @Test
  void migRowWithAbsentUtilizationStillCarriesPower() {
    GpuReading r = FULL.parse("2025/01/15 10:22:33.123, 0, GPU-a1b2, 180.00, 182.50, [N/A], 12288");
    assertTrue(r.utilizationGpu().isEmpty());
    assertEquals(182.5, r.power().getAsDouble());
  }

  @Test
  void parsesWithoutInstantColumnForOldDrivers() {
    NvidiaSmiCsv old =
        new NvidiaSmiCsv(
            List.of("timestamp", "index", "uuid", "power.draw", "utilization.gpu", "memory.used"));
    GpuReading r = old.parse("2025/01/15 10:22:33.123, 3, GPU-x, 201.40, 88, 15000");
    assertEquals(3, r.index());
    assertTrue(r.powerDrawInstant().isEmpty());
    assertEquals(201.4, r.power().getAsDouble());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Failed to initialize NVML: Unknown Error",
        "2025/01/15 10:22:33.123, 0, GPU-x, 312.45",
        "2025/01/15 10:22:33.123, zero, GPU-x, 312.45, 318.20, 97, 40211",
        "2025/01/15 10:22:33.123, 0, GPU-x, three hundred, 318.20, 97, 40211",
        "2025/01/15 10:22:33.123, 0, GPU-x, -5, 318.20, 97, 40211",
        "2025/01/15 10:22:33.123, 0, GPU-x, NaN, 318.20, 97, 40211",
        "15.01.2025 10:22, 0, GPU-x, 312.45, 318.20, 97, 40211",
        "2025/01/15 10:22:33.123, 0, [N/A], 312.45, 318.20, 97, 40211",
        "2025/01/15 10:22:33.123, 0, GPU-x, 312.45, 318.20, 97, 40211, extra"
      })
  void malformedLinesAreRejectedWithAReason(String line) {
    NvidiaSmiCsv.MalformedLineException e =
        assertThrows(NvidiaSmiCsv.MalformedLineException.class, () -> FULL.parse(line));
    assertTrue(!e.getMessage().isBlank());
  }

  @Test
  void queryWithoutIndexOrUuidIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new NvidiaSmiCsv(List.of("power.draw")));
  }
}
