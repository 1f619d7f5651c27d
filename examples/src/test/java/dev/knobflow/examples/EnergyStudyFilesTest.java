package dev.knobflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The energy study files parse with the plugin's own parser and measure energy_wh. */
class EnergyStudyFilesTest {

  private static StudyConfig parse(String path) {
    // Surefire runs in the module directory.
    return StudyFileParser.standard().parse(Path.of(path));
  }

  @Test
  void xgboostEnergyStudyMeasuresEnergyWithAConstantCpuFallback() {
    StudyConfig c = parse("xgboost/study-energy.yaml");
    assertEquals(
        List.of("accuracy", "latency_ms", "energy_wh"),
        c.objectives().stream().map(o -> o.name()).toList());
    assertEquals(List.of("energy_wh"), c.energy().measuredObjectives());
    assertEquals(Map.of(Device.cpuPackage(0), 65.0), Map.copyOf(c.energy().constantWatts()));
  }

  @Test
  void commandEnergyStudyMeasuresEnergyWithAConstantCpuFallback() {
    StudyConfig c = parse("command/study-energy.yaml");
    assertEquals(List.of("energy_wh"), c.energy().measuredObjectives());
    assertEquals(Map.of(Device.cpuPackage(0), 65.0), Map.copyOf(c.energy().constantWatts()));
  }
}
