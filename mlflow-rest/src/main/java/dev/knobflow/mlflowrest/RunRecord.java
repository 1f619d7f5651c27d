package dev.knobflow.mlflowrest;

import java.util.Map;

/**
 * A run as the server reports it.
 *
 * @param runId MLflow run id
 * @param experimentId experiment the run belongs to
 * @param runName display name
 * @param status {@code RUNNING}, {@code FINISHED}, {@code FAILED}, {@code KILLED} or {@code
 *     SCHEDULED}
 * @param startTime epoch millis
 * @param endTime epoch millis, 0 while running
 * @param artifactUri root of the run's artifacts
 * @param params params by key
 * @param tags tags by key
 * @param metrics latest value of each metric by key
 */
public record RunRecord(
    String runId,
    String experimentId,
    String runName,
    String status,
    long startTime,
    long endTime,
    String artifactUri,
    Map<String, String> params,
    Map<String, String> tags,
    Map<String, Double> metrics) {

  /** Copies the maps. */
  public RunRecord {
    params = Map.copyOf(params);
    tags = Map.copyOf(tags);
    metrics = Map.copyOf(metrics);
  }
}
