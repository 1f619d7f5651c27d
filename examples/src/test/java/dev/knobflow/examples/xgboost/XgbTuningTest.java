package dev.knobflow.examples.xgboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XgbTuningTest {

  @Test
  void runsEndToEndOnAJournalPrintsTheFrontAndResumes(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("j/journal.jsonl");
    XgbTuning.Options options =
        XgbTuning.Options.parse("--trials", "3", "--journal", journal.toString(), "--seed=7");
    XgbObjective objective = new XgbObjective(XgbConfig.defaults().withRounds(30));
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    Study study =
        XgbTuning.run(options, objective, new PrintStream(buffer, true, StandardCharsets.UTF_8));
    String out = buffer.toString(StandardCharsets.UTF_8);

    assertTrue(Files.size(journal) > 0, "journal written");
    assertEquals(3L, study.countByState().get(TrialState.COMPLETE));
    assertTrue(out.contains("Pareto front (" + study.paretoFront().size() + " trials)"), out);
    String header = out.lines().filter(l -> l.trim().startsWith("trial")).findFirst().orElseThrow();
    assertTrue(header.contains("accuracy") && header.contains("latency_ms"), header);
    assertTrue(header.contains("model_size_bytes") && header.contains("max_depth"), header);
    long frontRows = out.lines().dropWhile(l -> !l.equals(header)).count() - 1;
    assertEquals(study.paretoFront().size(), frontRows, out);

    // Same journal and study name: the study resumes and grows.
    Study resumed =
        XgbTuning.run(
            XgbTuning.Options.parse("--trials", "1", "--journal", journal.toString()),
            objective,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(4, resumed.trials().size());
  }

  @Test
  void optionsHaveDefaultsAndRejectBadValuesByName() {
    XgbTuning.Options d = XgbTuning.Options.parse();
    assertEquals(60, d.study().trials());
    assertEquals(42, d.study().seed());
    assertEquals("xgb-demo", d.study().studyName());
    assertEquals(
        "--trials must be a whole number, got 'x'",
        assertThrows(IllegalArgumentException.class, () -> XgbTuning.Options.parse("--trials", "x"))
            .getMessage());
    String unknown =
        assertThrows(IllegalArgumentException.class, () -> XgbTuning.Options.parse("--bogus", "1"))
            .getMessage();
    assertTrue(unknown.startsWith("unknown option '--bogus'; usage:"), unknown);
    assertFalse(
        assertThrows(IllegalArgumentException.class, () -> XgbTuning.Options.parse("--trials"))
            .getMessage()
            .isEmpty());
  }
}
