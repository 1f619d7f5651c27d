package dev.knobflow.mlflowrest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.knobflow.time.RetryPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Synchronous experiment and run operations, each retried under the {@link RetryPolicy}.
 *
 * <p>Run creation is not idempotent on the server: when a request reaches the server but its answer
 * is lost, a retry may create a second run. Connection-refused failures (server down) are safe.
 */
public final class MlflowRuns {

  private static final int PAGE_SIZE = 1000;

  private final MlflowRestClient client;
  private final Retrier retrier;
  private final java.time.Clock clock;

  MlflowRuns(MlflowRestClient client, Retrier retrier, java.time.Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.retrier = Objects.requireNonNull(retrier, "retrier");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The id of the active experiment named {@code name}, if there is one. */
  public Optional<String> findExperimentId(String name) {
    requireText("experiment name", name);
    return retrier
        .call("get experiment '" + name + "'", () -> client.experimentByName(name))
        .map(experiment -> experiment.path("experiment_id").asText());
  }

  /** The ids of every active experiment on the server, all pages. */
  public List<String> activeExperimentIds() {
    List<String> ids = new ArrayList<>();
    String token = null;
    do {
      ObjectNode request =
          MlflowRestClient.object().put("max_results", PAGE_SIZE).put("view_type", "ACTIVE_ONLY");
      if (token != null) {
        request.put("page_token", token);
      }
      JsonNode page =
          retrier.call("search experiments", () -> client.post("experiments/search", request));
      page.path("experiments").forEach(e -> ids.add(e.path("experiment_id").asText()));
      String next = page.path("next_page_token").asText("");
      token = next.isEmpty() ? null : next;
    } while (token != null);
    return ids;
  }

  /**
   * The id of the experiment named {@code name}, created if missing.
   *
   * <p>Safe when several workers call it at once: the loser of the creation race ({@code
   * RESOURCE_ALREADY_EXISTS}) reads the winner's experiment.
   */
  public String getOrCreateExperiment(String name) {
    return getOrCreateExperiment(name, Map.of());
  }

  /**
   * The id of the experiment named {@code name}, created with {@code defaultTags} if missing; an
   * existing experiment gets those of {@code defaultTags} it has no value for (a value someone set
   * is kept).
   */
  public String getOrCreateExperiment(String name, Map<String, String> defaultTags) {
    requireText("experiment name", name);
    Optional<JsonNode> found =
        retrier.call("get experiment '" + name + "'", () -> client.experimentByName(name));
    if (found.isPresent()) {
      String id = found.get().path("experiment_id").asText();
      Map<String, String> present = new HashMap<>();
      found
          .get()
          .path("tags")
          .forEach(t -> present.put(t.path("key").asText(), t.path("value").asText()));
      defaultTags.forEach(
          (k, v) -> {
            if (!present.containsKey(k)) {
              setExperimentTag(id, k, v);
            }
          });
      return id;
    }
    ObjectNode request = MlflowRestClient.object().put("name", name);
    ArrayNode tagArray = request.putArray("tags");
    defaultTags.forEach((k, v) -> tagArray.addObject().put("key", k).put("value", v));
    try {
      return retrier.call(
          "create experiment '" + name + "'",
          () -> client.post("experiments/create", request).path("experiment_id").asText());
    } catch (MlflowTrackingException e) {
      if ("RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
        return findExperimentId(name)
            .orElseThrow(
                () ->
                    new MlflowTrackingException(
                        "Experiment '"
                            + name
                            + "' exists but cannot be read (is it deleted? restore or rename it)",
                        e.statusCode(),
                        e.errorCode(),
                        e));
      }
      throw e;
    }
  }

  /** Sets a tag on an experiment. */
  public void setExperimentTag(String experimentId, String key, String value) {
    requireText("experimentId", experimentId);
    retrier.call(
        "set tag " + key + " of experiment " + experimentId,
        () ->
            client.post(
                "experiments/set-experiment-tag",
                MlflowRestClient.object()
                    .put("experiment_id", experimentId)
                    .put("key", key)
                    .put("value", value)));
  }

  /** The experiment's tags. */
  public Map<String, String> experimentTags(String experimentId) {
    requireText("experimentId", experimentId);
    JsonNode experiment =
        retrier.call(
            "get experiment " + experimentId,
            () -> client.get("experiments/get", "experiment_id", experimentId).path("experiment"));
    Map<String, String> tags = new TreeMap<>();
    experiment
        .path("tags")
        .forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
    return tags;
  }

  /** Deletes a run (MLflow moves it to the experiment's trash; searches no longer return it). */
  public void deleteRun(String runId) {
    requireText("runId", runId);
    retrier.call(
        "delete run " + runId,
        () -> client.post("runs/delete", MlflowRestClient.object().put("run_id", runId)));
  }

  /** Creates a top-level run (e.g. a study) and returns it as the server now holds it. */
  public RunRecord createRun(String experimentId, String runName, Map<String, String> tags) {
    return getRun(startRun(experimentId, runName, tags).runId());
  }

  /**
   * Creates a run and returns it as the create answer describes it, without reading it back (one
   * request instead of {@link #createRun}'s two): its tags are {@code tags} (tags the server adds
   * itself, such as the run name, are not included) and it has no params or metrics yet.
   */
  public RunRecord startRun(String experimentId, String runName, Map<String, String> tags) {
    ObjectNode request = createRequest(experimentId, runName, tags);
    JsonNode info =
        retrier
            .call(
                "create run in experiment " + experimentId,
                () -> client.post("runs/create", request))
            .path("run")
            .path("info");
    return runRecord(info, Map.of(), tags, Map.of());
  }

  private ObjectNode createRequest(String experimentId, String runName, Map<String, String> tags) {
    requireText("experimentId", experimentId);
    ObjectNode request =
        MlflowRestClient.object()
            .put("experiment_id", experimentId)
            .put("start_time", clock.millis());
    if (runName != null && !runName.isBlank()) {
      request.put("run_name", runName);
    }
    ArrayNode tagArray = request.putArray("tags");
    tags.forEach((k, v) -> tagArray.addObject().put("key", k).put("value", v));
    return request;
  }

  /**
   * {@link #startRun} with a single attempt: a failure is thrown at once, so that a caller who can
   * tell its own run apart (by a tag it chose) can look for it before creating another one (run
   * creation is not idempotent: a lost answer retried blindly makes two runs).
   */
  public RunRecord startRunOnce(String experimentId, String runName, Map<String, String> tags) {
    ObjectNode request = createRequest(experimentId, runName, tags);
    JsonNode info =
        retrier
            .once(
                "create run in experiment " + experimentId,
                () -> client.post("runs/create", request))
            .path("run")
            .path("info");
    return runRecord(info, Map.of(), tags, Map.of());
  }

  /**
   * Logs metrics, params and tags in one {@code log-batch} request now (retrying transient
   * failures), within {@link MlflowLimits} (the caller's duty). MLflow params are write-once: a
   * param already logged with another value fails the whole request with {@code
   * INVALID_PARAMETER_VALUE} before any metric or tag of it is written, which makes a param a
   * compare-and-set; the same value again succeeds, so a retried request is harmless.
   *
   * @throws MlflowTrackingException when the server refuses the request
   */
  public void logBatch(
      String runId,
      List<MetricPoint> metrics,
      Map<String, String> params,
      Map<String, String> tags) {
    requireText("runId", runId);
    ObjectNode body = MlflowRestClient.object().put("run_id", runId);
    ArrayNode metricArray = body.putArray("metrics");
    for (MetricPoint m : metrics) {
      ObjectNode metric = metricArray.addObject().put("key", m.key());
      MlflowRestClient.putDouble(metric, "value", m.value());
      metric.put("timestamp", m.timestamp()).put("step", m.step());
    }
    ArrayNode paramArray = body.putArray("params");
    params.forEach((k, v) -> paramArray.addObject().put("key", k).put("value", v));
    ArrayNode tagArray = body.putArray("tags");
    tags.forEach((k, v) -> tagArray.addObject().put("key", k).put("value", v));
    retrier.run("log-batch for run " + runId, () -> client.post("runs/log-batch", body));
  }

  /** Creates a run nested under {@code parentRunId} (tag {@value MlflowTags#PARENT_RUN_ID}). */
  public RunRecord createChildRun(
      String experimentId, String parentRunId, String runName, Map<String, String> tags) {
    requireText("parentRunId", parentRunId);
    Map<String, String> withParent = new HashMap<>(tags);
    withParent.put(MlflowTags.PARENT_RUN_ID, parentRunId);
    return createRun(experimentId, runName, withParent);
  }

  /** The run with {@code runId}. */
  public RunRecord getRun(String runId) {
    requireText("runId", runId);
    return toRecord(
        retrier
            .call("get run " + runId, () -> client.get("runs/get", "run_id", runId))
            .path("run"));
  }

  /** Sets the run's Markdown description now ({@value MlflowTags#NOTE}). */
  public void setDescription(String runId, String markdown) {
    requireText("runId", runId);
    Objects.requireNonNull(markdown, "markdown");
    retrier.run(
        "set description of run " + runId,
        () ->
            client.post(
                "runs/set-tag",
                MlflowRestClient.object()
                    .put("run_id", runId)
                    .put("key", MlflowTags.NOTE)
                    .put("value", markdown)));
  }

  /** Ends the run now with {@code outcome}. */
  public void terminate(String runId, RunOutcome outcome) {
    requireText("runId", runId);
    Objects.requireNonNull(outcome, "outcome");
    long end = clock.millis();
    retrier.run(
        "terminate run " + runId,
        () ->
            client.post(
                "runs/update",
                MlflowRestClient.object()
                    .put("run_id", runId)
                    .put("status", outcome.status())
                    .put("end_time", end)));
  }

  /** Active runs in {@code experimentIds} whose tag {@code key} equals {@code value}, all pages. */
  public List<RunRecord> searchRunsByTag(List<String> experimentIds, String key, String value) {
    return searchRuns(experimentIds, tagFilter(key, value));
  }

  /** Active runs matching an MLflow search {@code filter} (empty: all), all pages. */
  public List<RunRecord> searchRuns(List<String> experimentIds, String filter) {
    if (experimentIds == null || experimentIds.isEmpty()) {
      throw new IllegalArgumentException("experimentIds must name at least one experiment");
    }
    List<RunRecord> runs = new ArrayList<>();
    String token = null;
    do {
      ObjectNode request =
          MlflowRestClient.object()
              .put("filter", filter == null ? "" : filter)
              .put("run_view_type", "ACTIVE_ONLY")
              .put("max_results", PAGE_SIZE);
      request.set("experiment_ids", MlflowRestClient.strings(experimentIds));
      if (token != null) {
        request.put("page_token", token);
      }
      JsonNode page = retrier.call("search runs", () -> client.post("runs/search", request));
      page.path("runs").forEach(run -> runs.add(toRecord(run)));
      String next = page.path("next_page_token").asText("");
      token = next.isEmpty() ? null : next;
    } while (token != null);
    return runs;
  }

  /** Every stored value of metric {@code key} of the run, ordered by step then timestamp. */
  public List<MetricPoint> metricHistory(String runId, String key) {
    requireText("runId", runId);
    requireText("metric key", key);
    List<MetricPoint> points = new ArrayList<>();
    String token = null;
    do {
      List<String> query = new ArrayList<>(List.of("run_id", runId, "metric_key", key));
      if (token != null) {
        query.addAll(List.of("page_token", token));
      }
      JsonNode page =
          retrier.call(
              "get metric history " + key + " of run " + runId,
              () -> client.get("metrics/get-history", query.toArray(String[]::new)));
      for (JsonNode m : page.path("metrics")) {
        points.add(
            new MetricPoint(
                m.path("key").asText(),
                m.path("value").asDouble(),
                m.path("timestamp").asLong(),
                m.path("step").asLong()));
      }
      String next = page.path("next_page_token").asText("");
      token = next.isEmpty() ? null : next;
    } while (token != null);
    return points.stream()
        .sorted(
            Comparator.comparingLong(MetricPoint::step).thenComparingLong(MetricPoint::timestamp))
        .toList();
  }

  /** An MLflow filter string matching runs whose tag {@code key} equals {@code value}. */
  static String tagFilter(String key, String value) {
    requireText("tag key", key);
    Objects.requireNonNull(value, "value");
    if (key.contains("`")) {
      throw new IllegalArgumentException("tag key must not contain a backtick: " + key);
    }
    if (value.contains("'")) {
      throw new IllegalArgumentException(
          "tag value to search for must not contain a single quote: " + value);
    }
    return "tags.`" + key + "` = '" + value + "'";
  }

  private static RunRecord toRecord(JsonNode run) {
    JsonNode data = run.path("data");
    Map<String, String> params = new HashMap<>();
    data.path("params").forEach(p -> params.put(p.path("key").asText(), p.path("value").asText()));
    Map<String, String> tags = new HashMap<>();
    data.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
    Map<String, Double> metrics = new HashMap<>();
    data.path("metrics")
        .forEach(m -> metrics.put(m.path("key").asText(), m.path("value").asDouble()));
    return runRecord(run.path("info"), params, tags, metrics);
  }

  /** A run record from a REST answer's run {@code info} and the given data. */
  private static RunRecord runRecord(
      JsonNode info,
      Map<String, String> params,
      Map<String, String> tags,
      Map<String, Double> metrics) {
    return new RunRecord(
        info.path("run_id").asText(),
        info.path("experiment_id").asText(),
        info.path("run_name").asText(),
        info.path("status").asText(),
        info.path("start_time").asLong(),
        info.path("end_time").asLong(),
        info.path("artifact_uri").asText(),
        params,
        tags,
        metrics);
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
