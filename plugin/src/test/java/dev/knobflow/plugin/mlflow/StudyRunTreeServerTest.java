package dev.knobflow.plugin.mlflow;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.mlflowrest.ArtifactInfo;
import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTags;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.plugin.Knobflow;
import dev.knobflow.plugin.cli.CliRun;
import dev.knobflow.plugin.cli.Main;
import dev.knobflow.plugin.mlflow.storage.MlflowStudyStorage;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One study is one run tree: whatever the storage and the number of workers, the experiment holds
 * one study run (ended FINISHED at the study's trial target) and one child run per trial; a study
 * is found by the run id its storage keeps, never by its name.
 */
@Tag("mlflow")
class StudyRunTreeServerTest {

  private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(4);

  @TempDir Path dir;

  private final String uri = MlflowTestServer.shared().trackingUri();

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private Path studyFile(String name, String storage, String experiment, int trials)
      throws Exception {
    Files.writeString(
        dir.resolve("objective.sh"), "sleep 0.2; echo \"{\\\"loss\\\": $(($1 * $1))}\"\n");
    return Files.writeString(
        dir.resolve(name + ".yaml"),
        """
        name: %s
        storage: %s
        tracking: {uri: '%s', experiment: '%s'}
        seed: 3
        objectives: [{name: loss, direction: minimize}]
        space:
          x: {type: int, low: -20, high: 20}
        trials: %d
        parallelism: 2
        objective:
          command: [bash, objective.sh, "{x}"]
        """
            .formatted(name, storage, uri, experiment, trials));
  }

  @Test
  void mlflowStorageWithThreeWorkerProcessesMakesOneFinishedStudyRunAndOneRunPerTrial()
      throws Exception {
    String name = unique("tree-mlflow");
    Path file = studyFile(name, "mlflow", name, 12);
    runTuneWithThreeWorkers(name, file, "mlflow:" + uri);
    assertOneRunTree(name, name);
  }

  @Test
  void journalStorageWithThreeWorkerProcessesMakesOneFinishedStudyRunAndOneRunPerTrial()
      throws Exception {
    String name = unique("tree-journal");
    Path journal = dir.resolve("journal.jsonl");
    Path file = studyFile(name, "journal:" + journal, name, 12);
    runTuneWithThreeWorkers(name, file, "journal:" + journal);
    String studyRun = assertOneRunTree(name, name);

    // `report` logs to the study's own run, found through the study's storage and tracking.
    CliRun report =
        cli(
            "report",
            name,
            "--storage",
            "journal:" + journal,
            "--out",
            dir.resolve("report").toString());
    assertEquals(0, report.exit(), report.out() + report.err());
    assertTrue(report.out().contains("of run " + studyRun), report.out());
  }

  /** {@code tune} (parallelism 2) and three {@code worker} processes share one study. */
  private void runTuneWithThreeWorkers(String name, Path file, String storage) throws Exception {
    List<Process> processes = new ArrayList<>();
    try {
      processes.add(knobflow(dir.resolve("tune.log"), "tune", file.toString()));
      // Workers join once tune has stored the study's definition.
      await()
          .atMost(PROCESS_TIMEOUT)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> studyDefined(storage, name));
      for (int w = 0; w < 3; w++) {
        processes.add(
            knobflow(
                dir.resolve("worker-" + w + ".log"),
                "worker",
                name,
                "--storage",
                storage,
                "--dir",
                dir.toString()));
      }
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        assertTrue(p.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "process " + i);
        assertEquals(0, p.exitValue(), "process " + i + ": " + logs());
      }
    } finally {
      processes.forEach(Process::destroyForcibly);
    }
  }

  private boolean studyDefined(String storage, String name) {
    CliRun show = cli("show", name, "--storage", storage);
    return show.exit() == 0;
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

  private Process knobflow(Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().remove("MLFLOW_TRACKING_URI");
    pb.environment().remove("MLFLOW_EXPERIMENT_NAME");
    pb.environment().remove("MLFLOW_RUN_ID");
    return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * The experiment holds exactly one study run, FINISHED, and one trial run per stored trial, each
   * a child of it named {@code <study>-<number>} and ended; the experiment opens on its runs.
   *
   * @return the study run's id
   */
  private String assertOneRunTree(String name, String experimentName) throws Exception {
    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      String experiment = tracking.runs().findExperimentId(experimentName).orElseThrow();
      assertEquals(
          MlflowTags.EXPERIMENT_KIND_TRAINING,
          tracking.runs().experimentTags(experiment).get(MlflowTags.EXPERIMENT_KIND));
      List<RunRecord> all = tracking.runs().searchRuns(List.of(experiment), "");
      List<RunRecord> studies =
          all.stream()
              .filter(r -> KnobflowTags.RUN_TYPE_STUDY.equals(r.tags().get(KnobflowTags.RUN_TYPE)))
              .toList();
      List<RunRecord> trials =
          all.stream()
              .filter(r -> KnobflowTags.RUN_TYPE_TRIAL.equals(r.tags().get(KnobflowTags.RUN_TYPE)))
              .toList();
      assertEquals(all.size(), studies.size() + trials.size(), "no other runs: " + names(all));
      assertEquals(1, studies.size(), names(studies));
      RunRecord study = studies.get(0);
      assertEquals("FINISHED", study.status());
      CliRun show = cli("show", name, "--storage", storageOf(name), "--format", "json");
      int stored =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(show.out())
              .get("trials")
              .size();
      // tune and the 3 workers (parallelism 2 each) share the study's target of 12: a trial
      // another process is still creating is not counted yet, so each of the 3 other processes may
      // start up to its parallelism more on the last places (documented), never each its own 12.
      assertTrue(stored >= 12 && stored <= 12 + 3 * 2, stored + " trials: " + show.out());
      assertEquals(stored, trials.size(), names(trials));
      System.out.println(
          "run tree of "
              + name
              + ": runs="
              + all.size()
              + " study runs="
              + names(studies)
              + " trial runs="
              + trials.size()
              + " by status="
              + trials.stream()
                  .collect(Collectors.groupingBy(RunRecord::status, Collectors.counting()))
              + " stored trials="
              + stored);
      Set<String> runNames = trials.stream().map(RunRecord::runName).collect(Collectors.toSet());
      for (int n = 0; n < stored; n++) {
        assertTrue(runNames.contains(name + "-" + n), n + " in " + runNames);
      }
      for (RunRecord t : trials) {
        assertEquals(study.runId(), t.tags().get(MlflowTags.PARENT_RUN_ID), t.runName());
        assertNotEquals("RUNNING", t.status(), t.runName());
      }
      // What the study run shows: the space, the history, the study file and the report.
      assertEquals("int [-20, 20]", study.params().get("space.x"));
      assertTrue(study.metrics().containsKey("best/loss"), study.metrics().toString());
      List<String> artifacts =
          tracking.artifacts().list(study.runId(), "").stream().map(ArtifactInfo::path).toList();
      assertTrue(artifacts.contains("study.yaml"), artifacts.toString());
      List<String> report =
          tracking.artifacts().list(study.runId(), "report").stream()
              .map(ArtifactInfo::path)
              .toList();
      assertTrue(report.contains("report/report.html"), report.toString());
      assertTrue(report.contains("report/trials.csv"), report.toString());
      return study.runId();
    }
  }

  private String storageOf(String name) {
    return name.startsWith("tree-mlflow")
        ? "mlflow:" + uri
        : "journal:" + dir.resolve("journal.jsonl");
  }

  private static String names(List<RunRecord> runs) {
    return runs.stream().map(r -> r.runName() + ":" + r.status()).toList().toString();
  }

  @Test
  void aNewStudyWithAnOldNameGetsItsOwnRunAndLeavesTheFirstRunsChildrenAlone() throws Exception {
    String name = unique("reused");
    String experiment = unique("shared");
    // From the Java API: two journals, one name, one experiment.
    Path first = studyFile(name, "journal:" + dir.resolve("first.jsonl"), experiment, 3);
    Knobflow.tune(first);
    Map<String, Object> before = childrenOfOnlyStudyRun(experiment);
    Path second =
        Files.writeString(
            dir.resolve("second.yaml"),
            Files.readString(first)
                .replace("first.jsonl", "second.jsonl")
                .replace("seed: 3", "seed: 4"));
    Knobflow.tune(second);
    // And from the CLI: a third journal.
    Path third =
        Files.writeString(
            dir.resolve("third.yaml"),
            Files.readString(first)
                .replace("first.jsonl", "third.jsonl")
                .replace("seed: 3", "seed: 5"));
    CliRun tune = cli("tune", third.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());

    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      String id = tracking.runs().findExperimentId(experiment).orElseThrow();
      List<RunRecord> studies =
          tracking.runs().searchRuns(List.of(id), KnobflowTags.studyRunFilter(name));
      assertEquals(3, studies.size());
      studies.forEach(s -> assertEquals("FINISHED", s.status()));
      for (RunRecord s : studies) {
        System.out.println(
            "study run "
                + s.runId()
                + " of "
                + name
                + ": "
                + s.status()
                + ", children="
                + tracking
                    .runs()
                    .searchRuns(List.of(id), KnobflowTags.trialRunsOf(s.runId()))
                    .size());
      }
      for (RunRecord s : studies) {
        assertEquals(
            3, tracking.runs().searchRuns(List.of(id), KnobflowTags.trialRunsOf(s.runId())).size());
      }
    }
    assertEquals(before, childrenOf((String) before.get("study"), experiment));
  }

  /** The first study run's children: names, params, metric histories. */
  private Map<String, Object> childrenOfOnlyStudyRun(String experiment) throws Exception {
    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      String id = tracking.runs().findExperimentId(experiment).orElseThrow();
      List<RunRecord> studies =
          tracking
              .runs()
              .searchRuns(List.of(id), KnobflowTags.equalsFilter(KnobflowTags.RUN_TYPE, "study"));
      assertEquals(1, studies.size());
      return childrenOf(studies.get(0).runId(), experiment);
    }
  }

  private Map<String, Object> childrenOf(String studyRun, String experiment) throws Exception {
    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      String id = tracking.runs().findExperimentId(experiment).orElseThrow();
      Map<String, Object> out = new java.util.TreeMap<>();
      out.put("study", studyRun);
      for (RunRecord r :
          tracking.runs().searchRuns(List.of(id), KnobflowTags.trialRunsOf(studyRun))) {
        out.put(
            r.runName(),
            List.of(r.params(), r.status(), tracking.runs().metricHistory(r.runId(), "loss")));
      }
      return out;
    }
  }

  @Test
  void twoConcurrentCreatorsOfAnMlflowStoredStudyLeaveOneStudyRun() throws Exception {
    String experiment = unique("race");
    String name = unique("raced");
    List<Objective> objectives = List.of(new Objective("loss", Direction.MINIMIZE));
    Supplier<String> create =
        () -> {
          try (MlflowStudyStorage storage =
              MlflowStudyStorage.open(MlflowConnection.of(uri), experiment)) {
            storage.createStudy(name, objectives);
            return storage.studyRunId(name).orElseThrow();
          }
        };
    List<CompletableFuture<String>> creators = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      creators.add(CompletableFuture.supplyAsync(create));
    }
    Set<String> seen = creators.stream().map(CompletableFuture::join).collect(Collectors.toSet());
    assertEquals(1, seen.size(), seen.toString());
    try (MlflowTracking tracking = MlflowTracking.open(MlflowConnection.of(uri))) {
      String id = tracking.runs().findExperimentId(experiment).orElseThrow();
      assertEquals(1, tracking.runs().searchRuns(List.of(id), "").size());
    }
  }
}
