package dev.knobflow.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.config.StudyFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnobflowTest {
  @TempDir Path dir;

  private Path file(String objectiveClass, String extra) throws Exception {
    Path f = dir.resolve("study.yaml");
    Files.writeString(
        f,
        """
        name: quadratic
        storage: memory
        seed: 3
        objectives: [{name: loss, direction: minimize}]
        space:
          x: {type: float, low: -5, high: 5}
        sampler: {type: sobol}
        trials: 24
        objective: {class: %s}
        %s
        """
            .formatted(objectiveClass, extra));
    return f;
  }

  @Test
  void tuneRunsAClassObjectiveWithDefineByRunParametersAndConstraints() throws Exception {
    Knobflow.TuneResult result =
        Knobflow.tune(
            file(
                "dev.knobflow.plugin.objective.QuadraticObjective",
                "constraints: [{metric: abs_x, min: 1}]"));
    assertEquals(24, result.summary().finished());
    assertEquals(
        24, result.trials().stream().filter(t -> t.state() == TrialState.COMPLETE).count());
    FrozenTrial best = result.paretoFront().get(0);
    assertTrue(best.isFeasible());
    assertTrue(best.params().containsKey("y"), "the define-by-run parameter was recorded");
    // Sobol covers [-5, 5] evenly: 24 points land one within ~0.5 of the optimum x = 2.
    assertTrue(Math.abs((Double) best.params().get("x") - 2) < 0.6, best.params().toString());
    assertEquals(1, result.trials().get(0).constraints().size());
  }

  @Test
  void anUnknownClassIsBadInputNamingTheField() throws Exception {
    StudyFileException e =
        assertThrows(
            StudyFileException.class, () -> Knobflow.tune(file("com.example.Missing", "")));
    assertEquals("objective.class", e.problems().get(0).path());
    assertTrue(e.getMessage().contains("KNOBFLOW_CLASSPATH"), e.getMessage());
  }
}
