package dev.knobflow.plugin.mlflow.storage;

import dev.knobflow.mlflowrest.MlflowConnection;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.optimizers.storage.StudyStorageContract;
import dev.knobflow.plugin.testing.MlflowTestServer;
import java.util.UUID;
import org.junit.jupiter.api.Tag;

/**
 * The storage contract for the MLflow storage against the real test server: each fresh storage is a
 * new experiment, and a reopen is a new storage instance (a new process, as far as the server can
 * tell) on the same experiment.
 */
@Tag("mlflow")
class MlflowStorageContractTest extends StudyStorageContract {

  @Override
  protected StudyStorage createStorage() {
    return open("contract-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @Override
  protected StudyStorage reopen(StudyStorage storage) {
    String experiment = ((MlflowStudyStorage) storage).experimentName();
    storage.close();
    return open(experiment);
  }

  @Override
  protected int trialsPerThread() {
    return 5;
  }

  private static MlflowStudyStorage open(String experiment) {
    return MlflowStudyStorage.open(
        MlflowConnection.of(MlflowTestServer.shared().trackingUri()),
        experiment,
        MlflowStorageOptions.defaults());
  }
}
