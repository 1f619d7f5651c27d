package dev.knobflow.plugin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.greenmetrics.carbon.CarbonIntensity;
import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.plugin.energy.EnergyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EnergySectionTest {
  private static final Path BASE = Path.of("/studies/demo");

  private static String study(String objectives, String extra) {
    return """
        name: green
        objectives:
        %s
        space:
          x: {type: int, low: 1, high: 9}
        trials: 3
        objective:
          command: [python3, train.py, "{x}"]
        %s
        """
        .formatted(objectives, extra);
  }

  private static StudyConfig parse(String yaml) {
    return StudyFileParser.standard().parse(yaml, BASE, "study.yaml");
  }

  private static String problems(String yaml) {
    StudyFileException e = assertThrows(StudyFileException.class, () -> parse(yaml));
    return e.problems().stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }

  @Test
  void energyCarbonAndMeasuredObjectivesAreRead() {
    StudyConfig c =
        parse(
            study(
                """
                  - {name: accuracy, direction: maximize, source: reported}
                  - {name: energy_wh, direction: minimize, source: measured}
                """,
                """
                energy:
                  nvidia_smi: {interval: 50ms, gpus: [0, GPU-abc], executable: bin/nvidia-smi}
                  rapl: false
                  constant_watts: {"cpu:0": 65, "gpu:1": 300}
                carbon: {country: deu}
                """));
    EnergyConfig e = c.energy();
    assertEquals(List.of("energy_wh"), e.measuredObjectives());
    assertTrue(e.enabled());
    assertFalse(e.rapl());
    assertEquals(Duration.ofMillis(50), e.nvidiaSmi().orElseThrow().interval());
    assertEquals(List.of("0", "GPU-abc"), e.nvidiaSmi().orElseThrow().gpus());
    assertEquals(
        BASE.resolve("bin/nvidia-smi").toString(), e.nvidiaSmi().orElseThrow().executable());
    assertEquals(
        Map.of(Device.cpuPackage(0), 65.0, Device.parseId("gpu:1"), 300.0),
        Map.copyOf(e.constantWatts()));
    assertEquals(CarbonIntensity.forCountry("DEU").gramsPerKwh(), e.carbon().gramsPerKwh());
    assertTrue(e.carbonConfigured());
  }

  @Test
  void withoutEnergyKeysMeasuringIsOnWithTheWorldDefaultCarbon() {
    EnergyConfig e = parse(study("  - {name: accuracy, direction: maximize}", "")).energy();
    assertTrue(e.enabled());
    assertTrue(e.nvidiaSmi().isPresent());
    assertTrue(e.rapl());
    assertEquals(475.0, e.carbon().gramsPerKwh());
    assertFalse(e.carbonConfigured());
    assertTrue(e.measuredObjectives().isEmpty());
  }

  @Test
  void nvidiaSmiFalseSkipsGpusAndIntensityIsUsedAsGiven() {
    EnergyConfig e =
        parse(
                study(
                    "  - {name: co2_g, direction: minimize, source: measured}",
                    "energy: {nvidia_smi: false}\ncarbon: {intensity_g_per_kwh: 350}"))
            .energy();
    assertTrue(e.nvidiaSmi().isEmpty());
    assertEquals(350.0, e.carbon().gramsPerKwh());
    assertEquals(List.of("co2_g"), e.measuredObjectives());
  }

  @Test
  void badEnergyKeysAreReportedWithTheirPaths() {
    String p =
        problems(
            study(
                """
                  - {name: accuracy, direction: maximize, source: measured}
                  - {name: energy_wh, direction: minimize, source: metered}
                """,
                """
                energy:
                  nvidai_smi: true
                  rapl: maybe
                  constant_watts: {"tpu:0": 10, "gpu:0": -5}
                carbon: {country: DE}
                """));
    assertTrue(p.contains("objectives[0].source: only energy_wh and co2_g can be measured"), p);
    assertTrue(p.contains("objectives[1].source: must be measured or reported"), p);
    assertTrue(p.contains("energy.nvidai_smi: unknown key; did you mean 'nvidia_smi'?"), p);
    assertTrue(p.contains("energy.rapl: must be true or false"), p);
    assertTrue(p.contains("energy.constant_watts.tpu:0: unknown device"), p);
    assertTrue(p.contains("energy.constant_watts.gpu:0: must be watts >= 0"), p);
    assertTrue(p.contains("carbon.country: Unknown country code 'DE'"), p);
    assertTrue(p.contains("DEU"), p);
  }

  @Test
  void badIntervalGpusAndCarbonShapeAreReported() {
    String p =
        problems(
            study(
                "  - {name: accuracy, direction: maximize}",
                """
                energy: {nvidia_smi: {interval: 100, gpus: [-1, [x]]}}
                carbon: {country: DEU, intensity_g_per_kwh: 300}
                """));
    assertTrue(p.contains("energy.nvidia_smi.interval: must be"), p);
    assertTrue(p.contains("(add a unit)"), p);
    assertTrue(p.contains("energy.nvidia_smi.gpus[0]: must be >= 0"), p);
    assertTrue(p.contains("energy.nvidia_smi.gpus[1]: must be a GPU index"), p);
    assertTrue(p.contains("carbon: give either country or intensity_g_per_kwh, not both"), p);
  }

  @Test
  void aMeasuredObjectiveNeedsEnergyEnabled() {
    String p =
        problems(
            study(
                "  - {name: energy_wh, direction: minimize, source: measured}",
                "energy: {enabled: false}"));
    assertTrue(p.contains("energy.enabled: is false, but objective [energy_wh]"), p);
  }

  @Test
  void theCpuTimeEstimateIsOptInWithADefaultOrAConfiguredFigure() {
    String one = "  - {name: accuracy, direction: maximize}";
    assertTrue(parse(study(one, "")).energy().estimate().isEmpty(), "off unless asked for");
    assertTrue(parse(study(one, "energy: {estimate: false}")).energy().estimate().isEmpty());
    assertEquals(
        dev.knobflow.greenmetrics.estimate.CpuPowerModel.defaults(),
        parse(study(one, "energy: {estimate: true}")).energy().estimate().orElseThrow());
    var configured =
        parse(study(one, "energy: {estimate: {watts_per_core: 12.5}}")).energy().estimate();
    assertEquals(12.5, configured.orElseThrow().wattsPerCore());
    assertEquals("configured", configured.get().source());
  }

  @Test
  void aBadEstimateOrOneBesideAMeasuredObjectiveIsRefusedByName() {
    String one = "  - {name: accuracy, direction: maximize}";
    assertTrue(
        problems(study(one, "energy: {estimate: {watts_per_core: 0}}"))
            .contains("energy.estimate.watts_per_core: must be watts > 0"));
    assertTrue(
        problems(study(one, "energy: {estimate: {watts: 3}}")).contains("energy.estimate.watts"));
    assertTrue(problems(study(one, "energy: {estimate: yes please}")).contains("energy.estimate"));
    String measured =
        problems(
            study(
                """
                  - {name: accuracy, direction: maximize}
                  - {name: co2_g, direction: minimize, source: measured}
                """,
                "energy: {estimate: true}"));
    assertTrue(measured.contains("energy.estimate: a CPU-time estimate is never used"), measured);
    assertTrue(measured.contains("co2_g"), measured);
  }
}
