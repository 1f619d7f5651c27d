package dev.knobflow.mlflowrest;

import java.util.List;

/** Where {@link MlflowWriter} sends its requests; each call is one HTTP request. */
interface BatchSink {

  void logBatch(
      String runId,
      List<PendingWrite.Metric> metrics,
      List<PendingWrite.Param> params,
      List<PendingWrite.Tag> tags)
      throws Exception;

  void terminate(PendingWrite.Terminate terminate) throws Exception;
}
