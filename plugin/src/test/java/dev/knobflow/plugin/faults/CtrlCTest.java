package dev.knobflow.plugin.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.plugin.cli.Main;
import dev.knobflow.plugin.objective.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C during {@code knobflow tune} behaves the same on a terminal (a pseudo-terminal, where the
 * terminal sends SIGINT to the foreground process group) and without one (SIGINT to the process
 * group): the running trial is FAIL "interrupted (Ctrl-C)", the summary is printed, the exit code
 * is 130 and the objective's process is gone.
 */
class CtrlCTest {

  private static final String OBJECTIVE =
      """
      #!/bin/bash
      echo $$ > objective.pid
      touch started
      sleep 600
      """;

  private static final String STUDY =
      """
      name: ctrl-c
      storage: journal:journal.jsonl
      objectives: [{name: loss, direction: minimize}]
      space: {x: {type: float, low: 0, high: 1}}
      trials: 5
      objective: {command: [bash, objective.sh]}
      """;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"pty", "pipe"})
  void ctrlCFailsTheRunningTrialPrintsTheSummaryAndExits130(String mode) throws Exception {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux process groups");
    assumeTrue(python3(), "python3 drives the pseudo-terminal");
    Files.writeString(dir.resolve("objective.sh"), OBJECTIVE);
    Files.writeString(dir.resolve("study.yaml"), STUDY);
    Path driver = dir.resolve("ctrl_c.py");
    try (InputStream in = CtrlCTest.class.getResourceAsStream("ctrl_c.py")) {
      Files.copy(in, driver);
    }
    List<String> command = new ArrayList<>();
    command.addAll(List.of("python3", driver.toString(), mode, dir.resolve("started").toString()));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.addAll(List.of(Main.class.getName(), "tune", dir.resolve("study.yaml").toString()));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), out);

    assertTrue(out.contains("EXIT 130"), mode + ": exit code 130\n" + out);
    assertTrue(out.contains("interrupted: 1 running trial marked FAIL"), mode + "\n" + out);
    assertTrue(out.contains("Done: "), mode + ": the summary\n" + out);
    assertTrue(out.contains("Study 'ctrl-c' now has 1 trials: FAIL 1"), mode + "\n" + out);
    try (JournalStorage storage = JournalStorage.open(dir.resolve("journal.jsonl"))) {
      List<FrozenTrial> trials = storage.trials("ctrl-c");
      assertEquals(1, trials.size(), mode + "\n" + out);
      assertEquals(TrialState.FAIL, trials.get(0).state());
      assertEquals("interrupted (Ctrl-C)", trials.get(0).failReason());
    }
    long pid = Long.parseLong(Files.readString(dir.resolve("objective.pid")).trim());
    await("the objective ends with the study")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Processes.isRunning(pid));
  }

  private static boolean python3() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
