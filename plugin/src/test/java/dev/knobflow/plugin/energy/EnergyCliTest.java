package dev.knobflow.plugin.energy;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.greenmetrics.carbon.CarbonIntensity;
import dev.knobflow.greenmetrics.nvidia.FakeNvidiaSmi;
import dev.knobflow.plugin.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Energy through the CLI, in-process, with a fake nvidia-smi replaying constant power. */
class EnergyCliTest {

  /**
   * Sleeps 0.5 s, then reports score = x and which GPU it was given (1 for GPU 0's UUID, 2 for GPU
   * 1's, 0 when CUDA_VISIBLE_DEVICES is unset).
   */
  private static final String SCRIPT =
      """
      #!/bin/bash
      sleep 0.5
      case "$CUDA_VISIBLE_DEVICES" in
        %s) gpu=1 ;;
        %s) gpu=2 ;;
        *) gpu=0 ;;
      esac
      echo "{\\"score\\": $1, \\"gpu_seen\\": $gpu}"
      """
          .formatted(FakeNvidiaSmi.GPU0_UUID, FakeNvidiaSmi.GPU1_UUID);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Joules of 300 W for one second, in Wh. */
  private static final double WH_PER_SECOND_AT_300W = 300.0 / 3600.0;

  @TempDir Path dir;

  private Path study(String objectives, String energy, int trials, int parallelism)
      throws IOException {
    Files.writeString(dir.resolve("objective.sh"), SCRIPT);
    String yaml =
        """
        name: green
        storage: journal:journal.jsonl
        seed: 1
        objectives:
        %s
        space:
          x: {type: int, low: 1, high: 9}
        trials: %d
        parallelism: %d
        %s
        objective:
          command: [bash, objective.sh, "{x}"]
        """
            .formatted(objectives, trials, parallelism, energy);
    Path file = dir.resolve("study.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private JsonNode showJson() throws IOException {
    CliRun show =
        cli(
            "show",
            "green",
            "--storage",
            "journal:" + dir.resolve("journal.jsonl"),
            "--format",
            "json");
    assertEquals(0, show.exit(), show.err());
    return JSON.readTree(show.out());
  }

  @Test
  void measuredEnergyObjectiveIsFilledInOnEveryTrialFromNvidiaSmi() throws IOException {
    Path smi = FakeNvidiaSmi.install(dir, FakeNvidiaSmi.TWO_GPUS);
    Path file =
        study(
            """
              - {name: score, direction: maximize}
              - {name: energy_wh, direction: minimize, source: measured}
            """,
            """
            energy: {nvidia_smi: {executable: %s, interval: 100ms, gpus: [0]}, rapl: false}
            carbon: {intensity_g_per_kwh: 400}
            """
                .formatted(smi),
            3,
            1);

    CliRun tune = cli("tune", file.toString());

    assertEquals(0, tune.exit(), tune.err());
    assertTrue(tune.out().contains("Energy: "), tune.out());
    assertTrue(tune.out().contains("measured by nvidia-smi"), tune.out());
    JsonNode shown = showJson();
    double sumWh = 0;
    double sumCo2 = 0;
    assertEquals(3, shown.get("trials").size());
    for (JsonNode t : shown.get("trials")) {
      assertEquals("COMPLETE", t.get("state").asText(), t.toString());
      double wh = t.get("values").get("energy_wh").asDouble();
      JsonNode m = t.get("metrics");
      // 300 W over a trial of a 0.5 s sleep plus bash start-up: 0.5 s .. 3 s worth of energy.
      assertTrue(
          wh > 0.45 * WH_PER_SECOND_AT_300W && wh < 3.0 * WH_PER_SECOND_AT_300W, "energy_wh " + wh);
      assertEquals(300.0, m.get("avg_power_w").asDouble(), 3.0);
      assertEquals(300.0, m.get("peak_power_w").asDouble(), 3.0);
      assertEquals(wh, m.get("energy_wh").asDouble(), 1e-12);
      assertEquals(wh, m.get("gpu_0_energy_wh").asDouble(), 1e-12);
      assertFalse(m.has("gpu_1_energy_wh"), "only GPU 0 is selected");
      assertTrue(m.get("energy_coverage").asDouble() > 0.9, m.toString());
      assertEquals(wh / 1000 * 400, m.get("co2_g").asDouble(), 1e-12);
      assertEquals(0, m.get("gpu_seen").asInt(), "parallelism 1 leaves CUDA_VISIBLE_DEVICES alone");
      sumWh += wh;
      sumCo2 += m.get("co2_g").asDouble();
    }
    assertEquals(sumWh, shown.get("totals").get("energy_wh").asDouble(), 1e-12);
    assertEquals(sumCo2, shown.get("totals").get("co2_g").asDouble(), 1e-12);
    assertEquals(3, shown.get("totals").get("energy_trials").asInt());

    CliRun table = cli("show", "green", "--storage", "journal:" + dir.resolve("journal.jsonl"));
    assertTrue(table.out().contains("Energy:     "), table.out());
    assertTrue(table.out().contains("over 3 trials"), table.out());
    assertTrue(table.out().contains("co2_g"), "per-trial CO2 column:\n" + table.out());
  }

  @Test
  void anEnergyBudgetStopsTheStudyAndTuneAndShowReportIt() throws IOException {
    Path smi = FakeNvidiaSmi.install(dir, FakeNvidiaSmi.TWO_GPUS);
    // Each trial draws 300 W for at least 0.5 s: at least 4.2e-5 kWh, so at most 4 fit.
    Path file =
        study(
            """
              - {name: score, direction: maximize}
            """,
            """
            energy: {nvidia_smi: {executable: %s, interval: 100ms, gpus: [0]}, rapl: false}
            budget: {energy_kwh: 0.00015, gpu_hours: 1}
            """
                .formatted(smi),
            20,
            1);

    CliRun tune = cli("tune", file.toString());

    assertEquals(0, tune.exit(), tune.err());
    assertTrue(tune.out().contains("budget reached"), tune.out());
    assertTrue(tune.out().contains("Budget: energy_kwh: spent "), tune.out());
    assertTrue(tune.out().contains("Budget: gpu_hours: spent "), tune.out());
    JsonNode shown = showJson();
    int trials = shown.get("trials").size();
    assertTrue(trials >= 1 && trials <= 4, "trials " + trials);
    double kwh = shown.get("totals").get("energy_wh").asDouble() / 1000;
    // Stopped before the forecast trial would pass the limit: spent stays within it.
    assertTrue(kwh <= 0.00015, "spent " + kwh);

    CliRun table = cli("show", "green", "--storage", "journal:" + dir.resolve("journal.jsonl"));
    assertTrue(table.out().contains("Budget:     energy_kwh: spent "), table.out());
    assertTrue(table.out().contains("of 0.00015, remaining "), table.out());
    // GPU-hours: each trial's duration on the one GPU it was metered on.
    assertTrue(table.out().contains("Budget:     gpu_hours: spent 0.000"), table.out());
  }

  @Test
  void parallelTrialsGetTheirOwnGpuAndOnlyItsEnergy() throws IOException {
    Path smi = FakeNvidiaSmi.install(dir, FakeNvidiaSmi.TWO_GPUS);
    Path file =
        study(
            "  - {name: score, direction: maximize}",
            "energy: {nvidia_smi: {executable: %s, interval: 100ms}, rapl: false}".formatted(smi),
            4,
            2);

    CliRun tune = cli("tune", file.toString());

    assertEquals(0, tune.exit(), tune.err());
    for (JsonNode t : showJson().get("trials")) {
      JsonNode m = t.get("metrics");
      int gpu = m.get("gpu_seen").asInt();
      assertTrue(gpu == 1 || gpu == 2, "each trial gets one GPU in CUDA_VISIBLE_DEVICES: " + m);
      String own = "gpu_" + (gpu - 1) + "_energy_wh";
      String other = "gpu_" + (2 - gpu) + "_energy_wh";
      assertTrue(m.has(own) && !m.has(other), m.toString());
      assertEquals(gpu == 1 ? 300.0 : 100.0, m.get("avg_power_w").asDouble(), 3.0);
      assertFalse(t.get("user_attrs").get("energy").get("shared").asBoolean());
    }
  }

  @Test
  void constantPowerWithoutMeasuredObjectiveGivesEnergyMetrics() throws IOException {
    Path file =
        study(
            "  - {name: score, direction: maximize}",
            """
            energy: {nvidia_smi: false, rapl: false, constant_watts: {"cpu:0": 65}}
            carbon: {country: FRA}
            """,
            2,
            1);

    CliRun tune = cli("tune", file.toString());

    assertEquals(0, tune.exit(), tune.err());
    for (JsonNode t : showJson().get("trials")) {
      JsonNode m = t.get("metrics");
      assertEquals(65.0, m.get("avg_power_w").asDouble(), 0.5);
      double wh = m.get("energy_wh").asDouble();
      assertEquals(wh, m.get("cpu_0_energy_wh").asDouble(), 1e-12);
      double fra = CarbonIntensity.forCountry("FRA").gramsPerKwh();
      assertEquals(wh / 1000 * fra, m.get("co2_g").asDouble(), 1e-12);
    }
  }

  @Test
  void withoutAnyPowerSourceTrialsHaveNoEnergyMetricsAndTheSummarySaysSo() throws IOException {
    Path file =
        study(
            "  - {name: score, direction: maximize}",
            "energy: {nvidia_smi: false, rapl: false}",
            1,
            1);

    CliRun tune = cli("tune", file.toString());

    assertEquals(0, tune.exit(), tune.err());
    assertTrue(tune.out().contains("Energy: not measured: unavailable"), tune.out());
    JsonNode shown = showJson();
    JsonNode m = shown.get("trials").get(0).get("metrics");
    assertFalse(m.has("energy_wh"), "unavailable is absent, never zero: " + m);
    assertTrue(shown.get("totals").get("energy_wh").isNull());
  }

  @Test
  void measuredObjectiveWithoutPowerSourceFailsAtStartListingWhatWasTried() throws IOException {
    Path file =
        study(
            """
              - {name: score, direction: maximize}
              - {name: co2_g, direction: minimize, source: measured}
            """,
            "energy: {nvidia_smi: {executable: ./no-such-nvidia-smi}, rapl: false}",
            1,
            1);

    CliRun tune = cli("tune", file.toString());

    assertEquals(2, tune.exit(), tune.out());
    assertTrue(tune.err().contains("objectives[1].source"), tune.err());
    assertTrue(tune.err().contains("No power source is available"), tune.err());
    assertTrue(tune.err().contains("nvidia-smi: unavailable"), tune.err());
    assertTrue(tune.err().contains("intel-rapl: unavailable, disabled"), tune.err());
    assertTrue(tune.err().contains("constant: unavailable"), tune.err());
    assertFalse(Files.exists(dir.resolve("journal.jsonl")), "no trial ran");
  }

  /** Burns a fixed amount of CPU (no sleeping), then reports score = x. */
  private static final String BURN =
      """
      import json, sys
      total = 0
      for i in range(300000):
          total += i * i % 7
      print(json.dumps({"score": float(sys.argv[1]), "checksum": total}))
      """;

  @Test
  void withoutAPowerSourceTheOptInEstimateIsCpuSecondsTimesWattsPerCoreLabelledEstimated()
      throws IOException {
    Files.writeString(dir.resolve("burn.py"), BURN);
    Path file =
        study(
            "  - {name: score, direction: maximize}",
            """
            energy: {nvidia_smi: false, rapl: false, estimate: {watts_per_core: 7.5}}
            carbon: {intensity_g_per_kwh: 400}
            budget: {energy_kwh: 1}
            """,
            3,
            1);
    Files.writeString(
        file,
        Files.readString(file)
            .replace("[bash, objective.sh, \"{x}\"]", "[python3, burn.py, \"{x}\"]"));

    CliRun tune = cli("tune", file.toString());

    assertEquals(0, tune.exit(), tune.out() + tune.err());
    assertTrue(tune.out().contains("Energy: estimated "), tune.out());
    assertTrue(tune.out().contains("from CPU time x 7.5 W per core"), tune.out());
    assertTrue(tune.out().contains("Budget: energy_kwh: spent "), tune.out());
    JsonNode shown = showJson();
    double sumWh = 0;
    for (JsonNode t : shown.get("trials")) {
      assertEquals("COMPLETE", t.get("state").asText(), t.toString());
      JsonNode m = t.get("metrics");
      double cpu = m.get("cpu_seconds").asDouble();
      assertTrue(cpu > 0, "the command's process tree used CPU: " + m);
      double wh = m.get("estimated_energy_wh").asDouble();
      assertEquals(cpu * 7.5 / 3600, wh, 1e-12);
      assertEquals(wh / 1000 * 400, m.get("estimated_co2_g").asDouble(), 1e-12);
      assertFalse(m.has("energy_wh"), "an estimate is never reported as measured: " + m);
      JsonNode attr = t.get("user_attrs").get("energy");
      assertTrue(attr.get("estimated").asBoolean(), attr.toString());
      assertEquals("cpu-time", attr.get("method").asText());
      assertEquals(7.5, attr.get("watts_per_core").asDouble());
      sumWh += wh;
    }
    JsonNode totals = shown.get("totals");
    assertTrue(totals.get("energy_wh").isNull(), "nothing measured: " + totals);
    assertEquals(sumWh, totals.get("estimated_energy_wh").asDouble(), 1e-12);
    assertEquals(3, totals.get("estimated_energy_trials").asInt());

    CliRun table = cli("show", "green", "--storage", "journal:" + dir.resolve("journal.jsonl"));
    assertTrue(table.out().contains("Energy:     estimated "), table.out());
    assertTrue(table.out().contains("estimated_energy_wh"), "per-trial column:\n" + table.out());
  }

  @Test
  void anEstimateIsRefusedWhereAnObjectiveDeclaresSourceMeasured() throws IOException {
    Path file =
        study(
            """
              - {name: score, direction: maximize}
              - {name: energy_wh, direction: minimize, source: measured}
            """,
            "energy: {nvidia_smi: false, rapl: false, estimate: true}",
            1,
            1);

    CliRun tune = cli("tune", file.toString());

    assertEquals(2, tune.exit(), tune.out());
    assertTrue(tune.err().contains("energy.estimate"), tune.err());
    assertTrue(tune.err().contains("source: measured"), tune.err());
    assertFalse(Files.exists(dir.resolve("journal.jsonl")), "no trial ran");
  }
}
