package dev.knobflow.plugin.mlflow;

import java.util.Objects;

/**
 * The one vocabulary of {@code knobflow.*} tags on study (parent) and trial (child) runs, written
 * by the tracking listener and the MLflow storage alike; docs/mlflow.md has the table.
 */
public final class KnobflowTags {

  /** The study's name, on the study run and on every trial run. */
  public static final String STUDY = "knobflow.study";

  /** {@value #RUN_TYPE_STUDY} or {@value #RUN_TYPE_TRIAL}: what a run is. */
  public static final String RUN_TYPE = "knobflow.kind";

  /** {@link #RUN_TYPE} of a study's parent run. */
  public static final String RUN_TYPE_STUDY = "study";

  /** {@link #RUN_TYPE} of a trial's child run. */
  public static final String RUN_TYPE_TRIAL = "trial";

  /** Objective names, comma-separated, in the study's order. */
  public static final String OBJECTIVES = "knobflow.objectives";

  /** Objective directions ({@code minimize}/{@code maximize}), comma-separated, same order. */
  public static final String DIRECTIONS = "knobflow.directions";

  /** The sampler's description. */
  public static final String SAMPLER = "knobflow.sampler";

  /** The sampler's seed, when fixed. */
  public static final String SEED = "knobflow.seed";

  /** The Knobflow version that wrote the run. */
  public static final String VERSION = "knobflow.version";

  /** The trial's number, on trial runs. */
  public static final String TRIAL = "knobflow.trial";

  /** The trial's Knobflow state (COMPLETE, PRUNED, FAIL), on trial runs. */
  public static final String STATE = "knobflow.state";

  /** Why the trial failed or was pruned, on trial runs. */
  public static final String FAIL_REASON = "knobflow.fail_reason";

  /** {@code true} or {@code false}: whether a completed trial met its constraints. */
  public static final String FEASIBLE = "knobflow.feasible";

  /** The best trial's number (single objective), on the study run. */
  public static final String BEST_TRIAL = "knobflow.best_trial";

  /** The Pareto-optimal trials' numbers, comma-separated (several objectives), on the study run. */
  public static final String PARETO_TRIALS = "knobflow.pareto_trials";

  /**
   * Where a warm-started trial's configuration came from, {@code <study>/<trial>}, on its trial run
   * (the trial's system attribute of the same name).
   */
  public static final String WARM_START_SOURCE =
      dev.knobflow.plugin.warmstart.WarmStart.SOURCE_ATTR;

  /**
   * Study attribute (in the study's own storage, journal, memory or MLflow) holding the id of the
   * study's MLflow run: a study is found by this id, never by its name, so a new study that reuses
   * a name gets a run of its own.
   */
  public static final String STUDY_RUN_ATTR = "mlflow_run_id";

  /**
   * Study attribute: how many trials the study aims for in all ({@code tune} sets it; every worker
   * follows it): {@link dev.knobflow.optimizers.TrialTarget#STUDY_ATTR}.
   */
  public static final String TRIALS_TARGET_ATTR = dev.knobflow.optimizers.TrialTarget.STUDY_ATTR;

  /** Why a study run ended KILLED or FAILED, on the study run. */
  public static final String END_REASON = "knobflow.end_reason";

  /** The study run that holds the trials, on a run {@code mlflow run} made that is not it. */
  public static final String STUDY_RUN = "knobflow.study_run";

  /** The advisor's diagnosis of a trial's curve (diverging, plateau, ...), on trial runs. */
  public static final String ADVISOR_DIAGNOSIS = "knobflow.advisor.diagnosis";

  /** The advisor's action for a trial (continue, stop, narrow ...), on trial runs. */
  public static final String ADVISOR_ACTION = "knobflow.advisor.action";

  /** A PBT segment's population member, on its trial run (system attribute {@code pbt.member}). */
  public static final String PBT_MEMBER = "knobflow.pbt.member";

  /** A PBT segment's generation (segment index), on its trial run. */
  public static final String PBT_GENERATION = "knobflow.pbt.generation";

  /**
   * Whom a PBT segment that exploited copied, {@code member <m> (trial <n>)}, on its trial run;
   * absent when the segment continued its own member.
   */
  public static final String PBT_EXPLOIT = "knobflow.pbt.exploit";

  /** Tags every experiment Knobflow creates carries: MLflow 3's UI opens it on the runs. */
  public static final java.util.Map<String, String> EXPERIMENT_TAGS =
      java.util.Map.of(
          dev.knobflow.mlflowrest.MlflowTags.EXPERIMENT_KIND,
          dev.knobflow.mlflowrest.MlflowTags.EXPERIMENT_KIND_TRAINING);

  /** The run name of trial {@code number} of study {@code study}: {@code <study>-<number>}. */
  public static String trialRunName(String study, int number) {
    return study + "-" + number;
  }

  /**
   * The prefix of the study run's bound warnings, one tag per parameter whose best trials pile up
   * at a bound ({@code knobflow.bound_warning.eta}; the value says which bound and the wider range
   * to try, {@link dev.knobflow.optimizers.BoundPileUp#describe()}).
   */
  public static final String BOUND_WARNING_PREFIX = "knobflow.bound_warning.";

  /** The prefix of dataset meta-feature tags ({@code knobflow.meta.rows}, ...). */
  public static final String META_PREFIX = "knobflow.meta.";

  private KnobflowTags() {}

  /** An MLflow search filter: tag {@code key} equals {@code value}. */
  static String equalsFilter(String key, String value) {
    Objects.requireNonNull(value, "value");
    if (key.contains("`")) {
      throw new IllegalArgumentException("tag key must not contain a backtick: " + key);
    }
    // MLflow's filter grammar takes '' ... '' with no escape for quotes.
    if (value.contains("'")) {
      throw new IllegalArgumentException(
          "a name searched for in MLflow must not contain a single quote: " + value);
    }
    return "tags.`" + key + "` = '" + value + "'";
  }

  /** The filter for the study runs of {@code study}. */
  static String studyRunFilter(String study) {
    return equalsFilter(STUDY, study) + " AND " + equalsFilter(RUN_TYPE, RUN_TYPE_STUDY);
  }

  /** The filter for the trial runs under the study run {@code studyRunId}. */
  public static String trialRunsOf(String studyRunId) {
    return equalsFilter(dev.knobflow.mlflowrest.MlflowTags.PARENT_RUN_ID, studyRunId)
        + " AND "
        + equalsFilter(RUN_TYPE, RUN_TYPE_TRIAL);
  }

  /** The filter for the trial runs of {@code study}. */
  static String trialRunFilter(String study) {
    return equalsFilter(STUDY, study) + " AND " + equalsFilter(RUN_TYPE, RUN_TYPE_TRIAL);
  }
}
