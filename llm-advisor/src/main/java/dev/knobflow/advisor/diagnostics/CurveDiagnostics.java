package dev.knobflow.advisor.diagnostics;

import dev.knobflow.advisor.space.Direction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Classifies a trial's intermediate values as {@link DiagnosisKind#DIVERGING}, {@link
 * DiagnosisKind#OSCILLATING}, {@link DiagnosisKind#PLATEAU} or {@link DiagnosisKind#HEALTHY}.
 *
 * <p>Rules run in this order and the first that fires decides:
 *
 * <ol>
 *   <li>{@code non_finite}: any NaN or infinite value (Keras TerminateOnNaN, Lightning
 *       check_finite). Checked on curves of any length.
 *   <li>{@code insufficient_data}: fewer than {@code minPoints} points gives HEALTHY.
 *   <li>{@code divergence_threshold}: the last value is worse than the configured bound.
 *   <li>The shape rules below ({@code spike}, {@code lost_progress}, {@code worse_than_start})
 *       apply from {@code divergenceGrace} points on, must fire on the curve as it stood at each of
 *       the last {@code divergencePatience} reports, and never at a report whose value is better
 *       than the mean of the values just before it ({@code recoveryGuard}).
 *   <li>{@code spike}: the last {@code spikePatience} values each exceed the mean of the {@code
 *       spikeWindow} values before them by more than {@code spikeRtol * |mean|} in the worse
 *       direction (Fabric SpikeDetection's rule with LLM Foundry's patience).
 *   <li>{@code lost_progress} / {@code worse_than_start}: the mean of the last {@code
 *       lostProgressWindow} values gave back most of the improvement made, or is clearly worse than
 *       the first value.
 *   <li>{@code plateau_std}: after {@code plateauGrace} points, the last {@code plateauWindow}
 *       values have a standard deviation below {@code plateauStd} (Ray Tune's TrialPlateauStopper).
 *   <li>{@code oscillation}: in the last {@code oscillationWindow} values, consecutive first
 *       differences change sign often, the swings are large relative to the level, and the second
 *       half of the window is not clearly better than the first.
 * </ol>
 *
 * <p>Given the completed trials' curves, a curve no rule calls diverging is also checked against
 * them ({@link MedianStopping}): {@link DiagnosisKind#UNDERPERFORMING} before plateau and
 * oscillation.
 *
 * <p>Instances are immutable and thread-safe; one pass over the curve plus constant work per
 * window, so a 1,000-point curve takes microseconds. Median stopping reads the completed trials
 * either from a list (a pass over every completed curve at each report: O(trials x steps)) or from
 * a {@link CompletedCurves} index the caller feeds as trials complete (O(log trials) per judged
 * step); both give the same diagnosis.
 */
public final class CurveDiagnostics {

  private static final double TINY = 1e-12;

  private final DiagnosticsConfig config;
  private final MedianStopping median;

  private CurveDiagnostics(DiagnosticsConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.median = new MedianStopping(config);
  }

  /**
   * @param config the thresholds
   * @return diagnostics using them
   */
  public static CurveDiagnostics of(DiagnosticsConfig config) {
    return new CurveDiagnostics(config);
  }

  /**
   * @return diagnostics with {@link DiagnosticsConfig#defaults()}
   */
  public static CurveDiagnostics withDefaults() {
    return new CurveDiagnostics(DiagnosticsConfig.defaults());
  }

  /**
   * @return the thresholds in use
   */
  public DiagnosticsConfig config() {
    return config;
  }

  /**
   * Classifies a curve.
   *
   * @param curve the intermediate values in step order
   * @param direction whether lower (a loss) or higher (an accuracy) is better
   * @return the diagnosis with its evidence
   */
  public Diagnosis diagnose(Curve curve, Direction direction) {
    return diagnose(curve.values(), direction);
  }

  /**
   * Classifies a curve, and, when no rule of its own calls it diverging, compares it with the
   * curves of the study's completed trials: {@link DiagnosisKind#UNDERPERFORMING} when {@link
   * MedianStopping}'s rule fires.
   *
   * @param curve the intermediate values in step order
   * @param direction whether lower or higher is better
   * @param completed the curves of the completed trials (not this one)
   * @return the diagnosis with its evidence
   */
  public Diagnosis diagnose(Curve curve, Direction direction, List<Curve> completed) {
    Objects.requireNonNull(completed, "completed");
    return diagnose(curve, direction, MedianStopping.straightforward(completed, direction));
  }

  /**
   * As {@link #diagnose(Curve, Direction, List)}, with the completed trials' curves kept in an
   * index that the caller feeds as trials complete: the same diagnosis, at O(log n) per judged step
   * instead of a pass over every completed curve (see {@code bench/advisor/run.sh scale}).
   *
   * @param curve the intermediate values in step order
   * @param direction whether lower or higher is better; must be the index's direction
   * @param completed the completed trials' curves (not this one's)
   * @return the diagnosis with its evidence
   * @throws IllegalArgumentException when the index reads its curves in the other direction
   */
  public Diagnosis diagnose(Curve curve, Direction direction, CompletedCurves completed) {
    Objects.requireNonNull(completed, "completed");
    return diagnose(curve, direction, MedianStopping.incremental(completed, direction));
  }

  private Diagnosis diagnose(Curve curve, Direction direction, MedianStopping.Peers completed) {
    Diagnosis own = diagnose(curve.values(), direction);
    if (own.kind() == DiagnosisKind.DIVERGING) {
      return own;
    }
    Evidence behind = median.behind(curve, direction, completed);
    return behind == null
        ? own
        : new Diagnosis(DiagnosisKind.UNDERPERFORMING, direction, curve.size(), behind);
  }

  /**
   * Classifies a curve given as values in step order.
   *
   * @param values the intermediate values (not modified)
   * @param direction whether lower or higher is better
   * @return the diagnosis with its evidence
   */
  public Diagnosis diagnose(double[] values, Direction direction) {
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(direction, "direction");
    int n = values.length;
    Evidence evidence = nonFinite(values);
    if (evidence != null) {
      return new Diagnosis(DiagnosisKind.DIVERGING, direction, n, evidence);
    }
    if (n < config.minPoints()) {
      return new Diagnosis(
          DiagnosisKind.HEALTHY,
          direction,
          n,
          new Evidence(
              "insufficient_data",
              0,
              Math.max(0, n - 1),
              Map.of("minPoints", (double) config.minPoints()),
              Map.of("points", (double) n),
              "Only "
                  + n
                  + " finite point(s); at least "
                  + config.minPoints()
                  + " are needed before shape rules apply."));
    }
    evidence = divergenceThreshold(values, direction);
    if (evidence == null && n >= config.divergenceGrace()) {
      evidence = persistentShapeDivergence(values, direction);
    }
    if (evidence != null) {
      return new Diagnosis(DiagnosisKind.DIVERGING, direction, n, evidence);
    }
    evidence = plateau(values, direction);
    if (evidence != null) {
      return new Diagnosis(DiagnosisKind.PLATEAU, direction, n, evidence);
    }
    OscillationStats osc = oscillation(values, direction);
    if (osc != null && osc.fires(config)) {
      return new Diagnosis(DiagnosisKind.OSCILLATING, direction, n, osc.evidence(config));
    }
    return new Diagnosis(DiagnosisKind.HEALTHY, direction, n, healthy(values, direction, osc));
  }

  /**
   * A shape rule (spike, lost progress, worse than start) that fired on the curve as it stood at
   * each of its last {@code divergencePatience} reports; the evidence of the latest.
   */
  private Evidence persistentShapeDivergence(double[] values, Direction direction) {
    Evidence latest = shapeDivergence(values, direction);
    int n = values.length;
    for (int k = 1; latest != null && k < config.divergencePatience(); k++) {
      if (n - k < Math.max(config.minPoints(), config.divergenceGrace())
          || shapeDivergence(java.util.Arrays.copyOf(values, n - k), direction) == null) {
        return null;
      }
    }
    return latest;
  }

  private Evidence shapeDivergence(double[] values, Direction direction) {
    if (config.recoveryGuard() && recovering(values, direction)) {
      return null;
    }
    Evidence evidence = spikes(values, direction);
    return evidence != null ? evidence : lostProgress(values, direction);
  }

  /**
   * Whether the last value is better than the mean of the {@code lostProgressWindow} values before
   * it: a curve that is coming back is not called diverging at that report.
   */
  private boolean recovering(double[] values, Direction direction) {
    int n = values.length;
    int window = Math.min(config.lostProgressWindow(), n - 1);
    if (window < 1) {
      return false;
    }
    return direction.isBetter(values[n - 1], mean(values, n - 1 - window, n - 1));
  }

  private static Evidence nonFinite(double[] values) {
    int first = -1;
    int count = 0;
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        count++;
        if (first < 0) {
          first = i;
        }
      }
    }
    if (first < 0) {
      return null;
    }
    return new Evidence(
        "non_finite",
        first,
        values.length - 1,
        Map.of(),
        Map.of("firstNonFiniteIndex", (double) first, "nonFiniteCount", (double) count),
        count
            + " non-finite value(s) (NaN or infinite), the first at index "
            + first
            + " ("
            + values[first]
            + ").");
  }

  private Evidence divergenceThreshold(double[] values, Direction direction) {
    Double threshold = config.divergenceThreshold();
    int last = values.length - 1;
    if (threshold == null || !direction.isBetter(threshold, values[last])) {
      return null;
    }
    return new Evidence(
        "divergence_threshold",
        last,
        last,
        Map.of("divergenceThreshold", threshold),
        Map.of("last", values[last]),
        "The last value "
            + values[last]
            + " is worse than the divergence threshold "
            + threshold
            + ".");
  }

  private Evidence spikes(double[] values, Direction direction) {
    int window = config.spikeWindow();
    int patience = config.spikePatience();
    int n = values.length;
    if (n < window + patience) {
      return null;
    }
    double smallestRatio = Double.POSITIVE_INFINITY;
    for (int i = n - patience; i < n; i++) {
      double mean = mean(values, i - window, i);
      double deviation = -direction.improvement(mean, values[i]);
      double allowed = config.spikeRtol() * Math.abs(mean);
      boolean spike =
          deviation > allowed && (config.spikeAtol() == null || deviation > config.spikeAtol());
      if (!spike) {
        return null;
      }
      smallestRatio = Math.min(smallestRatio, deviation / Math.max(Math.abs(mean), TINY));
    }
    Map<String, Double> thresholds = new LinkedHashMap<>();
    thresholds.put("spikeWindow", (double) window);
    thresholds.put("spikeRtol", config.spikeRtol());
    thresholds.put("spikePatience", (double) patience);
    if (config.spikeAtol() != null) {
      thresholds.put("spikeAtol", config.spikeAtol());
    }
    return new Evidence(
        "spike",
        n - patience - window,
        n - 1,
        thresholds,
        Map.of(
            "smallestRelativeDeviation",
            smallestRatio,
            "last",
            values[n - 1],
            "meanBeforeLast",
            mean(values, n - 1 - window, n - 1)),
        "Each of the last "
            + patience
            + " values deviates from the mean of the "
            + window
            + " values before it by more than "
            + config.spikeRtol()
            + "x that mean.");
  }

  private Evidence lostProgress(double[] values, Direction direction) {
    int n = values.length;
    int window = Math.min(config.lostProgressWindow(), n);
    double first = values[0];
    double best = first;
    for (double v : values) {
      if (direction.isBetter(v, best)) {
        best = v;
      }
    }
    double recent = mean(values, n - window, n);
    double scale = Math.max(Math.max(Math.abs(first), Math.abs(best)), TINY);
    double progress = direction.improvement(first, best);
    double givenBack = direction.improvement(recent, best);
    double worseThanStart = -direction.improvement(first, recent);
    Map<String, Double> measured = new LinkedHashMap<>();
    measured.put("first", first);
    measured.put("best", best);
    measured.put("recentMean", recent);
    measured.put("scale", scale);
    if (progress >= config.minProgressRtol() * scale
        && givenBack >= config.lostProgressShare() * progress) {
      measured.put("givenBackShare", givenBack / progress);
      return new Evidence(
          "lost_progress",
          n - window,
          n - 1,
          Map.of(
              "lostProgressShare", config.lostProgressShare(),
              "minProgressRtol", config.minProgressRtol(),
              "lostProgressWindow", (double) config.lostProgressWindow()),
          measured,
          String.format(
              java.util.Locale.ROOT,
              "The mean of the last %d values (%.6g) gave back %.0f%% of the improvement from the"
                  + " first value (%.6g) to the best (%.6g).",
              window,
              recent,
              100 * givenBack / progress,
              first,
              best));
    }
    if (worseThanStart >= config.worseThanStartRtol() * scale) {
      measured.put("worseThanStartRelative", worseThanStart / scale);
      return new Evidence(
          "worse_than_start",
          n - window,
          n - 1,
          Map.of(
              "worseThanStartRtol",
              config.worseThanStartRtol(),
              "lostProgressWindow",
              (double) config.lostProgressWindow()),
          measured,
          String.format(
              java.util.Locale.ROOT,
              "The mean of the last %d values (%.6g) is worse than the first value (%.6g) by"
                  + " %.0f%% of the curve's scale.",
              window,
              recent,
              first,
              100 * worseThanStart / scale));
    }
    return null;
  }

  private Evidence plateau(double[] values, Direction direction) {
    int n = values.length;
    int window = config.plateauWindow();
    if (n < Math.max(window, config.plateauGrace())) {
      return null;
    }
    double std = std(values, n - window, n);
    if (!(std < config.plateauStd())) {
      return null;
    }
    double level = mean(values, n - window, n);
    double relativeImprovement =
        direction.improvement(values[n - window], values[n - 1]) / Math.max(Math.abs(level), TINY);
    Double minImprovement = config.plateauMinImprovementRtol();
    if (minImprovement != null && relativeImprovement >= minImprovement) {
      return null;
    }
    Map<String, Double> thresholds = new LinkedHashMap<>();
    thresholds.put("plateauStd", config.plateauStd());
    thresholds.put("plateauWindow", (double) window);
    thresholds.put("plateauGrace", (double) config.plateauGrace());
    if (minImprovement != null) {
      thresholds.put("plateauMinImprovementRtol", minImprovement);
    }
    return new Evidence(
        "plateau_std",
        n - window,
        n - 1,
        thresholds,
        Map.of("std", std, "recentMean", level, "relativeImprovement", relativeImprovement),
        String.format(
            java.util.Locale.ROOT,
            "The last %d values have a standard deviation of %.3g, below %.3g.",
            window,
            std,
            config.plateauStd()));
  }

  private OscillationStats oscillation(double[] values, Direction direction) {
    int n = values.length;
    int window = Math.min(config.oscillationWindow(), n);
    if (window < config.oscillationMinPoints()) {
      return null;
    }
    int start = n - window;
    int signChanges = 0;
    int signedPairs = 0;
    int previousSign = 0;
    double absDiffSum = 0;
    for (int i = start + 1; i < n; i++) {
      double diff = values[i] - values[i - 1];
      absDiffSum += Math.abs(diff);
      int sign = diff > 0 ? 1 : diff < 0 ? -1 : 0;
      if (sign != 0) {
        if (previousSign != 0) {
          signedPairs++;
          if (sign != previousSign) {
            signChanges++;
          }
        }
        previousSign = sign;
      }
    }
    double meanAbsDiff = absDiffSum / (window - 1);
    double level = Math.abs(mean(values, start, n));
    int half = window / 2;
    double firstHalf = mean(values, start, start + half);
    double secondHalf = mean(values, n - half, n);
    double share = signedPairs == 0 ? 0 : (double) signChanges / signedPairs;
    double amplitude = meanAbsDiff / Math.max(level, TINY);
    double netProgress =
        meanAbsDiff <= 0 ? 0 : direction.improvement(firstHalf, secondHalf) / meanAbsDiff;
    return new OscillationStats(start, n - 1, share, amplitude, netProgress, meanAbsDiff);
  }

  private Evidence healthy(double[] values, Direction direction, OscillationStats osc) {
    int n = values.length;
    Map<String, Double> measured = new LinkedHashMap<>();
    measured.put("first", values[0]);
    measured.put("last", values[n - 1]);
    measured.put("improvement", direction.improvement(values[0], values[n - 1]));
    if (n >= config.plateauWindow()) {
      measured.put("recentStd", std(values, n - config.plateauWindow(), n));
    }
    if (osc != null) {
      measured.put("signChangeShare", osc.signChangeShare());
      measured.put("relativeAmplitude", osc.relativeAmplitude());
      measured.put("netProgress", osc.netProgress());
    }
    return new Evidence(
        "no_rule_fired",
        0,
        n - 1,
        Map.of(
            "plateauStd", config.plateauStd(),
            "minSignChangeShare", config.minSignChangeShare(),
            "minRelativeAmplitude", config.minRelativeAmplitude(),
            "maxNetProgress", config.maxNetProgress()),
        measured,
        "No divergence, plateau or oscillation rule fired.");
  }

  private static double mean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / (to - from);
  }

  private static double std(double[] values, int from, int to) {
    double mean = mean(values, from, to);
    double sum = 0;
    for (int i = from; i < to; i++) {
      double d = values[i] - mean;
      sum += d * d;
    }
    return Math.sqrt(sum / (to - from));
  }

  private record OscillationStats(
      int start,
      int end,
      double signChangeShare,
      double relativeAmplitude,
      double netProgress,
      double meanAbsDiff) {

    boolean fires(DiagnosticsConfig config) {
      return signChangeShare >= config.minSignChangeShare()
          && relativeAmplitude >= config.minRelativeAmplitude()
          && netProgress <= config.maxNetProgress();
    }

    Evidence evidence(DiagnosticsConfig config) {
      return new Evidence(
          "oscillation",
          start,
          end,
          Map.of(
              "oscillationWindow", (double) config.oscillationWindow(),
              "minSignChangeShare", config.minSignChangeShare(),
              "minRelativeAmplitude", config.minRelativeAmplitude(),
              "maxNetProgress", config.maxNetProgress()),
          Map.of(
              "signChangeShare", signChangeShare,
              "relativeAmplitude", relativeAmplitude,
              "netProgress", netProgress,
              "meanAbsDiff", meanAbsDiff),
          String.format(
              java.util.Locale.ROOT,
              "Over the last %d values %.0f%% of consecutive steps reverse direction, swings"
                  + " average %.1f%% of the level, and the second half improves on the first by"
                  + " only %.2f mean swings.",
              end - start + 1,
              100 * signChangeShare,
              100 * relativeAmplitude,
              netProgress));
    }
  }
}
