package dev.knobflow.plugin.spark;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.StudyListener;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.plugin.TuneSession;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.mlflow.MlflowSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.function.Function;

/**
 * The body of one Spark task: builds the study from its definition against the shared storage and
 * runs {@code trials} trials, exactly as {@code knobflow worker} would.
 */
record WorkerTask(StudyDefinition definition, int trials, int parallelism)
    implements Function<Integer, WorkerReport> {

  @Override
  public WorkerReport call(Integer worker) {
    StudyConfig config = definition.parse().withTrials(trials);
    if (parallelism > 0) {
      config = config.withParallelism(parallelism);
    }
    List<Integer> finished = Collections.synchronizedList(new ArrayList<>());
    StudyListener recorder =
        new StudyListener() {
          @Override
          public void trialFinished(StudyView study, FrozenTrial trial) {
            finished.add(trial.number());
          }
        };
    // The one composition root: tracked in the study's run tree, like every other worker.
    MlflowSettings settings =
        MlflowSettings.forWorker(
            definition.yaml(),
            Path.of(definition.baseDirectory()),
            config.name(),
            System.getenv(),
            definition.source());
    try (TuneSession session =
        TuneSession.open(config, settings, System.getenv(), b -> b.listener(recorder))) {
      OptimizeSummary summary = session.run();
      return new WorkerReport(worker, hostName(), finished, summary.trialsByState());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
