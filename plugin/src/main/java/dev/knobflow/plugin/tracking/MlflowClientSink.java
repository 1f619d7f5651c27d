package dev.knobflow.plugin.tracking;

import java.util.List;
import java.util.Objects;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

/** Sends batches through {@code org.mlflow:mlflow-client}. */
final class MlflowClientSink implements BatchSink {

  private final MlflowClient client;

  MlflowClientSink(MlflowClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public void logBatch(
      String runId,
      List<PendingWrite.Metric> metrics,
      List<PendingWrite.Param> params,
      List<PendingWrite.Tag> tags) {
    client.logBatch(
        runId,
        metrics.stream()
            .map(
                m ->
                    Metric.newBuilder()
                        .setKey(m.key())
                        .setValue(m.value())
                        .setTimestamp(m.timestamp())
                        .setStep(m.step())
                        .build())
            .toList(),
        params.stream()
            .map(p -> Param.newBuilder().setKey(p.key()).setValue(p.value()).build())
            .toList(),
        tags.stream()
            .map(t -> RunTag.newBuilder().setKey(t.key()).setValue(t.value()).build())
            .toList());
  }

  @Override
  public void terminate(PendingWrite.Terminate terminate) {
    client.setTerminated(terminate.runId(), terminate.outcome().status(), terminate.endTime());
  }
}
