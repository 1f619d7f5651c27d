package dev.knobflow.greenmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.greenmetrics.nvidia.FakeNvidiaSmi;
import dev.knobflow.greenmetrics.nvidia.NvidiaSmiConfig;
import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.PowerSource;
import dev.knobflow.greenmetrics.power.PowerSourceException;
import dev.knobflow.greenmetrics.rapl.RaplConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PowerSourcesTest {

  @TempDir Path dir;

  private DetectionConfig.Builder nothingAvailable() {
    return DetectionConfig.builder()
        .nvidiaSmi(
            NvidiaSmiConfig.builder()
                .executable(dir.resolve("absent-nvidia-smi").toString())
                .build())
        .rapl(RaplConfig.of(dir.resolve("no-powercap"), Duration.ofMillis(100)));
  }

  @Test
  void nothingAvailableListsEverythingTriedAndWhy() {
    PowerDetection detection = PowerSources.detect(nothingAvailable().build());
    assertTrue(detection.isEmpty());
    assertEquals(3, detection.attempts().size());
    PowerSourceException e = assertThrows(PowerSourceException.class, detection::requireAny);
    String message = e.getMessage();
    assertTrue(message.contains("nvidia-smi: unavailable"), message);
    assertTrue(message.contains("could not be run"), message);
    assertTrue(message.contains("intel-rapl: unavailable"), message);
    assertTrue(message.contains("does not exist"), message);
    assertTrue(message.contains("constant: unavailable, not configured"), message);
  }

  @Test
  void constantPowerIsUsedOnlyWhenConfigured() {
    PowerDetection detection =
        PowerSources.detect(nothingAvailable().constantWatts(Device.parseId("gpu:0"), 300).build());
    try {
      assertEquals(1, detection.sources().size());
      PowerSource constant = detection.requireAny().get(0);
      assertEquals("constant", constant.name());
      assertEquals("gpu:0", constant.devices().get(0).id());
    } finally {
      detection.sources().forEach(PowerSource::close);
    }
  }

  @Test
  void measuredDevicesAreNotOverriddenByConstantPower() throws Exception {
    PowerDetection detection =
        PowerSources.detect(
            DetectionConfig.builder()
                .nvidiaSmi(
                    NvidiaSmiConfig.builder()
                        .executable(FakeNvidiaSmi.install(dir, "h200").toString())
                        .environment(Map.of())
                        .build())
                .withoutRapl()
                .constantWatts(Device.parseId("gpu:0"), 300)
                .build());
    try {
      assertEquals(1, detection.sources().size());
      assertEquals("nvidia-smi", detection.sources().get(0).name());
      assertTrue(detection.summary().contains("measures gpu:0 (NVIDIA H200), gpu:1"));
      assertTrue(detection.summary().contains("intel-rapl: unavailable, disabled"));
      assertFalse(detection.attempts().get(2).available());
    } finally {
      detection.sources().forEach(PowerSource::close);
    }
  }

  @Test
  void deviceIdsParseOrExplainTheAllowedForms() {
    assertEquals(Device.cpuPackage(1), Device.parseId("cpu:package-1"));
    assertEquals(3, Device.parseId("gpu:3").index());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Device.parseId("tpu:0"));
    assertTrue(e.getMessage().contains("gpu:<index>"));
  }
}
