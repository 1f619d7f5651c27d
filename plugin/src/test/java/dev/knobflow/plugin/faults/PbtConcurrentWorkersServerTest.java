package dev.knobflow.plugin.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.mlflowrest.ArtifactInfo;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.TrialTarget;
import dev.knobflow.plugin.cli.Main;
import dev.knobflow.plugin.mlflow.storage.MlflowStudyStorage;
import dev.knobflow.plugin.testing.MlflowTestServer;
import dev.knobflow.plugin.testing.PbtToy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One PBT study run by {@code knobflow tune} and two {@code knobflow worker} processes at the same
 * time, each in a directory of its own, on the MLflow storage with {@code checkpoints: mlflow}: the
 * processes share only the MLflow server, so every checkpoint a segment continues from, its own
 * process's or another's, comes through the study run's artifacts, while the other processes prune
 * the checkpoints no segment needs any more.
 */
@Tag("mlflow")
class PbtConcurrentWorkersServerTest {

  private static final Duration WAIT = Duration.ofMinutes(5);
  private static final int TARGET = 18;
  private static final int POPULATION = 4;
  private static final int INTERVAL = 2;

  @TempDir Path dir;

  private final String uri = MlflowTestServer.shared().trackingUri();

  @Test
  void tuneAndTwoWorkersRunOnePbtStudyAtOnceHandingCheckpointsOverThroughTheStudyRun()
      throws Exception {
    String name = "pbt-concurrent-" + UUID.randomUUID().toString().substring(0, 8);
    PbtToy.Study study =
        PbtToy.study(name)
            .storage("mlflow")
            .tracking(uri)
            .pbt(POPULATION, INTERVAL)
            .quantile(0.5)
            .trials(TARGET)
            .checkpoints("mlflow");
    List<Path> homes = new ArrayList<>();
    for (int w = 1; w <= 3; w++) {
      Path home = Files.createDirectories(dir.resolve("worker-" + w));
      PbtToy.writeScript(home);
      Files.writeString(home.resolve("worker.id"), Integer.toString(w));
      // Segments wait for a go file, so that all three processes hold one at the same moment.
      Files.writeString(home.resolve("gated"), "");
      homes.add(home);
    }
    Path studyFile = study.writeTo(homes.get(0));

    List<ChildJvm> processes = new ArrayList<>();
    try {
      processes.add(
          ChildJvm.start(Main.class, dir.resolve("tune.log"), "tune", studyFile.toString()));
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> storedTarget(name) == TARGET);
      for (Path home : homes.subList(1, homes.size())) {
        processes.add(
            ChildJvm.start(
                Main.class,
                dir.resolve(home.getFileName() + ".log"),
                "worker",
                name,
                "--storage",
                "mlflow:" + uri,
                "--dir",
                home.toString()));
      }
      // Each process (parallelism 1) holds a segment before any trains.
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> running(name) == homes.size());
      for (Path home : homes) {
        Files.writeString(home.resolve("go"), "");
      }
      for (int i = 0; i < processes.size(); i++) {
        Path log = dir.resolve(i == 0 ? "tune.log" : homes.get(i).getFileName() + ".log");
        ChildJvm p = processes.get(i);
        assertEquals(0, p.await(WAIT), () -> p.lines() + "\n" + read(log));
      }
    } finally {
      processes.forEach(ChildJvm::close);
    }

    List<FrozenTrial> trials;
    String runId;
    try (MlflowStudyStorage storage = MlflowStudyStorage.open(MlflowConnection.of(uri), name)) {
      trials = storage.trials(name);
      runId = storage.studyRunId(name).orElseThrow();
    }
    // The study reaches its target (the processes racing for the last places may each start one
    // more) with every segment complete: none lost a checkpoint it needed to a pruning process.
    assertTrue(trials.size() >= TARGET && trials.size() <= TARGET + 2, trials.size() + " trials");
    PbtToy.Segments segments = PbtToy.assertSegmentsContinueTheirParents(trials, INTERVAL);
    for (FrozenTrial t : trials) {
      assertEquals(
          "runs:/" + runId + "/checkpoints/trial-" + t.number(),
          t.systemAttrs().get(Checkpoint.LOCATION_ATTR),
          "trial " + t.number() + "'s checkpoint is in the study run");
    }
    Set<Double> workers =
        trials.stream().map(t -> t.metrics().get("worker")).collect(Collectors.toSet());
    assertEquals(Set.of(1.0, 2.0, 3.0), workers, "all three processes ran segments");
    System.out.println(
        trials.size()
            + " segments by worker "
            + trials.stream()
                .collect(
                    Collectors.groupingBy(t -> t.metrics().get("worker"), Collectors.counting()))
            + ", "
            + segments.exploits()
            + " exploits, "
            + segments.handedOver()
            + " continuing another process's checkpoint");
    assertTrue(segments.exploits() >= 1, "exploits " + segments.exploits());
    assertTrue(segments.handedOver() >= 1, "segments continuing another process's checkpoint");

    // Pruned: only each member's latest segment's checkpoint is left in the study run.
    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      Set<String> left =
          tracking.artifacts().list(runId, "checkpoints").stream()
              .map(a -> a.path().substring(a.path().lastIndexOf('/') + 1))
              .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(PbtToy.latestCheckpointNames(trials), left);
      assertEquals(POPULATION, left.size());
      assertTrue(
          tracking.artifacts().list(runId, "checkpoints").stream()
              .allMatch(ArtifactInfo::directory));
    }
    // Nothing kept in any process's directory, and no process left behind.
    for (Path home : homes) {
      assertEquals(
          List.of(), PbtToy.filesUnder(home.resolve(".knobflow/checkpoints")), home.toString());
    }
    assertEquals(List.of(), processesIn(dir), "processes left running in the workers' directories");
  }

  private long storedTarget(String name) {
    try (MlflowStudyStorage storage = MlflowStudyStorage.open(MlflowConnection.of(uri), name)) {
      return storage.findStudy(name).isEmpty() ? -1 : TrialTarget.stored(storage, name).orElse(-1);
    }
  }

  private long running(String name) {
    try (MlflowStudyStorage storage = MlflowStudyStorage.open(MlflowConnection.of(uri), name)) {
      return storage.trials(name).stream().filter(t -> t.state() == TrialState.RUNNING).count();
    }
  }

  /**
   * The processes whose command line or working directory (Linux's /proc) is under {@code root}.
   */
  private static List<String> processesIn(Path root) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(
            p -> p.info().commandLine().orElse("").contains(root.toString()) || cwdUnder(p, root))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .toList();
  }

  private static boolean cwdUnder(ProcessHandle p, Path root) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd"))
          .startsWith(root);
    } catch (Exception e) {
      return false; // gone, or not ours to read
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
