package dev.knobflow.plugin.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.TrialTarget;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.plugin.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code knobflow tune} and two {@code knobflow worker} processes on one journal share the study's
 * trial target: together they stop at it, instead of each worker running every trial still missing
 * when it joined.
 */
class SharedTrialTargetProcessesTest {

  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final int TARGET = 12;
  private static final int WORKERS = 2;

  @TempDir Path dir;

  @Test
  void tuneAndTwoWorkersStopTogetherAtTheStudysTarget() throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    // Trials wait for a go file, so that all three processes join while 12 trials are missing.
    Files.writeString(
        dir.resolve("objective.sh"),
        "while [ ! -f go ]; do sleep 0.05; done; sleep 0.2; echo \"{\\\"loss\\\": $(($1 * $1))}\"\n");
    Path studyFile =
        Files.writeString(
            dir.resolve("study.yaml"),
            """
            name: shared
            storage: journal:journal.jsonl
            seed: 3
            objectives: [{name: loss, direction: minimize}]
            space: {x: {type: int, low: -50, high: 50}}
            trials: %d
            objective: {command: [bash, objective.sh, "{x}"]}
            """
                .formatted(TARGET));
    List<ChildJvm> processes = new ArrayList<>();
    try {
      processes.add(
          ChildJvm.start(Main.class, dir.resolve("tune.log"), "tune", studyFile.toString()));
      // Workers join once tune has stored the study's definition and its target.
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> storedTarget(journal) == TARGET);
      for (int w = 0; w < WORKERS; w++) {
        processes.add(
            ChildJvm.start(
                Main.class,
                dir.resolve("worker-" + w + ".log"),
                "worker",
                "shared",
                "--storage",
                "journal:" + journal,
                "--dir",
                dir.toString()));
      }
      for (ChildJvm p : processes.subList(1, processes.size())) {
        p.awaitLine(l -> l.startsWith("Joining study 'shared' (12 trials"), WAIT);
      }
      // Each process has started its first trial before any finishes.
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> running(journal) == 1 + WORKERS);
      Files.writeString(dir.resolve("go"), "");
      for (ChildJvm p : processes) {
        assertEquals(0, p.await(WAIT), p.lines() + logs());
      }
    } finally {
      processes.forEach(ChildJvm::close);
    }

    List<FrozenTrial> trials;
    try (JournalStorage storage = JournalStorage.open(journal)) {
      trials = storage.trials("shared");
    }
    // Nothing lost or left RUNNING: every trial finished, numbers unique and dense.
    assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.COMPLETE), trials.toString());
    assertEquals(
        IntStream.range(0, trials.size()).boxed().toList(),
        trials.stream().map(FrozenTrial::number).toList());
    // The journal checks the target and creates the trial under its file lock, so the 3 processes
    // racing on the last places end exactly at the target (before the shared target, each process
    // would have run the 12 trials missing when it joined: 36 in all).
    assertEquals(TARGET, trials.size(), trials.size() + " trials for a target of " + TARGET);
    List<Integer> ran = processes.stream().map(SharedTrialTargetProcessesTest::ranBy).toList();
    assertTrue(ran.stream().allMatch(n -> n > 0), "all three ran trials: " + ran);
    System.out.println("trials run by tune and each worker: " + ran + ", study: " + trials.size());
    int reported = ran.stream().mapToInt(Integer::intValue).sum();
    assertEquals(trials.size(), reported, "every process's summary adds up to the study");
  }

  private static long running(Path journal) {
    try (JournalStorage storage = JournalStorage.open(journal)) {
      return storage.trials("shared").stream().filter(t -> t.state() == TrialState.RUNNING).count();
    }
  }

  private static long storedTarget(Path journal) {
    if (!Files.exists(journal)) {
      return -1;
    }
    try (JournalStorage storage = JournalStorage.open(journal)) {
      return TrialTarget.stored(storage, "shared").orElse(-1);
    }
  }

  /**
   * The trial count of a process's {@code Done: N trials} summary line; 0 for a worker that joined
   * after the target was reached (the machine is loaded: a JVM can start late).
   */
  private static int ranBy(ChildJvm p) {
    if (p.lines().stream().anyMatch(l -> l.contains("nothing to run"))) {
      return 0;
    }
    return p.lines().stream()
        .filter(l -> l.startsWith("Done: "))
        .map(l -> Integer.parseInt(l.replaceAll("^Done: (\\d+) trials?.*", "$1")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no summary in " + p.lines()));
  }

  private String logs() throws Exception {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        all.append("\n--- ").append(f.getFileName()).append('\n').append(Files.readString(f));
      }
    }
    return all.toString();
  }
}
