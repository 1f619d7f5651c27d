package dev.knobflow.plugin.mlflow.storage;

import dev.knobflow.mlflowrest.MetricPoint;
import dev.knobflow.mlflowrest.MlflowLimits;
import dev.knobflow.mlflowrest.MlflowWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of a trial this process runs that have not been sent yet: params, tags and metric
 * points. They are held for up to {@link MlflowStorageOptions#writeHold()} so that a short trial's
 * whole life reaches the server in the one request that finishes it; a longer trial's are handed to
 * the buffered writer when they are that old (or at a heartbeat). Not thread-safe; {@link
 * MlflowStudyStorage} guards it.
 */
final class HeldWrites {

  private static final MlflowLimits LIMITS = MlflowLimits.mlflowDefaults();

  private final Map<String, String> params = new LinkedHashMap<>();
  private final Map<String, String> tags = new LinkedHashMap<>();
  private final List<MetricPoint> metrics = new ArrayList<>();
  private long oldestNanos;

  void param(String key, String value) {
    LIMITS.validateKey("param", key);
    touch();
    params.putIfAbsent(key, value);
  }

  void tags(Map<String, String> values) {
    values.keySet().forEach(k -> LIMITS.validateKey("tag", k));
    touch();
    // Re-put so that a changed value keeps the order of the last write (chunk markers last).
    values.forEach(
        (k, v) -> {
          tags.remove(k);
          tags.put(k, v);
        });
  }

  void metric(String key, double value, long timestampMillis, long step) {
    LIMITS.validateKey("metric", key);
    touch();
    metrics.add(new MetricPoint(key, value, timestampMillis, step));
  }

  private void touch() {
    if (isEmpty()) {
      oldestNanos = System.nanoTime();
    }
  }

  boolean isEmpty() {
    return params.isEmpty() && tags.isEmpty() && metrics.isEmpty();
  }

  /** Whether the oldest held write is older than {@code holdNanos}. */
  boolean olderThan(long holdNanos, long nowNanos) {
    return !isEmpty() && nowNanos - oldestNanos >= holdNanos;
  }

  Map<String, String> params() {
    return params;
  }

  Map<String, String> tags() {
    return tags;
  }

  List<MetricPoint> metrics() {
    return metrics;
  }

  /**
   * Whether these writes plus {@code extra*} fit one {@code log-batch} request (counts and value
   * lengths within MLflow's limits; the request size is far below its limit at these counts).
   */
  boolean fitOneRequestWith(
      int extraParams, Map<String, String> extraTags, int extraMetrics, int maxValueChars) {
    int paramsAndTags = params.size() + extraParams + tags.size() + extraTags.size();
    if (paramsAndTags > LIMITS.maxParamsAndTagsPerBatch()
        || metrics.size() + extraMetrics > LIMITS.maxMetricsPerBatch() - paramsAndTags) {
      return false;
    }
    long chars = 0;
    for (String v : params.values()) {
      if (v.length() > LIMITS.maxParamValueLength()) {
        return false;
      }
      chars += v.length();
    }
    for (String v : tags.values()) {
      chars += v.length();
    }
    for (String v : extraTags.values()) {
      chars += v.length();
    }
    return chars <= maxValueChars;
  }

  /**
   * Hands every held write to {@code writer} (in order: params, metrics, tags) and forgets them.
   */
  void release(String runId, MlflowWriter writer) {
    if (isEmpty()) {
      return;
    }
    if (!params.isEmpty()) {
      writer.logParams(runId, params);
    }
    for (MetricPoint m : metrics) {
      writer.logMetric(runId, m.key(), m.value(), m.timestamp(), m.step());
    }
    if (!tags.isEmpty()) {
      writer.setTags(runId, tags);
    }
    clear();
  }

  void clear() {
    params.clear();
    tags.clear();
    metrics.clear();
  }
}
