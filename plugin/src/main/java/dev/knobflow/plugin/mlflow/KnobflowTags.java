package dev.knobflow.plugin.mlflow;

import java.util.Objects;

/** The MLflow tags Knobflow writes on study (parent) and trial (child) runs. */
public final class KnobflowTags {

  /** The study's name, on the study run and on every trial run. */
  public static final String STUDY = "knobflow.study";

  /** {@value #RUN_TYPE_STUDY} or {@value #RUN_TYPE_TRIAL}. */
  public static final String RUN_TYPE = "knobflow.run_type";

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

  /** The filter for the trial runs of {@code study}. */
  static String trialRunFilter(String study) {
    return equalsFilter(STUDY, study) + " AND " + equalsFilter(RUN_TYPE, RUN_TYPE_TRIAL);
  }
}
