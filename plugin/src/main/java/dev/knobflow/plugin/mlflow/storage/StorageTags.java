package dev.knobflow.plugin.mlflow.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.plugin.mlflow.KnobflowTags;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The tag and metric keys the MLflow storage writes, and JSON values split over several tags when
 * they exceed MLflow's 8,000-character tag limit.
 */
final class StorageTags {

  // Shared with tracking: one vocabulary (KnobflowTags, docs/mlflow.md).
  static final String KIND = KnobflowTags.RUN_TYPE;
  static final String KIND_STUDY = KnobflowTags.RUN_TYPE_STUDY;
  static final String KIND_TRIAL = KnobflowTags.RUN_TYPE_TRIAL;
  static final String STUDY = KnobflowTags.STUDY;

  /**
   * The objectives with their directions as JSON (tracking writes names to knobflow.objectives).
   */
  static final String OBJECTIVES = "knobflow.objective_specs";

  static final String STUDY_ATTR = "knobflow.attr.";

  static final String INITIAL_STATE = "knobflow.initial_state";
  static final String NUMBER = KnobflowTags.TRIAL;
  static final String WORKER = "knobflow.worker";
  static final String PARAM = "knobflow.param.";
  static final String USER_ATTR = "knobflow.user.";
  static final String SYSTEM_ATTR = "knobflow.sys.";
  static final String BUDGET = "knobflow.budget";
  static final String HEARTBEAT = "knobflow.heartbeat";
  static final String REPORTS = "knobflow.reports";
  static final String STATE = KnobflowTags.STATE;
  static final String FAIL_REASON = KnobflowTags.FAIL_REASON;

  /**
   * Param on the study run, followed by a trial number: write-once, so logging it claims the
   * number; its value is the claim id the trial run carries in {@link #CLAIM_ID}.
   */
  static final String NUMBER_CLAIM = "knobflow.number.";

  /** Tag on a trial run: the claim id of its number (see {@link #NUMBER_CLAIM}). */
  static final String CLAIM_ID = "knobflow.claim_id";

  /** Metric holding a trial run's number (metrics can be range-filtered, tags not). */
  static final String NUMBER_METRIC = "knobflow.number";

  /** Param on a trial run, write-once: the id of the worker that finished the trial. */
  static final String FINISH = "knobflow.finish";

  /** Tag on a trial run: the finish outcome (JSON), written in the same request as FINISH. */
  static final String OUTCOME = "knobflow.outcome";

  /**
   * Tag on a finished trial run: its intermediate values as JSON, {@code [[step, v1, ...], ...]}
   * ({@code null} for a non-finite value), written with the finish when they fit one tag, so that
   * other workers read them with the run instead of one metric-history request per objective.
   */
  static final String INTERMEDIATE_VALUES = "knobflow.intermediate";

  /** Param on a WAITING trial's run, write-once: the id of the worker that claimed it. */
  static final String CLAIM = "knobflow.claim";

  /** Tag on a claimed WAITING trial's run: when it was claimed (epoch millis). */
  static final String CLAIMED_AT = "knobflow.claimed_at";

  /** Metric key prefix of intermediate values, followed by the objective's name. */
  static final String INTERMEDIATE_METRIC = "intermediate/";

  private static final String CHUNK = "knobflow.chunk.";
  private static final String CHUNKED = "chunks:";

  /** Leaves room under MLflow's 8,000-character tag limit. */
  static final int MAX_TAG_CHARS = 7_900;

  static final ObjectMapper JSON = new ObjectMapper();

  private StorageTags() {}

  /** JSON text of a plain value (maps, lists, strings, numbers, booleans, null). */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + e.getMessage(), e);
    }
  }

  /** Parses JSON text. */
  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The tags that store {@code value} as JSON under {@code key}: one tag when it fits, otherwise
   * {@code key = "chunks:N"} plus {@code knobflow.chunk.<i>.<key>} for each piece.
   */
  static Map<String, String> jsonTags(String key, Object value) {
    String text = json(value);
    Map<String, String> tags = new LinkedHashMap<>();
    if (text.length() <= MAX_TAG_CHARS) {
      tags.put(key, text);
      return tags;
    }
    int chunks = (text.length() + MAX_TAG_CHARS - 1) / MAX_TAG_CHARS;
    for (int i = 0; i < chunks; i++) {
      int from = i * MAX_TAG_CHARS;
      tags.put(
          CHUNK + i + "." + key,
          text.substring(from, Math.min(text.length(), from + MAX_TAG_CHARS)));
    }
    // The marker last: a reader that sees it sees every chunk (the writer keeps a run's order).
    tags.put(key, CHUNKED + chunks);
    return tags;
  }

  /**
   * Reads what {@link #jsonTags} wrote, or {@code null} when the key is absent.
   *
   * @throws IllegalArgumentException when a chunk is missing or the JSON is broken
   */
  static @Nullable JsonNode readJson(Map<String, String> tags, String key) {
    String value = tags.get(key);
    if (value == null) {
      return null;
    }
    if (value.startsWith(CHUNKED)) {
      int chunks = Integer.parseInt(value.substring(CHUNKED.length()));
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < chunks; i++) {
        String part = tags.get(CHUNK + i + "." + key);
        if (part == null) {
          throw new IllegalArgumentException("tag " + key + ": chunk " + i + " is missing");
        }
        text.append(part);
      }
      value = text.toString();
    }
    return parse(value);
  }

  /** The plain Java value of a JSON node (maps, lists, String, Boolean, Long, Double). */
  static @Nullable Object plain(@Nullable JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isValueNode()) {
      return dev.knobflow.optimizers.storage.DistributionJson.scalar(node);
    }
    return JSON.convertValue(node, Object.class);
  }

  /** Every tag key starting with {@code prefix}, with the prefix removed. */
  static Map<String, String> withPrefix(Map<String, String> tags, String prefix) {
    Map<String, String> out = new java.util.TreeMap<>();
    tags.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  /**
   * The value of {@link #NUMBER_METRIC} on a study run: above every trial number, so that the
   * range-filtered read of the trials past the settled window brings the study run (its attributes
   * and number claims) in the same answer.
   */
  static final double STUDY_RUN_NUMBER = Integer.MAX_VALUE;

  /**
   * The MLflow search filter for the runs of {@code study}: its study run(s) and its trial runs.
   */
  static String studyRunsFilter(String study) {
    return tagEquals(STUDY, study);
  }

  /** The MLflow search filter for the trial runs of {@code study}. */
  static String trialFilter(String study) {
    return tagEquals(KIND, KIND_TRIAL) + " AND " + tagEquals(STUDY, study);
  }

  /** An MLflow search filter term: tag {@code key} equals {@code value}. */
  static String tagEquals(String key, String value) {
    if (value.contains("'")) {
      throw new IllegalArgumentException(
          "names stored in MLflow must not contain a single quote: " + value);
    }
    return "tags.`" + key + "` = '" + value + "'";
  }
}
