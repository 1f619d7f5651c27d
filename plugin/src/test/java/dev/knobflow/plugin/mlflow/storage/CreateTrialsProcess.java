package dev.knobflow.plugin.mlflow.storage;

import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.optimizers.TrialState;
import java.util.Map;

/**
 * A separate worker process for {@link MlflowStudyStorageProcessesTest}: creates trials on an
 * existing study and prints {@code <number> <runId>} per trial. Args: uri experiment study count.
 */
public final class CreateTrialsProcess {

  private CreateTrialsProcess() {}

  public static void main(String[] args) {
    String study = args[2];
    int count = Integer.parseInt(args[3]);
    try (MlflowStudyStorage storage =
        MlflowStudyStorage.open(
            MlflowConnection.of(args[0]), args[1], MlflowStorageOptions.defaults())) {
      for (int i = 0; i < count; i++) {
        int number = storage.createTrial(study, TrialState.RUNNING, Map.of()).number();
        System.out.println(number + " " + storage.trialRunId(study, number));
      }
    }
  }
}
