package dev.knobflow.plugin.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.PriorObservation;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import dev.knobflow.plugin.runtime.StudyRunner;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warm start {@code use: prior}: past configurations reach the sampler, nothing is enqueued. */
@Tag("mlflow")
class WarmStartPriorsServerTest {

  @TempDir Path dir;

  private Path studyFile(String name, String extra) throws IOException {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        "name: "
            + name
            + "\nstorage: memory\nseed: 3\n"
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

  @Test
  void priorUseHandsThePastBestConfigurationsToTheSamplerWithoutEnqueuing() throws IOException {
    String uri = MlflowTestServer.shared().trackingUri();
    try (InputStream in = getClass().getResourceAsStream("/datasets/iris.csv")) {
      Files.copy(in, dir.resolve("iris.csv"));
    }
    String experiment = StudyTrackingServerTest.unique("priors");
    String tracked =
        "tracking: {uri: "
            + uri
            + ", experiment: "
            + experiment
            + "}\ndataset: {path: iris.csv, target: target}\n";

    StudyTrackingServerTest.Opened past =
        StudyTrackingServerTest.open(
            studyFile(StudyTrackingServerTest.unique("past"), tracked), Map.of());
    Study pastStudy;
    try (StudyTracking t = past.tracking()) {
      pastStudy = StudyTrackingServerTest.study(past.config(), t, 11);
      t.prepare(pastStudy);
      pastStudy.optimize(StudyTrackingServerTest.peakAt(2, 3), OptimizeOptions.trials(8));
    }
    Map<Map<String, String>, Double> best = new HashMap<>();
    pastStudy.trials(Set.of(TrialState.COMPLETE)).stream()
        .sorted(Comparator.comparingDouble(FrozenTrial::value).reversed())
        .limit(3)
        .forEach(t -> best.put(ParamText.of(t.params()), t.value()));

    Path file =
        studyFile(
            StudyTrackingServerTest.unique("new"),
            tracked
                + "sampler: {type: tpe}\n"
                + "warm_start: {from: mlflow, k: 1, per_study: 3, use: prior, experiments: ["
                + experiment
                + "]}\n");
    StudyTrackingServerTest.Opened fresh = StudyTrackingServerTest.open(file, Map.of());
    try (StudyTracking t = fresh.tracking();
        StudyRunner runner = t.attach(StudyRunner.builder(fresh.config())).build()) {
      assertTrue(t.prepare(runner.study()).isEmpty(), "use: prior makes no enqueue plan");
      assertEquals(List.of(), runner.study().trials(), "nothing enqueued");
      List<PriorObservation> priors =
          assertInstanceOf(TpeSampler.class, runner.study().sampler()).priors();
      Map<Map<String, String>, Double> received = new HashMap<>();
      for (PriorObservation p : priors) {
        received.put(ParamText.of(p.params()), p.values().get(0));
      }
      assertEquals(best, received);
    }
  }
}
