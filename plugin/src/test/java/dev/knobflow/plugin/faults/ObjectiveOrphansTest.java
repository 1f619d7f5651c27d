package dev.knobflow.plugin.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.knobflow.plugin.cli.Main;
import dev.knobflow.plugin.objective.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a {@code knobflow tune} JVM while command objectives run: their whole process
 * trees (the command, its children and grandchildren) end too, without any later Knobflow run.
 */
class ObjectiveOrphansTest {

  /** Each trial records its own PID, a child's and a grandchild's, then waits on them. */
  private static final String OBJECTIVE =
      """
      #!/bin/bash
      echo $$ >> pids.txt
      sleep 600 &
      echo $! >> pids.txt
      bash -c 'sleep 600; echo never' &
      echo $! >> pids.txt
      wait
      """;

  private static final String STUDY =
      """
      name: orphans
      storage: journal:journal.jsonl
      objectives: [{name: loss, direction: minimize}]
      space: {x: {type: float, low: 0, high: 1}}
      trials: 100
      parallelism: 2
      objective: {command: [bash, objective.sh]}
      """;

  @TempDir Path dir;

  @Test
  void killingTheJvmTenTimesLeavesNoObjectiveProcess() throws Exception {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the supervisor is Linux-only");
    for (int round = 0; round < 10; round++) {
      Path work = Files.createDirectories(dir.resolve("round-" + round));
      Files.writeString(work.resolve("objective.sh"), OBJECTIVE);
      Files.writeString(work.resolve("study.yaml"), STUDY);
      Path pidFile = work.resolve("pids.txt");
      List<Long> pids = new ArrayList<>();
      try (ChildJvm tune =
          ChildJvm.start(
              Main.class,
              work.resolve("tune.log"),
              "tune",
              work.resolve("study.yaml").toString())) {
        // Both parallel trials have started their whole trees.
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> pids(pidFile).size() >= 6);
        pids.addAll(pids(pidFile));
        assertTrue(pids.stream().allMatch(Processes::isRunning), "all running before the kill");
        tune.kill();
      }
      try {
        int r = round;
        await("round " + r + ": no objective process outlives the killed JVM")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> pids.stream().noneMatch(Processes::isRunning));
      } finally {
        // Never leave strays behind, even when the assertion failed.
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      }
    }
  }

  private static List<Long> pids(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<Long> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        out.add(Long.parseLong(line.trim()));
      }
    }
    return out;
  }
}
