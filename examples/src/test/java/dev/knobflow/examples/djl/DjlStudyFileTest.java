package dev.knobflow.examples.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.plugin.advice.AdvisorMode;
import dev.knobflow.plugin.cli.Main;
import dev.knobflow.plugin.config.ObjectiveSpec;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** examples/djl/study.yaml parses as the CLI reads it and runs end to end through the CLI. */
class DjlStudyFileTest {

  // Surefire runs in the module directory.
  private static final Path STUDY_FILE = Path.of("djl", "study.yaml");

  @Test
  void theStudyFileTunesAccuracyLatencyAndMeasuredEnergyWithBohbOverEpochs() {
    StudyConfig c = StudyFileParser.standard().parse(STUDY_FILE);
    assertEquals("djl-digits", c.name());
    assertEquals(
        List.of(MlpObjective.ACCURACY, MlpObjective.LATENCY_MS, MlpTuning.ENERGY_WH),
        c.objectives().stream().map(o -> o.name()).toList());
    assertEquals(List.of(MlpTuning.ENERGY_WH), c.energy().measuredObjectives());
    assertEquals(Map.of(Device.cpuPackage(0), 65.0), Map.copyOf(c.energy().constantWatts()));
    assertEquals(AdvisorMode.REPORT, c.advisor().orElseThrow().mode());
    assertEquals(1, c.constraints().size());
    assertTrue(c.scheduler().isBohb(), String.valueOf(c.scheduler()));
    assertEquals(1.0, ((Number) c.scheduler().settings().get("min_budget")).doubleValue());
    assertEquals(27.0, ((Number) c.scheduler().settings().get("max_budget")).doubleValue());
    assertEquals(new ObjectiveSpec.JavaClass(MlpObjective.class.getName()), c.objective());
  }

  @Test
  void aTinyStudyRunsThroughTheCliAndItsReportIsWritten(@TempDir Path dir) throws Exception {
    // A copy, so the advisor's reports land in the scratch directory, not the source tree.
    Path study = dir.resolve("study.yaml");
    Files.copy(STUDY_FILE, study);
    Path journal = dir.resolve("journal.jsonl");
    String storage = "journal:" + journal;

    Run tune = cli("tune", study.toString(), "--trials", "4", "--storage", storage);
    assertEquals(0, tune.exit(), tune.out() + tune.err());

    List<FrozenTrial> trials;
    try (JournalStorage store = JournalStorage.open(journal)) {
      trials = store.trials("djl-digits");
    }
    assertEquals(4, trials.size());
    for (FrozenTrial t : trials) {
      // BOHB's first bracket starts every configuration at the smallest budget: one epoch.
      assertEquals(1.0, t.budget(), "trial " + t.number());
      if (t.state() == TrialState.COMPLETE) {
        assertEquals(3, t.values().size());
        assertTrue(t.values().get(2) > 0, "energy " + t.values());
        List<Double> epoch = t.intermediateValues().get(1L);
        assertEquals(t.values().get(0), epoch.get(0), 1e-12);
        // Energy is measured around the whole trial, so it has no per-epoch value.
        assertTrue(Double.isNaN(epoch.get(2)), "epoch values " + epoch);
      }
    }
    assertTrue(
        trials.stream().anyMatch(t -> t.state() == TrialState.COMPLETE), "no trial completed");

    Path out = dir.resolve("report");
    Run report = cli("report", "djl-digits", "--storage", storage, "--out", out.toString());
    assertEquals(0, report.exit(), report.out() + report.err());
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("djl-digits"), "the report names the study");
  }

  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
