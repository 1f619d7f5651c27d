package dev.knobflow.plugin.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.schedulers.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandObjectiveTest {

  @TempDir Path dir;

  private Path script(String body) throws IOException {
    Path p = dir.resolve("objective.sh");
    Files.writeString(p, "#!/bin/bash\n" + body);
    return p;
  }

  private static Study study(Scheduler scheduler) {
    return Study.builder("cmd")
        .objectives(Objective.minimize("loss"))
        .space(SearchSpace.builder().floatParam("lr", 0.001, 0.1).intParam("layers", 1, 4).build())
        .scheduler(scheduler)
        .seed(7)
        .build();
  }

  @Test
  void budgetAndTrialInfoReachTheCommandAndPruningStopsIt() throws Exception {
    // The scheduler grants budget 3 and prunes as soon as step 1 is reported.
    Scheduler pruneAtStepOne =
        new Scheduler() {
          @Override
          public boolean shouldPrune(StudyView study, FrozenTrial trial) {
            return trial.intermediateValues().containsKey(1L);
          }

          @Override
          public OptionalDouble budgetFor(StudyView study, FrozenTrial trial) {
            return OptionalDouble.of(3);
          }
        };
    script(
        """
        echo "{\\"step\\": 0, \\"loss\\": 0.9, \\"budget_seen\\": $KNOBFLOW_BUDGET, \\"arg\\": $1}"
        echo "{\\"step\\": 1, \\"loss\\": 0.8}"
        sleep 20
        echo '{"loss": 0.1}'
        """);
    Study study = study(pruneAtStepOne);
    try (CommandObjective objective =
        CommandObjective.builder(List.of("bash", "objective.sh", "{budget}"), List.of("loss"))
            .workingDirectory(dir)
            .killGrace(Duration.ofSeconds(1))
            .build()) {
      long start = System.nanoTime();
      study.optimize(objective, OptimizeOptions.trials(1));
      assertTrue(System.nanoTime() - start < 15e9, "the pruned command was not stopped");
    }
    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.PRUNED, t.state());
    assertEquals(List.of(0.8), t.values());
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Double>> extra =
        (Map<String, Map<String, Double>>)
            t.userAttrs().get(CommandObjective.INTERMEDIATE_METRICS_ATTR);
    assertEquals(Map.of("budget_seen", 3.0, "arg", 3.0), extra.get("0"));
  }

  @Test
  void paramsEnvironmentIsJsonOfTheTrialsParams() throws Exception {
    // python-free check: the command echoes KNOBFLOW_PARAMS back as its final record's source.
    script(
        """
        echo "$KNOBFLOW_PARAMS" > params-$KNOBFLOW_TRIAL_NUMBER.json
        echo "{\\"loss\\": $1, \\"layers_seen\\": $2}"
        """);
    Study study = study(Scheduler.none());
    try (CommandObjective objective =
        CommandObjective.builder(
                List.of("bash", "objective.sh", "{lr}", "{layers}"), List.of("loss"))
            .workingDirectory(dir)
            .build()) {
      study.optimize(objective, OptimizeOptions.trials(2));
    }
    for (FrozenTrial t : study.trials()) {
      assertEquals(TrialState.COMPLETE, t.state(), t.failReason());
      assertEquals((Double) t.params().get("lr"), t.value(), 0.0);
      assertEquals(((Long) t.params().get("layers")).doubleValue(), t.metrics().get("layers_seen"));
      String json = Files.readString(dir.resolve("params-" + t.number() + ".json")).trim();
      Map<?, ?> params =
          new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
      assertEquals(t.params().get("lr"), params.get("lr"));
      assertEquals(((Long) t.params().get("layers")).intValue(), params.get("layers"));
    }
  }

  @Test
  void aCommandThatCannotStartFailsTheTrialWithTheReason() throws Exception {
    Study study = study(Scheduler.none());
    try (CommandObjective objective =
        CommandObjective.builder(List.of("./no-such-program-here"), List.of("loss"))
            .workingDirectory(dir)
            .build()) {
      study.optimize(objective, OptimizeOptions.trials(1));
    }
    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.FAIL, t.state());
    assertTrue(t.failReason().contains("cannot start ./no-such-program-here"), t.failReason());
  }

  @Test
  void closeStopsRunningCommands() throws Exception {
    script("echo $$ > running.pid\nsleep 30\n");
    Study study = study(Scheduler.none());
    CommandObjective objective =
        CommandObjective.builder(List.of("bash", "objective.sh"), List.of("loss"))
            .workingDirectory(dir)
            .killGrace(Duration.ofSeconds(1))
            .build();
    Thread runner = new Thread(() -> study.optimize(objective, OptimizeOptions.trials(1)));
    runner.start();
    Path pidFile = dir.resolve("running.pid");
    long deadline = System.currentTimeMillis() + 10_000;
    while ((!Files.exists(pidFile) || Files.readString(pidFile).isBlank())
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    study.failRunningTrials("interrupted (Ctrl-C)");
    objective.close();
    runner.join(10_000);
    assertFalse(runner.isAlive());
    assertFalse(Processes.isRunning(pid));
    FrozenTrial t = study.trials().get(0);
    assertEquals(TrialState.FAIL, t.state());
    assertEquals("interrupted (Ctrl-C)", t.failReason());
  }
}
