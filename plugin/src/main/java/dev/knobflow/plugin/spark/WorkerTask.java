package dev.knobflow.plugin.spark;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.optimizers.StudyListener;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.runtime.StudyRunner;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
    try (StudyRunner runner = StudyRunner.builder(config).listener(recorder).build()) {
      OptimizeSummary summary = runner.run();
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
