package dev.knobflow.advisor.diagnostics;

import org.jspecify.annotations.Nullable;

/**
 * Thresholds of {@link CurveDiagnostics}. Every field has a documented default taken from a
 * practitioner tool where one exists; build with {@link #builder()} or use {@link #defaults()}.
 *
 * @param minPoints curves shorter than this are only checked for non-finite values (default 5)
 * @param divergenceThreshold absolute bound: the last value being worse than it means divergence,
 *     as Lightning EarlyStopping's {@code divergence_threshold}; {@code null} disables (default)
 * @param spikeWindow points in the running mean a value is compared with, as Lightning Fabric's
 *     SpikeDetection {@code window} (default 10)
 * @param spikeRtol a spike deviates from the running mean, in the worse direction, by more than
 *     {@code spikeRtol * |mean|}, as SpikeDetection's {@code rtol} (default 2.0)
 * @param spikeAtol optional absolute deviation a spike must also exceed, as SpikeDetection's {@code
 *     atol}; {@code null} disables (default)
 * @param spikePatience this many consecutive spikes at the end of the curve mean divergence, as LLM
 *     Foundry's kill-loss-spike {@code patience} (default 4)
 * @param lostProgressWindow points at the end of the curve whose mean is compared with the best and
 *     the first value (default 5)
 * @param lostProgressShare divergence when the last window gave back at least this share of the
 *     improvement from the first to the best value (default 0.8)
 * @param minProgressRtol the lost-progress rule only applies when that improvement was at least
 *     this share of the curve's scale {@code max(|first|, |best|)} (default 0.05)
 * @param worseThanStartRtol divergence when the last window is worse than the first value by at
 *     least this share of the scale (default 0.5)
 * @param divergenceGrace the shape rules of divergence (spike, lost progress, worse than start)
 *     apply from this many points on; non-finite values and the divergence threshold at any length.
 *     Early training is often unstable and recovers (measured on the shipped examples:
 *     bench/advisor), so a verdict that stops a trial waits (default 10)
 * @param divergencePatience a shape rule must fire on the curve as it stood at each of the last
 *     this many reports, as LLM Foundry's kill-loss-spike {@code patience}: one bad window is not
 *     divergence (default 3)
 * @param recoveryGuard no shape verdict of divergence at a report whose value is better than the
 *     mean of the {@code lostProgressWindow} values before it: a curve coming back is not diverging
 *     (default true)
 * @param plateauWindow the last this many values are checked for a plateau, as Ray Tune's
 *     TrialPlateauStopper {@code num_results} (default 4)
 * @param plateauStd a plateau has a population standard deviation below this over the window, as
 *     TrialPlateauStopper's {@code std} (default 0.01, an absolute value in metric units)
 * @param plateauGrace no plateau before this many points, as TrialPlateauStopper's {@code
 *     grace_period} (default 4)
 * @param plateauMinImprovementRtol Knobflow's addition to Ray's rule: a window that still improves
 *     from its first to its last value by at least this share of its mean level is not a plateau,
 *     so slow but steady learning is not cut (default 0.01; {@code null} gives Ray's rule alone)
 * @param oscillationWindow the last this many values are checked for oscillation (default 20)
 * @param oscillationMinPoints no oscillation verdict on fewer points (default 8)
 * @param minSignChangeShare oscillation needs at least this share of sign changes between
 *     consecutive first differences (default 0.5; a period-4 swing gives 0.5, period-2 gives 1)
 * @param minRelativeAmplitude oscillation needs the mean absolute first difference to be at least
 *     this share of the window's mean level (default 0.05)
 * @param maxNetProgress oscillation needs the improvement from the first to the second half of the
 *     window to be at most this many mean absolute differences (default 1.0)
 * @param medianWarmup median stopping ({@link MedianStopping}) judges a trial from this many points
 *     on, as Optuna MedianPruner's {@code n_warmup_steps} (default 5)
 * @param medianMinTrials median stopping needs at least this many completed trials that reached the
 *     step, as MedianPruner's {@code n_startup_trials}; 0 switches the rule off (default 5)
 * @param medianMarginRtol a trial is behind when its best value so far is worse than the median of
 *     the completed trials' best values at the same step by more than this share of that median
 *     (default 0.5: a wide margin, since a trial that would finish among the best must never be
 *     stopped; measured on the shipped examples' curves, bench/advisor)
 * @param medianPatience the trial must be behind at each of its last this many reports (default 2)
 */
public record DiagnosticsConfig(
    int minPoints,
    @Nullable Double divergenceThreshold,
    int spikeWindow,
    double spikeRtol,
    @Nullable Double spikeAtol,
    int spikePatience,
    int lostProgressWindow,
    double lostProgressShare,
    double minProgressRtol,
    double worseThanStartRtol,
    int divergenceGrace,
    int divergencePatience,
    boolean recoveryGuard,
    int plateauWindow,
    double plateauStd,
    int plateauGrace,
    @Nullable Double plateauMinImprovementRtol,
    int oscillationWindow,
    int oscillationMinPoints,
    double minSignChangeShare,
    double minRelativeAmplitude,
    double maxNetProgress,
    int medianWarmup,
    int medianMinTrials,
    double medianMarginRtol,
    int medianPatience) {

  /** Validates every threshold, naming the field and the allowed range. */
  public DiagnosticsConfig {
    atLeast("minPoints", minPoints, 2);
    if (divergenceThreshold != null && !Double.isFinite(divergenceThreshold)) {
      throw new IllegalArgumentException("divergenceThreshold must be finite or null");
    }
    atLeast("spikeWindow", spikeWindow, 1);
    positive("spikeRtol", spikeRtol);
    if (spikeAtol != null) {
      positive("spikeAtol", spikeAtol);
    }
    atLeast("spikePatience", spikePatience, 1);
    atLeast("lostProgressWindow", lostProgressWindow, 1);
    share("lostProgressShare", lostProgressShare);
    share("minProgressRtol", minProgressRtol);
    positive("worseThanStartRtol", worseThanStartRtol);
    atLeast("divergenceGrace", divergenceGrace, 0);
    atLeast("divergencePatience", divergencePatience, 1);
    atLeast("plateauWindow", plateauWindow, 2);
    positive("plateauStd", plateauStd);
    atLeast("plateauGrace", plateauGrace, 0);
    if (plateauMinImprovementRtol != null) {
      positive("plateauMinImprovementRtol", plateauMinImprovementRtol);
    }
    atLeast("oscillationWindow", oscillationWindow, 4);
    atLeast("oscillationMinPoints", oscillationMinPoints, 4);
    share("minSignChangeShare", minSignChangeShare);
    positive("minRelativeAmplitude", minRelativeAmplitude);
    positive("maxNetProgress", maxNetProgress);
    atLeast("medianWarmup", medianWarmup, 1);
    atLeast("medianMinTrials", medianMinTrials, 0);
    if (!(medianMarginRtol >= 0) || !Double.isFinite(medianMarginRtol)) {
      throw new IllegalArgumentException(
          "medianMarginRtol must be a finite number >= 0; got " + medianMarginRtol);
    }
    atLeast("medianPatience", medianPatience, 1);
  }

  /**
   * @return the documented defaults
   */
  public static DiagnosticsConfig defaults() {
    return builder().build();
  }

  /**
   * @return a builder starting from the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder starting from this configuration
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.minPoints = minPoints;
    b.divergenceThreshold = divergenceThreshold;
    b.spikeWindow = spikeWindow;
    b.spikeRtol = spikeRtol;
    b.spikeAtol = spikeAtol;
    b.spikePatience = spikePatience;
    b.lostProgressWindow = lostProgressWindow;
    b.lostProgressShare = lostProgressShare;
    b.minProgressRtol = minProgressRtol;
    b.worseThanStartRtol = worseThanStartRtol;
    b.divergenceGrace = divergenceGrace;
    b.divergencePatience = divergencePatience;
    b.recoveryGuard = recoveryGuard;
    b.plateauWindow = plateauWindow;
    b.plateauStd = plateauStd;
    b.plateauGrace = plateauGrace;
    b.plateauMinImprovementRtol = plateauMinImprovementRtol;
    b.oscillationWindow = oscillationWindow;
    b.oscillationMinPoints = oscillationMinPoints;
    b.minSignChangeShare = minSignChangeShare;
    b.minRelativeAmplitude = minRelativeAmplitude;
    b.maxNetProgress = maxNetProgress;
    b.medianWarmup = medianWarmup;
    b.medianMinTrials = medianMinTrials;
    b.medianMarginRtol = medianMarginRtol;
    b.medianPatience = medianPatience;
    return b;
  }

  private static void atLeast(String field, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be >= " + min + "; got " + value);
    }
  }

  private static void positive(String field, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number > 0; got " + value);
    }
  }

  private static void share(String field, double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(field + " must be in (0, 1]; got " + value);
    }
  }

  /** Builder for {@link DiagnosticsConfig}; starts at the defaults. */
  public static final class Builder {
    private int minPoints = 5;
    private Double divergenceThreshold;
    private int spikeWindow = 10;
    private double spikeRtol = 2.0;
    private Double spikeAtol;
    private int spikePatience = 4;
    private int lostProgressWindow = 3;
    private double lostProgressShare = 0.8;
    private double minProgressRtol = 0.05;
    private double worseThanStartRtol = 0.5;
    private int divergenceGrace = 10;
    private int divergencePatience = 3;
    private boolean recoveryGuard = true;
    private int plateauWindow = 4;
    private double plateauStd = 0.01;
    private int plateauGrace = 4;
    private Double plateauMinImprovementRtol = 0.01;
    private int oscillationWindow = 20;
    private int oscillationMinPoints = 8;
    private double minSignChangeShare = 0.5;
    private double minRelativeAmplitude = 0.05;
    private double maxNetProgress = 1.0;
    private int medianWarmup = 5;
    private int medianMinTrials = 5;
    private double medianMarginRtol = 0.5;
    private int medianPatience = 2;

    private Builder() {}

    /**
     * @param v see {@link DiagnosticsConfig#minPoints()} @return this
     */
    public Builder minPoints(int v) {
      minPoints = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#divergenceThreshold()} @return this
     */
    public Builder divergenceThreshold(Double v) {
      divergenceThreshold = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#spikeWindow()} @return this
     */
    public Builder spikeWindow(int v) {
      spikeWindow = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#spikeRtol()} @return this
     */
    public Builder spikeRtol(double v) {
      spikeRtol = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#spikeAtol()} @return this
     */
    public Builder spikeAtol(Double v) {
      spikeAtol = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#spikePatience()} @return this
     */
    public Builder spikePatience(int v) {
      spikePatience = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#lostProgressWindow()} @return this
     */
    public Builder lostProgressWindow(int v) {
      lostProgressWindow = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#lostProgressShare()} @return this
     */
    public Builder lostProgressShare(double v) {
      lostProgressShare = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#minProgressRtol()} @return this
     */
    public Builder minProgressRtol(double v) {
      minProgressRtol = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#worseThanStartRtol()} @return this
     */
    public Builder worseThanStartRtol(double v) {
      worseThanStartRtol = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#divergenceGrace()} @return this
     */
    public Builder divergenceGrace(int v) {
      divergenceGrace = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#divergencePatience()} @return this
     */
    public Builder divergencePatience(int v) {
      divergencePatience = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#recoveryGuard()} @return this
     */
    public Builder recoveryGuard(boolean v) {
      recoveryGuard = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#plateauWindow()} @return this
     */
    public Builder plateauWindow(int v) {
      plateauWindow = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#plateauStd()} @return this
     */
    public Builder plateauStd(double v) {
      plateauStd = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#plateauGrace()} @return this
     */
    public Builder plateauGrace(int v) {
      plateauGrace = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#plateauMinImprovementRtol()} @return this
     */
    public Builder plateauMinImprovementRtol(Double v) {
      plateauMinImprovementRtol = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#oscillationWindow()} @return this
     */
    public Builder oscillationWindow(int v) {
      oscillationWindow = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#oscillationMinPoints()} @return this
     */
    public Builder oscillationMinPoints(int v) {
      oscillationMinPoints = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#minSignChangeShare()} @return this
     */
    public Builder minSignChangeShare(double v) {
      minSignChangeShare = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#minRelativeAmplitude()} @return this
     */
    public Builder minRelativeAmplitude(double v) {
      minRelativeAmplitude = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#maxNetProgress()} @return this
     */
    public Builder maxNetProgress(double v) {
      maxNetProgress = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#medianWarmup()} @return this
     */
    public Builder medianWarmup(int v) {
      medianWarmup = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#medianMinTrials()} @return this
     */
    public Builder medianMinTrials(int v) {
      medianMinTrials = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#medianMarginRtol()} @return this
     */
    public Builder medianMarginRtol(double v) {
      medianMarginRtol = v;
      return this;
    }

    /**
     * @param v see {@link DiagnosticsConfig#medianPatience()} @return this
     */
    public Builder medianPatience(int v) {
      medianPatience = v;
      return this;
    }

    /**
     * @return the validated configuration
     * @throws IllegalArgumentException naming the first invalid field
     */
    public DiagnosticsConfig build() {
      return new DiagnosticsConfig(
          minPoints,
          divergenceThreshold,
          spikeWindow,
          spikeRtol,
          spikeAtol,
          spikePatience,
          lostProgressWindow,
          lostProgressShare,
          minProgressRtol,
          worseThanStartRtol,
          divergenceGrace,
          divergencePatience,
          recoveryGuard,
          plateauWindow,
          plateauStd,
          plateauGrace,
          plateauMinImprovementRtol,
          oscillationWindow,
          oscillationMinPoints,
          minSignChangeShare,
          minRelativeAmplitude,
          maxNetProgress,
          medianWarmup,
          medianMinTrials,
          medianMarginRtol,
          medianPatience);
    }
  }
}
