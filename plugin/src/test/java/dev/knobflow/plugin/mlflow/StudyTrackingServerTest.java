package dev.knobflow.plugin.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.mlflowrest.MlflowTags;
import dev.knobflow.mlflowrest.MlflowTracking;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileParser;
import dev.knobflow.plugin.testing.MlflowTestServer;
import dev.knobflow.plugin.warmstart.WarmStartPlan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study-file path: settings, dataset meta-features, MLFLOW_RUN_ID and warm start. */
@Tag("mlflow")
class StudyTrackingServerTest {

  private static MlflowTracking tracking;
  private static String uri;

  @TempDir Path dir;

  @BeforeAll
  static void connect() {
    uri = MlflowTestServer.shared().trackingUri();
    tracking = MlflowTracking.open(MlflowConnection.of(uri));
  }

  @AfterAll
  static void disconnect() {
    tracking.close();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  Path dataset(String name) throws IOException {
    Path file = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/datasets/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

  /** A study file over x, y, kind with the given extra sections; the command never runs here. */
  Path studyFile(String name, String extra) throws IOException {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        "name: "
            + name
            + "\n"
            + "storage: memory\n"
            + "seed: 3\n"
            + "objectives: [{name: score, direction: maximize}]\n"
            + "space:\n"
            + "  x: {type: float, low: 0, high: 10}\n"
            + "  y: {type: int, low: 1, high: 5}\n"
            + "  kind: {type: categorical, choices: [a, b]}\n"
            + "trials: 8\n"
            + "objective: {command: [python3, never-run.py]}\n"
            + extra);
    return file;
  }

  record Opened(StudyConfig config, StudyTracking tracking) {}

  static Opened open(Path file, Map<String, String> env) {
    StudyConfig config = StudyFileParser.standard().parse(file);
    MlflowSettings settings = MlflowSettings.read(file, config.name(), env);
    return new Opened(config, StudyTracking.open(config, settings, env));
  }

  static Study study(StudyConfig config, StudyTracking tracking, long seed) {
    Study.Builder b =
        Study.builder(config.name())
            .objectives(config.objectives())
            .space(config.space())
            .storage(InMemoryStorage.create())
            .sampler(RandomSampler.create())
            .seed(seed);
    tracking.listener().ifPresent(b::listener);
    return b.build();
  }

  static ObjectiveFunction peakAt(double x0, long y0) {
    return ObjectiveFunction.scalar(
        t -> {
          double x = t.suggestFloat("x", 0, 10);
          long y = t.suggestInt("y", 1, 5);
          t.suggestCategorical("kind", List.of("a", "b"));
          return -(x - x0) * (x - x0) - (y - y0) * (y - y0);
        });
  }

  @Test
  void datasetMetaFeaturesAreTaggedOnTheStudyRun() throws IOException {
    dataset("iris.csv");
    String name = unique("iris");
    Path file =
        studyFile(
            name,
            "tracking: {uri: "
                + uri
                + ", experiment: "
                + name
                + "-exp}\n"
                + "dataset: {path: iris.csv, target: target}\n");
    Opened o = open(file, Map.of());
    String parentId;
    try (StudyTracking t = o.tracking()) {
      assertEquals(150.0, t.metaFeatures().get("rows"));
      study(o.config(), t, 1).optimize(peakAt(2, 3), OptimizeOptions.trials(2));
      parentId = t.listener().orElseThrow().parentRunId();
    }
    RunRecord parent = tracking.runs().getRun(parentId);
    assertEquals(
        tracking.runs().findExperimentId(name + "-exp").orElseThrow(), parent.experimentId());
    assertEquals("150.0", parent.tags().get("knobflow.meta.rows"));
    assertEquals("1.0", parent.tags().get("knobflow.meta.classification"));
    assertEquals("3.0", parent.tags().get("knobflow.meta.classes"));
    assertTrue(parent.tags().get(MlflowTags.NOTE).contains("Best trial"));
    assertTrue(parent.metrics().containsKey("best/score"), parent.metrics().toString());
    assertFalse(parent.metrics().containsKey("best_score"), "no duplicate of best/score");
  }

  @Test
  void mlflowRunIdFromTheEnvironmentIsAdoptedOnTheEnvironmentsServer() throws IOException {
    String experiment = tracking.runs().getOrCreateExperiment(unique("mlflow-run"));
    RunRecord outer = tracking.runs().createRun(experiment, "entry-point", Map.of());
    String name = unique("adopt");
    // The file names another server; under mlflow run the run's server wins.
    Path file = studyFile(name, "tracking: {uri: http://127.0.0.1:9}\n");
    Opened o =
        open(
            file,
            Map.of(
                MlflowConnection.ENV_TRACKING_URI, uri, MlflowSettings.ENV_RUN_ID, outer.runId()));
    try (StudyTracking t = o.tracking()) {
      study(o.config(), t, 1).optimize(peakAt(2, 3), OptimizeOptions.trials(2));
      assertEquals(outer.runId(), t.listener().orElseThrow().parentRunId());
    }
    List<RunRecord> children =
        tracking
            .runs()
            .searchRunsByTag(List.of(experiment), MlflowTags.PARENT_RUN_ID, outer.runId());
    assertEquals(2, children.size());
    assertEquals("FINISHED", tracking.runs().getRun(outer.runId()).status());
  }

  @Test
  void newStudyOnDataLikeIrisStartsFromTheIrisStudysBestConfigurations() throws IOException {
    String experiment = unique("warm");
    dataset("iris.csv");
    dataset("breast_cancer.csv");
    // Iris without every seventh row: close to iris, far from breast cancer.
    List<String> lines = Files.readAllLines(dir.resolve("iris.csv"), StandardCharsets.UTF_8);
    List<String> like = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (i == 0 || i % 7 != 0) {
        like.add(lines.get(i));
      }
    }
    Files.write(dir.resolve("iris_like.csv"), like, StandardCharsets.UTF_8);
    String tracked = "tracking: {uri: " + uri + ", experiment: " + experiment + "}\n";

    Study iris =
        runPast(
            unique("iris"),
            tracked + "dataset: {path: iris.csv, target: target}\n",
            peakAt(2, 3),
            11);
    runPast(
        unique("cancer"),
        tracked + "dataset: {path: breast_cancer.csv, target: target}\n",
        peakAt(8, 1),
        12);

    Path file =
        studyFile(
            unique("new"),
            tracked
                + "dataset: {path: iris_like.csv, target: target}\n"
                + "warm_start: {from: mlflow, k: 1, per_study: 3, experiments: ["
                + experiment
                + "]}\n");
    Opened o = open(file, Map.of());
    Study fresh;
    Optional<WarmStartPlan> plan;
    try (StudyTracking t = o.tracking()) {
      fresh = study(o.config(), t, 99);
      plan = t.prepare(fresh);
      fresh.optimize(peakAt(2, 3), OptimizeOptions.trials(3));
    }
    assertTrue(plan.isPresent());
    assertEquals(iris.name(), plan.get().ranking().get(0).study().name(), plan.get().logText());
    Set<Map<String, String>> irisBest = new HashSet<>();
    iris.trials(Set.of(TrialState.COMPLETE)).stream()
        .sorted(Comparator.comparingDouble(FrozenTrial::value).reversed())
        .limit(3)
        .forEach(t -> irisBest.add(ParamText.of(t.params())));
    Set<Map<String, String>> firstTrials = new HashSet<>();
    fresh.trials().stream().limit(3).forEach(t -> firstTrials.add(ParamText.of(t.params())));
    assertEquals(irisBest, firstTrials, plan.get().logText());
  }

  /**
   * Without {@code experiments}, warm start searches every experiment on the server: a past study
   * tracked into another experiment is found, the current study's own earlier run is not a source,
   * and each enqueued trial names the past trial it came from, by its real number, as a system
   * attribute and as a tag on its run.
   */
  @Test
  void warmStartSearchesEveryExperimentNeverTheStudyItselfAndTagsEachTrialWithItsSource()
      throws IOException {
    dataset("iris.csv");
    String data = "dataset: {path: iris.csv, target: target}\n";
    String pastName = unique("a-elsewhere"); // first among equally near studies by name
    Study past =
        runPast(
            pastName,
            "tracking: {uri: " + uri + ", experiment: " + unique("other-exp") + "}\n" + data,
            peakAt(2, 3),
            21);
    String experiment = unique("own-exp");
    String name = unique("again");
    String own = "tracking: {uri: " + uri + ", experiment: " + experiment + "}\n" + data;
    runPast(name, own, peakAt(8, 1), 22); // this study's earlier run: never a source
    Path file = studyFile(name, own + "warm_start: {from: mlflow, k: 50, per_study: 2}\n");
    Opened o = open(file, Map.of());
    Study fresh;
    WarmStartPlan plan;
    try (StudyTracking t = o.tracking()) {
      fresh = study(o.config(), t, 23);
      plan = t.prepare(fresh).orElseThrow();
      fresh.optimize(peakAt(2, 3), OptimizeOptions.trials(2));
    }
    List<String> ranked = plan.ranking().stream().map(r -> r.study().name()).toList();
    assertTrue(ranked.contains(pastName), "found in another experiment: " + ranked);
    assertTrue(!ranked.contains(name), "never the study itself: " + ranked);
    // The past study's two best trials, by their numbers, are where the first trials came from.
    List<FrozenTrial> best =
        past.trials(Set.of(TrialState.COMPLETE)).stream()
            .sorted(Comparator.comparingDouble(FrozenTrial::value).reversed())
            .limit(2)
            .toList();
    Map<String, Map<String, String>> expected = new java.util.HashMap<>();
    best.forEach(b -> expected.put(pastName + "/" + b.number(), ParamText.of(b.params())));
    Map<String, Map<String, String>> sources = new java.util.HashMap<>();
    for (FrozenTrial t : fresh.trials()) {
      Object source = t.systemAttrs().get(KnobflowTags.WARM_START_SOURCE);
      if (source != null && source.toString().startsWith(pastName + "/")) {
        sources.put(source.toString(), ParamText.of(t.params()));
      }
    }
    assertEquals(expected, sources, plan.logText());
    assertTrue(
        plan.log().stream().anyMatch(l -> l.startsWith("study '" + pastName + "' trial ")),
        plan.logText());
    String experimentId = tracking.runs().findExperimentId(experiment).orElseThrow();
    List<RunRecord> runs =
        tracking.runs().searchRuns(List.of(experimentId), KnobflowTags.trialRunFilter(name));
    Set<String> tagged = new HashSet<>();
    runs.forEach(
        r -> {
          String source = r.tags().get(KnobflowTags.WARM_START_SOURCE);
          if (source != null && source.startsWith(pastName + "/")) {
            tagged.add(source);
          }
        });
    assertEquals(expected.keySet(), tagged);
  }

  Study runPast(String name, String extra, ObjectiveFunction objective, long seed)
      throws IOException {
    Opened o = open(studyFile(name, extra), Map.of());
    try (StudyTracking t = o.tracking()) {
      Study study = study(o.config(), t, seed);
      t.prepare(study);
      study.optimize(objective, OptimizeOptions.trials(8));
      return study;
    }
  }
}
