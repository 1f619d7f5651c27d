package dev.knobflow.examples.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Study;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpTuningTest {

  @Test
  void runsBohbWithMeasuredEnergyAndPrintsTheFront(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    MlpTuning.Options options =
        MlpTuning.Options.parse("--trials", "3", "--journal", journal.toString(), "--watts=40");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    Study study =
        MlpTuning.run(
            options,
            new MlpObjective(MlpConfig.defaults()),
            new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String out = buffer.toString(StandardCharsets.UTF_8);

    assertEquals(3, study.trials().size());
    for (FrozenTrial t : study.trials()) {
      // BOHB's first bracket: every new configuration gets the smallest budget, one epoch.
      assertEquals(1.0, t.budget(), "trial " + t.number());
      if (!t.values().isEmpty()) {
        assertTrue(t.values().get(2) > 0, "energy_wh " + t.values());
      }
    }
    assertTrue(out.contains("best accuracy"), out);
    assertTrue(out.contains("Pareto front (" + study.paretoFront().size() + " trials)"), out);
    // RAPL where readable, else the CPU package estimated at --watts: either way a source is named.
    assertTrue(out.matches("(?s).*\\(power: \\[(intel-rapl|constant).*"), out);
  }

  @Test
  void optionsHaveDefaultsAndRejectBadValuesByName() {
    MlpTuning.Options d = MlpTuning.Options.parse();
    assertEquals(69, d.study().trials());
    assertEquals("djl-digits", d.study().studyName());
    assertEquals(
        "--watts must be a positive number, got -1.0",
        assertThrows(IllegalArgumentException.class, () -> MlpTuning.Options.parse("--watts", "-1"))
            .getMessage());
    assertEquals(
        "--trials must be a whole number, got 'x'",
        assertThrows(IllegalArgumentException.class, () -> MlpTuning.Options.parse("--trials", "x"))
            .getMessage());
    String unknown =
        assertThrows(IllegalArgumentException.class, () -> MlpTuning.Options.parse("--bogus", "1"))
            .getMessage();
    assertTrue(unknown.startsWith("unknown option '--bogus'; usage:"), unknown);
  }
}
