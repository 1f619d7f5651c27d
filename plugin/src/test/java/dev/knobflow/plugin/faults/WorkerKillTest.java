package dev.knobflow.plugin.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.plugin.recovery.StaleTrialRecovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a worker process in the middle of a trial: its RUNNING trial is found through its
 * missing heartbeat and the study still reaches its trial count.
 */
class WorkerKillTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String STUDY = "killed-worker";

  private static List<FrozenTrial> trials(Path journal) {
    try (JournalStorage storage = JournalStorage.open(journal)) {
      return storage.trials(STUDY);
    }
  }

  /** Starts a worker that completes 3 trials, hangs inside the 4th and is killed there. */
  private static int killWorkerInsideItsFourthTrial(Path dir, Path journal) throws Exception {
    try (ChildJvm doomed =
        ChildJvm.start(
            JournalWorkerProcess.class,
            dir.resolve("doomed.log"),
            "journal=" + journal,
            "study=" + STUDY,
            "trials=100",
            "hangAfter=3",
            "heartbeatMs=100",
            "staleMs=1000")) {
      String hanging = doomed.awaitLine(l -> l.startsWith("HANGING "), WAIT);
      int number = Integer.parseInt(hanging.substring("HANGING ".length()));
      // Kill only once the hung trial has beaten at least once: staleness then comes from a
      // heartbeat that stopped, not from a trial that never had one.
      long end = System.nanoTime() + WAIT.toNanos();
      while (trials(journal).get(number).heartbeat() == null && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      doomed.kill();
      return number;
    }
  }

  private static Map<Integer, Long> doneLines(List<String> lines) {
    Map<Integer, Long> done = new HashMap<>();
    for (String l : lines) {
      if (l.startsWith("DONE ")) {
        done.merge(Integer.parseInt(l.split(" ")[1]), 1L, Long::sum);
      }
    }
    return done;
  }

  @Test
  void killedWorkersTrialIsFailedAsStaleAndANewWorkerCompletesTheTrialCount(@TempDir Path dir)
      throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    int killed = killWorkerInsideItsFourthTrial(dir, journal);
    FrozenTrial orphan = trials(journal).get(killed);
    assertEquals(TrialState.RUNNING, orphan.state(), "SIGKILL leaves the trial RUNNING");
    assertTrue(orphan.heartbeat() != null, "the dead worker had been sending heartbeats");

    Thread.sleep(1_300); // longer than staleAfter (1 s) since the last heartbeat
    try (ChildJvm survivor =
        ChildJvm.start(
            JournalWorkerProcess.class,
            dir.resolve("survivor.log"),
            "journal=" + journal,
            "study=" + STUDY,
            "trials=5",
            "heartbeatMs=100",
            "staleMs=1000")) {
      assertEquals(0, survivor.await(WAIT), survivor.lines().toString());
      assertEquals(5, doneLines(survivor.lines()).size());
    }

    List<FrozenTrial> all = trials(journal);
    FrozenTrial failed = all.get(killed);
    assertEquals(TrialState.FAIL, failed.state());
    assertTrue(failed.failReason().contains("heartbeat"), failed.failReason());
    List<FrozenTrial> complete =
        all.stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
    assertEquals(8, complete.size(), "3 before the kill + 5 by the second worker");
    assertEquals(9, all.size(), "8 COMPLETE and the one FAIL, nothing else");
    assertEquals(
        all.size(), all.stream().map(FrozenTrial::number).collect(Collectors.toSet()).size());
  }

  @Test
  void requeuePolicyRunsTheKilledTrialsParametersAgain(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    int killed = killWorkerInsideItsFourthTrial(dir, journal);
    Object killedX = trials(journal).get(killed).params().get("x");
    assertTrue(killedX instanceof Double, "the killed trial had suggested x: " + killedX);

    Thread.sleep(1_300);
    List<String> out;
    try (ChildJvm resumer =
        ChildJvm.start(
            JournalWorkerProcess.class,
            dir.resolve("resumer.log"),
            "journal=" + journal,
            "study=" + STUDY,
            "trials=5",
            "heartbeatMs=100",
            "staleMs=1000",
            "requeue=true")) {
      assertEquals(0, resumer.await(WAIT), resumer.lines().toString());
      out = resumer.lines();
    }
    assertTrue(
        out.stream().anyMatch(l -> l.startsWith("REQUEUED " + killed + " ")), out.toString());

    List<FrozenTrial> all = trials(journal);
    assertEquals(TrialState.FAIL, all.get(killed).state());
    List<FrozenTrial> repeats =
        all.stream()
            .filter(t -> t.systemAttrs().containsKey(StaleTrialRecovery.REQUEUED_FROM))
            .toList();
    assertEquals(1, repeats.size(), "requeued exactly once");
    FrozenTrial repeat = repeats.get(0);
    assertEquals(
        killed, ((Number) repeat.systemAttrs().get(StaleTrialRecovery.REQUEUED_FROM)).intValue());
    assertEquals(TrialState.COMPLETE, repeat.state());
    assertEquals(killedX, repeat.params().get("x"), "the same point, evaluated again");
    double x = (Double) killedX;
    assertEquals(x * x, repeat.values().get(0), 1e-12);
    assertEquals(
        8, all.stream().filter(t -> t.state() == TrialState.COMPLETE).count(), "3 + 5 COMPLETE");
    assertTrue(repeat.number() > killed);
    assertEquals(
        Set.of(), Set.copyOf(all.stream().filter(t -> t.state() == TrialState.RUNNING).toList()));
  }
}
