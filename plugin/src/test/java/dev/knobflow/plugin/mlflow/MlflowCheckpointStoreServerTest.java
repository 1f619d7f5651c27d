package dev.knobflow.plugin.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.mlflowrest.ArtifactInfo;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.optimizers.CheckpointStore;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import dev.knobflow.optimizers.schedulers.pbt.PbtSettings;
import dev.knobflow.plugin.mlflow.storage.MlflowStudyStorage;
import dev.knobflow.plugin.objective.PbtCheckpointPruner;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API of checkpoints kept in the study run's MLflow artifacts: a Java objective that
 * checkpoints to files hands them through an {@link MlflowCheckpointStore}, two {@link Study}
 * instances on the MLflow storage (two workers with scratch directories of their own) continue each
 * other's members, and {@link PbtCheckpointPruner} leaves one checkpoint per member.
 */
@Tag("mlflow")
class MlflowCheckpointStoreServerTest {

  @TempDir Path dir;

  private final String uri = MlflowTestServer.shared().trackingUri();

  /** The PBT toy problem on files: state.txt holds theta0, theta1, the step and its writer. */
  private static ObjectiveFunction toy(CheckpointStore store, Path scratch) {
    return trial -> {
      double h0 = trial.suggestFloat("h0", 0, 1);
      double h1 = trial.suggestFloat("h1", 0, 1);
      double[] theta = {0.9, 0.9};
      long step = 0;
      try {
        Path restore = Files.createDirectories(scratch.resolve("restore-" + trial.number()));
        Optional<Path> from = store.restore(trial, restore);
        int restored = -1;
        if (from.isPresent()) {
          String[] s = Files.readString(from.get().resolve("state.txt")).trim().split(" ");
          theta = new double[] {Double.parseDouble(s[0]), Double.parseDouble(s[1])};
          step = Long.parseLong(s[2]);
          restored = Integer.parseInt(s[3]);
        }
        trial.setUserAttr("restored", restored);
        trial.setUserAttr("from_step", step);
        long budget = (long) trial.budget().orElseThrow();
        for (; step < budget; step++) {
          theta[0] += 0.01 * (-2 * h0 * theta[0]);
          theta[1] += 0.01 * (-2 * h1 * theta[1]);
        }
        Path out = Files.createDirectories(scratch.resolve("out-" + trial.number()));
        Files.writeString(
            out.resolve("state.txt"),
            theta[0] + " " + theta[1] + " " + step + " " + trial.number());
        store.save(trial, out);
        deleteTree(out);
        deleteTree(restore);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return TrialResult.of(1.2 - theta[0] * theta[0] - theta[1] * theta[1]);
    };
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One worker: its own storage connection, tracking connection and scratch directory. */
  private void work(String name, String label, int trials) throws IOException {
    Path scratch = Files.createDirectories(dir.resolve(label));
    try (MlflowStudyStorage storage = MlflowStudyStorage.open(MlflowConnection.of(uri), name);
        MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      CheckpointStore store =
          MlflowCheckpointStore.of(
              tracking.artifacts(), () -> storage.studyRunId(name).orElseThrow());
      Study study =
          Study.builder(name)
              .storage(storage)
              .objectives(Objective.maximize("q"))
              .sampler(RandomSampler.seeded(11))
              .scheduler(PbtScheduler.create(PbtSettings.builder(2, 3).quantile(0.5).build()))
              .listener(new PbtCheckpointPruner(store))
              .build();
      study.optimize(toy(store, scratch), OptimizeOptions.trials(trials));
    }
    try (Stream<Path> left = Files.list(scratch)) {
      assertEquals(List.of(), left.toList(), "nothing is kept in the worker's scratch");
    }
  }

  @Test
  void javaObjectivesOnTwoWorkersHandFileCheckpointsThroughTheStudyRunAndKeepOnePerMember()
      throws Exception {
    String name = "pbt-java-" + UUID.randomUUID().toString().substring(0, 8);
    work(name, "worker-a", 4);
    work(name, "worker-b", 4);

    List<FrozenTrial> trials;
    String runId;
    try (MlflowStudyStorage storage = MlflowStudyStorage.open(MlflowConnection.of(uri), name)) {
      trials = storage.trials(name);
      runId = storage.studyRunId(name).orElseThrow();
    }
    assertEquals(8, trials.size());
    Map<Integer, FrozenTrial> byNumber = new HashMap<>();
    trials.forEach(t -> byNumber.put(t.number(), t));
    int exploits = 0;
    int handedOver = 0;
    for (FrozenTrial t : trials) {
      assertEquals(TrialState.COMPLETE, t.state(), "trial " + t.number() + ": " + t.failReason());
      int restored = ((Number) t.userAttrs().get("restored")).intValue();
      Object parent = t.systemAttrs().get(dev.knobflow.optimizers.Checkpoint.PARENT_ATTR);
      if (parent == null) {
        assertEquals(-1, restored);
        continue;
      }
      int from = ((Number) parent).intValue();
      assertEquals(from, restored, "trial " + t.number() + " starts from its parent's state");
      assertEquals(
          byNumber.get(from).budget(),
          ((Number) t.userAttrs().get("from_step")).doubleValue(),
          "at the step its parent reached");
      exploits += t.systemAttrs().containsKey(PbtScheduler.EXPLOIT_ATTR) ? 1 : 0;
      handedOver += t.number() >= 4 && from < 4 ? 1 : 0;
    }
    assertTrue(exploits >= 1, "exploits " + exploits);
    assertTrue(handedOver >= 1, "handed over " + handedOver);

    Set<String> expected = new TreeSet<>();
    Map<Object, FrozenTrial> latest = new HashMap<>();
    for (FrozenTrial t : trials) {
      latest.merge(
          t.systemAttrs().get(PbtScheduler.MEMBER_ATTR),
          t,
          (x, y) -> x.budget() >= y.budget() ? x : y);
    }
    latest.values().forEach(t -> expected.add("checkpoints/trial-" + t.number()));
    assertEquals(2, expected.size());
    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      Set<String> left =
          tracking.artifacts().list(runId, "checkpoints").stream()
              .map(ArtifactInfo::path)
              .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(expected, left);
    }
  }

  @Test
  void artifactsDownloadWithNestedPathsAndDeletesWholeDirectoriesIdempotently() throws Exception {
    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      String experiment =
          tracking.runs().getOrCreateExperiment("ckpt-artifacts-" + UUID.randomUUID(), Map.of());
      String runId = tracking.runs().createRun(experiment, "study", Map.of()).runId();
      Path source = Files.createDirectories(dir.resolve("source/nested/deeper"));
      Files.writeString(dir.resolve("source/top.txt"), "top");
      Files.writeString(source.resolve("leaf.bin"), "leaf");
      tracking.artifacts().uploadDirectory(runId, dir.resolve("source"), "checkpoints/trial-1");

      Path into = Files.createDirectories(dir.resolve("into"));
      assertEquals(2, tracking.artifacts().download(runId, "checkpoints/trial-1", into));
      assertEquals("top", Files.readString(into.resolve("top.txt")));
      assertEquals("leaf", Files.readString(into.resolve("nested/deeper/leaf.bin")));
      Path single = Files.createDirectories(dir.resolve("single"));
      tracking.artifacts().download(runId, "checkpoints/trial-1/top.txt", single);
      assertEquals("top", Files.readString(single.resolve("top.txt")));

      tracking.artifacts().delete(runId, "checkpoints/trial-1");
      assertEquals(List.of(), tracking.artifacts().list(runId, "checkpoints"));
      tracking.artifacts().delete(runId, "checkpoints/trial-1"); // gone already: nothing happens
    }
  }
}
