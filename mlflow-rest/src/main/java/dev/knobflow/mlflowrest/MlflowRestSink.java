package dev.knobflow.mlflowrest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/** Sends batches as {@code runs/log-batch} and terminations as {@code runs/update}. */
final class MlflowRestSink implements BatchSink {

  private final MlflowRestClient client;

  MlflowRestSink(MlflowRestClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public void logBatch(
      String runId,
      List<PendingWrite.Metric> metrics,
      List<PendingWrite.Param> params,
      List<PendingWrite.Tag> tags) {
    ObjectNode body = MlflowRestClient.object().put("run_id", runId);
    ArrayNode metricArray = body.putArray("metrics");
    for (PendingWrite.Metric m : metrics) {
      ObjectNode metric = metricArray.addObject().put("key", m.key());
      MlflowRestClient.putDouble(metric, "value", m.value());
      metric.put("timestamp", m.timestamp()).put("step", m.step());
    }
    ArrayNode paramArray = body.putArray("params");
    params.forEach(p -> paramArray.addObject().put("key", p.key()).put("value", p.value()));
    ArrayNode tagArray = body.putArray("tags");
    tags.forEach(t -> tagArray.addObject().put("key", t.key()).put("value", t.value()));
    client.post("runs/log-batch", body);
  }

  @Override
  public void terminate(PendingWrite.Terminate terminate) {
    client.post(
        "runs/update",
        MlflowRestClient.object()
            .put("run_id", terminate.runId())
            .put("status", terminate.outcome().status())
            .put("end_time", terminate.endTime()));
  }
}
