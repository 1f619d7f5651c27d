package dev.knobflow.plugin.mlflow.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.knobflow.mlflowrest.RunRecord;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.storage.DistributionJson;
import dev.knobflow.optimizers.storage.TrialOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One trial as this process knows it: read from its MLflow run, or kept locally while this process
 * runs it ({@link #owned}). Not thread-safe; {@link MlflowStudyStorage} guards it.
 */
final class TrialEntry {

  final String runId;
  final int number;

  /** Writes of an owned trial not sent yet (see {@link HeldWrites}). */
  final HeldWrites held = new HeldWrites();

  /** This process runs the trial: its local state is the truth, the server only a copy. */
  boolean owned;

  /** Finished and fully read from the server (or finished here): never read again. */
  boolean settled;

  TrialState state;
  List<Double> values = List.of();
  final Map<String, Object> params = new LinkedHashMap<>();
  final Map<String, Distribution> distributions = new LinkedHashMap<>();
  TreeMap<Long, List<Double>> intermediate = new TreeMap<>();
  int reportsRead;
  List<Double> constraints = List.of();
  final Map<String, Double> metrics = new LinkedHashMap<>();
  final Map<String, Object> userAttrs = new LinkedHashMap<>();
  final Map<String, Object> systemAttrs = new LinkedHashMap<>();
  double budget = Double.NaN;
  @Nullable Instant started;
  @Nullable Instant completed;
  @Nullable Instant heartbeat;
  @Nullable String failReason;

  TrialEntry(String runId, int number, TrialState state) {
    this.runId = runId;
    this.number = number;
    this.state = state;
  }

  /** The trial number a run carries (every trial run has one from its creation). */
  static Optional<Integer> numberOf(RunRecord run) {
    String n = run.tags().get(StorageTags.NUMBER);
    return n == null ? Optional.empty() : Optional.of(Integer.parseInt(n));
  }

  /** A trial read entirely from its run (intermediate values are read separately). */
  static TrialEntry fromRun(RunRecord run, int number) {
    TrialEntry e = new TrialEntry(run.runId(), number, TrialState.RUNNING);
    e.readFrom(run);
    return e;
  }

  /** Replaces everything but intermediate values with what the run holds. */
  void readFrom(RunRecord run) {
    Map<String, String> tags = run.tags();
    params.clear();
    distributions.clear();
    StorageTags.withPrefix(tags, StorageTags.PARAM)
        .keySet()
        .forEach(
            name -> {
              JsonNode node = StorageTags.readJson(tags, StorageTags.PARAM + name);
              Distribution d = DistributionJson.fromJson(node.path("distribution"));
              distributions.put(name, d);
              params.put(
                  name,
                  DistributionJson.canonicalValue(d, DistributionJson.scalar(node.path("value"))));
            });
    userAttrs.clear();
    readAttrs(tags, StorageTags.USER_ATTR, userAttrs);
    systemAttrs.clear();
    readAttrs(tags, StorageTags.SYSTEM_ATTR, systemAttrs);
    String b = tags.get(StorageTags.BUDGET);
    budget = b == null ? Double.NaN : Double.parseDouble(b);
    String hb = tags.get(StorageTags.HEARTBEAT);
    heartbeat = hb == null ? null : Instant.ofEpochMilli(Long.parseLong(hb));

    boolean waiting = TrialState.WAITING.name().equals(tags.get(StorageTags.INITIAL_STATE));
    started = waiting ? null : Instant.ofEpochMilli(run.startTime());
    state = TrialState.RUNNING;
    if (waiting) {
      if (run.params().containsKey(StorageTags.CLAIM)) {
        String at = tags.get(StorageTags.CLAIMED_AT);
        started =
            at == null
                ? Instant.ofEpochMilli(run.startTime())
                : Instant.ofEpochMilli(Long.parseLong(at));
      } else {
        state = TrialState.WAITING;
      }
    }
    values = List.of();
    constraints = List.of();
    metrics.clear();
    failReason = null;
    completed = null;
    // The finish param and the outcome tag are written in one request, the param first: a run
    // with the param but no outcome yet is read as unfinished and read again later.
    if (run.params().containsKey(StorageTags.FINISH)) {
      JsonNode outcome = StorageTags.readJson(tags, StorageTags.OUTCOME);
      if (outcome != null) {
        apply(outcomeOf(outcome));
      }
    }
  }

  /** Sets the finished state. */
  void apply(TrialOutcome outcome) {
    state = outcome.state();
    values = outcome.values();
    constraints = outcome.constraints();
    metrics.putAll(outcome.metrics());
    failReason = outcome.reason();
    completed = outcome.at();
    if (started == null) {
      started = outcome.at();
    }
  }

  private static void readAttrs(Map<String, String> tags, String prefix, Map<String, Object> out) {
    StorageTags.withPrefix(tags, prefix)
        .keySet()
        .forEach(key -> out.put(key, StorageTags.plain(StorageTags.readJson(tags, prefix + key))));
  }

  /**
   * Intermediate values as stored in {@link StorageTags#INTERMEDIATE_VALUES}: {@code [[step, v1,
   * ...], ...]}, {@code null} for a non-finite value (as a metric, it is not logged either).
   */
  static String intermediateJson(TreeMap<Long, List<Double>> intermediate) {
    List<List<Object>> rows = new ArrayList<>(intermediate.size());
    intermediate.forEach(
        (step, values) -> {
          List<Object> row = new ArrayList<>(values.size() + 1);
          row.add(step);
          for (Double v : values) {
            row.add(v != null && Double.isFinite(v) ? v : null);
          }
          rows.add(row);
        });
    return StorageTags.json(rows);
  }

  /** The intermediate values {@link #intermediateJson} wrote. */
  static TreeMap<Long, List<Double>> intermediateFrom(String json) {
    TreeMap<Long, List<Double>> out = new TreeMap<>();
    for (JsonNode row : StorageTags.parse(json)) {
      List<Double> values = new ArrayList<>(row.size() - 1);
      for (int i = 1; i < row.size(); i++) {
        values.add(row.get(i).isNull() ? Double.NaN : row.get(i).asDouble());
      }
      out.put(row.get(0).asLong(), List.copyOf(values));
    }
    return out;
  }

  /** The JSON form of an outcome, as stored in {@code knobflow.outcome}. */
  static Map<String, Object> outcomeJson(TrialOutcome outcome) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("state", outcome.state().name());
    map.put("values", outcome.values());
    map.put("constraints", outcome.constraints());
    map.put("metrics", outcome.metrics());
    map.put("reason", outcome.reason());
    map.put("at", outcome.at().toEpochMilli());
    return map;
  }

  static TrialOutcome outcomeOf(JsonNode node) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    node.path("metrics")
        .properties()
        .forEach(e -> metrics.put(e.getKey(), DistributionJson.number(e.getValue())));
    return new TrialOutcome(
        TrialState.valueOf(node.path("state").asText()),
        doubles(node.path("values")),
        doubles(node.path("constraints")),
        metrics,
        node.hasNonNull("reason") ? node.get("reason").asText() : null,
        Instant.ofEpochMilli(node.path("at").asLong()));
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> out = new ArrayList<>(array.size());
    for (JsonNode v : array) {
      out.add(DistributionJson.number(v));
    }
    return out;
  }

  /** The trial as it will be once {@code outcome} is applied (this entry is left unchanged). */
  FrozenTrial snapshotWith(TrialOutcome outcome) {
    return new FrozenTrial(
        number,
        outcome.state(),
        outcome.values(),
        params,
        distributions,
        intermediate,
        outcome.constraints(),
        metrics,
        userAttrs,
        systemAttrs,
        budget,
        started,
        outcome.at(),
        heartbeat,
        outcome.reason());
  }

  FrozenTrial snapshot() {
    return new FrozenTrial(
        number,
        state,
        values,
        params,
        distributions,
        intermediate,
        constraints,
        metrics,
        userAttrs,
        systemAttrs,
        budget,
        started,
        completed,
        heartbeat,
        failReason);
  }
}
