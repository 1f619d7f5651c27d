package dev.knobflow.advisor.diagnostics;

import dev.knobflow.advisor.space.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The median stopping rule (Google Vizier's; Optuna's MedianPruner, Ray Tune's MedianStoppingRule):
 * a trial is behind when its best value so far is worse than the median of the completed trials'
 * best values at the same step, by more than {@code medianMarginRtol} of that median. It judges
 * only from {@code medianWarmup} points on, only with at least {@code medianMinTrials} completed
 * trials that reached the step, and only when the trial was behind at each of its last {@code
 * medianPatience} reports. Best-so-far on both sides, so one bad swing neither condemns a trial nor
 * raises the bar.
 */
final class MedianStopping {

  private static final double TINY = 1e-12;

  private final DiagnosticsConfig config;

  MedianStopping(DiagnosticsConfig config) {
    this.config = config;
  }

  /** The evidence when the rule fires, else null. */
  Evidence behind(Curve curve, Direction direction, List<Curve> completed) {
    int n = curve.size();
    if (config.medianMinTrials() == 0
        || completed.size() < config.medianMinTrials()
        || n < Math.max(config.medianWarmup(), config.medianPatience())) {
      return null;
    }
    List<CurvePoint> points = curve.points();
    double best = Double.NaN;
    double[] bestSoFar = new double[n];
    for (int i = 0; i < n; i++) {
      double v = points.get(i).value();
      if (Double.isNaN(best) || direction.isBetter(v, best)) {
        best = v;
      }
      bestSoFar[i] = best;
    }
    double lastMedian = Double.NaN;
    int lastPeers = 0;
    for (int i = n - config.medianPatience(); i < n; i++) {
      double[] peers = peersBestAt(points.get(i).step(), direction, completed);
      if (peers.length < config.medianMinTrials()) {
        return null;
      }
      double median = median(peers);
      double margin = config.medianMarginRtol() * Math.max(Math.abs(median), TINY);
      if (!(direction.improvement(bestSoFar[i], median) > margin)) {
        return null;
      }
      lastMedian = median;
      lastPeers = peers.length;
    }
    Map<String, Double> thresholds = new LinkedHashMap<>();
    thresholds.put("medianWarmup", (double) config.medianWarmup());
    thresholds.put("medianMinTrials", (double) config.medianMinTrials());
    thresholds.put("medianMarginRtol", config.medianMarginRtol());
    thresholds.put("medianPatience", (double) config.medianPatience());
    Map<String, Double> measured = new LinkedHashMap<>();
    measured.put("bestSoFar", bestSoFar[n - 1]);
    measured.put("median", lastMedian);
    measured.put("completedTrials", (double) lastPeers);
    return new Evidence(
        "behind_median",
        n - config.medianPatience(),
        n - 1,
        thresholds,
        measured,
        String.format(
            Locale.ROOT,
            "At step %d the trial's best value so far (%.6g) is worse than the median (%.6g) of"
                + " the best values of %d completed trials at that step by more than %.0f%% of"
                + " it, at each of the last %d reports.",
            points.get(n - 1).step(),
            bestSoFar[n - 1],
            lastMedian,
            lastPeers,
            100 * config.medianMarginRtol(),
            config.medianPatience()));
  }

  /** Each completed trial's best finite value up to {@code step}, if it reported at that step. */
  private static double[] peersBestAt(long step, Direction direction, List<Curve> completed) {
    List<Double> out = new ArrayList<>(completed.size());
    for (Curve peer : completed) {
      if (peer.size() == 0 || peer.lastStep() < step) {
        continue;
      }
      double best = Double.NaN;
      for (CurvePoint p : peer.points()) {
        if (p.step() > step) {
          break;
        }
        double v = p.value();
        if (Double.isFinite(v) && (Double.isNaN(best) || direction.isBetter(v, best))) {
          best = v;
        }
      }
      if (!Double.isNaN(best)) {
        out.add(best);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }
}
