package dev.knobflow.plugin.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a command's final record may hold, and the reasons given when it holds something else. */
class CommandObjectiveRecordsTest {

  @TempDir Path dir;

  private FrozenTrial runPrinting(String line) throws Exception {
    Files.writeString(dir.resolve("objective.sh"), "#!/bin/bash\ncat <<'EOF'\n" + line + "\nEOF\n");
    return run(List.of("bash", "objective.sh"));
  }

  private FrozenTrial run(List<String> command) throws Exception {
    Study study = Study.builder("cmd").objectives(Objective.minimize("loss")).seed(1).build();
    try (CommandObjective objective =
        CommandObjective.builder(command, List.of("loss")).workingDirectory(dir).build()) {
      study.optimize(objective, OptimizeOptions.trials(1));
    }
    return study.trials().get(0);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"loss\": \"-Infinity\"}|'loss' is \"-Infinity\"",
        "{\"loss\": \"Infinity\"}|'loss' is \"Infinity\"",
        "{\"loss\": 1e309}|'loss' is 1E+309 (beyond the range of a double: Infinity)",
        "{\"loss\": -1e309}|'loss' is -1E+309 (beyond the range of a double: -Infinity)",
        "{\"loss\": Infinity}|'loss' is Infinity",
        "{\"loss\": NaN}|'loss' is NaN",
        "{\"loss\": \"NaN\"}|'loss' is \"NaN\"",
      })
  void nonFiniteObjectiveValuesFailTheTrialNamingTheValue(String line, String named)
      throws Exception {
    FrozenTrial t = runPrinting(line);
    assertEquals(TrialState.FAIL, t.state());
    assertTrue(t.failReason().contains(named), t.failReason());
    assertTrue(t.failReason().contains("must be finite numbers"), t.failReason());
  }

  @Test
  void nonFiniteConstraintFailsTheTrial() throws Exception {
    FrozenTrial t = runPrinting("{\"loss\": 0.5, \"constraints\": [-1, \"Infinity\"]}");
    assertEquals(TrialState.FAIL, t.state());
    assertTrue(t.failReason().contains("constraint 2 is Infinity"), t.failReason());
  }

  @Test
  void aTextValueIsNamedAsNotANumber() throws Exception {
    FrozenTrial t = runPrinting("{\"loss\": \"abc\", \"acc\": 0.9}");
    assertEquals(TrialState.FAIL, t.state());
    assertTrue(
        t.failReason().contains("objective 'loss' is \"abc\", not a number"), t.failReason());
  }

  @Test
  void aMissingObjectiveListsTheKeysTheRecordHas() throws Exception {
    FrozenTrial t = runPrinting("{\"acc\": 0.9, \"note\": \"x\"}");
    assertEquals(TrialState.FAIL, t.state());
    assertTrue(
        t.failReason().contains("no value for objective 'loss' (it has only acc, note)"),
        t.failReason());
  }

  @Test
  void aHugeNonJsonLineIsCutWhenLoggedAndTheTrialStillCompletes() throws Exception {
    Files.writeString(
        dir.resolve("objective.sh"),
        "#!/bin/bash\nhead -c 10000000 /dev/zero | tr '\\0' x; echo\necho '{\"loss\": 0.5}'\n");
    FrozenTrial t = run(List.of("bash", "objective.sh"));
    assertEquals(TrialState.COMPLETE, t.state());
    assertEquals(List.of(0.5), t.values());
    String huge = "x".repeat(10_000_000);
    String logged = CommandObjective.abbreviate(huge);
    assertTrue(logged.length() < 2_100, "cut to a few thousand characters");
    assertTrue(logged.endsWith("... (9998000 more characters not shown)"), logged.substring(1990));
    assertEquals("short", CommandObjective.abbreviate("short"));
  }
}
