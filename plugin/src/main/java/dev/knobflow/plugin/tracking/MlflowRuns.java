package dev.knobflow.plugin.tracking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.RunsPage;

/**
 * Synchronous experiment and run operations, each retried under the {@link RetryPolicy}.
 *
 * <p>Run creation is not idempotent on the server: when a request reaches the server but its answer
 * is lost, a retry may create a second run. Connection-refused failures (server down) are safe.
 */
public final class MlflowRuns {

  private static final int PAGE_SIZE = 1000;

  private final MlflowClient client;
  private final Retrier retrier;
  private final java.time.Clock clock;

  MlflowRuns(MlflowClient client, Retrier retrier, java.time.Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.retrier = Objects.requireNonNull(retrier, "retrier");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The id of the active experiment named {@code name}, if there is one. */
  public Optional<String> findExperimentId(String name) {
    requireText("experiment name", name);
    return retrier
        .call("get experiment '" + name + "'", () -> client.getExperimentByName(name))
        .map(Experiment::getExperimentId);
  }

  /**
   * The id of the experiment named {@code name}, created if missing.
   *
   * <p>Safe when several workers call it at once: the loser of the creation race ({@code
   * RESOURCE_ALREADY_EXISTS}) reads the winner's experiment.
   */
  public String getOrCreateExperiment(String name) {
    Optional<String> existing = findExperimentId(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      return retrier.call("create experiment '" + name + "'", () -> client.createExperiment(name));
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
    requireText("experimentId", experimentId);
    CreateRun.Builder request =
        CreateRun.newBuilder().setExperimentId(experimentId).setStartTime(clock.millis());
    if (runName != null && !runName.isBlank()) {
      request.setRunName(runName);
    }
    tags.forEach((k, v) -> request.addTags(RunTag.newBuilder().setKey(k).setValue(v)));
    var info =
        retrier.call(
            "create run in experiment " + experimentId, () -> client.createRun(request.build()));
    return new RunRecord(
        info.getRunId(),
        info.getExperimentId(),
        info.getRunName(),
        info.getStatus().name(),
        info.getStartTime(),
        info.getEndTime(),
        info.getArtifactUri(),
        Map.of(),
        tags,
        Map.of());
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
    return toRecord(retrier.call("get run " + runId, () -> client.getRun(runId)));
  }

  /** Sets the run's Markdown description now ({@value MlflowTags#NOTE}). */
  public void setDescription(String runId, String markdown) {
    requireText("runId", runId);
    Objects.requireNonNull(markdown, "markdown");
    retrier.run(
        "set description of run " + runId, () -> client.setTag(runId, MlflowTags.NOTE, markdown));
  }

  /** Ends the run now with {@code outcome}. */
  public void terminate(String runId, RunOutcome outcome) {
    requireText("runId", runId);
    Objects.requireNonNull(outcome, "outcome");
    long end = clock.millis();
    retrier.run("terminate run " + runId, () -> client.setTerminated(runId, outcome.status(), end));
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
      String pageToken = token;
      RunsPage page =
          retrier.call(
              "search runs",
              () ->
                  client.searchRuns(
                      experimentIds,
                      filter,
                      ViewType.ACTIVE_ONLY,
                      PAGE_SIZE,
                      List.of(),
                      pageToken));
      page.getItems().forEach(run -> runs.add(toRecord(run)));
      token = page.getNextPageToken().orElse(null);
    } while (token != null);
    return runs;
  }

  /** Every stored value of metric {@code key} of the run, ordered by step then timestamp. */
  public List<MetricPoint> metricHistory(String runId, String key) {
    requireText("runId", runId);
    requireText("metric key", key);
    List<Metric> history =
        retrier.call(
            "get metric history " + key + " of run " + runId,
            () -> client.getMetricHistory(runId, key));
    return history.stream()
        .map(m -> new MetricPoint(m.getKey(), m.getValue(), m.getTimestamp(), m.getStep()))
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

  private static RunRecord toRecord(Run run) {
    Map<String, String> params = new HashMap<>();
    for (Param p : run.getData().getParamsList()) {
      params.put(p.getKey(), p.getValue());
    }
    Map<String, String> tags = new HashMap<>();
    for (RunTag t : run.getData().getTagsList()) {
      tags.put(t.getKey(), t.getValue());
    }
    Map<String, Double> metrics = new HashMap<>();
    for (Metric m : run.getData().getMetricsList()) {
      metrics.put(m.getKey(), m.getValue());
    }
    var info = run.getInfo();
    return new RunRecord(
        info.getRunId(),
        info.getExperimentId(),
        info.getRunName(),
        info.getStatus().name(),
        info.getStartTime(),
        info.getEndTime(),
        info.getArtifactUri(),
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
