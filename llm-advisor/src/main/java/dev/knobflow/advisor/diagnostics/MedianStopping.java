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

  /** The completed trials' curves as median stopping reads them. */
  interface Peers {
    /** How many completed trials there are (an upper bound of every count). */
    int size();

    /** The completed trials' best values at {@code steps}, all read from one state. */
    AtSteps at(long[] steps);
  }

  /**
   * For {@code steps[k]}: how many completed trials have a finite value by it and reported at or
   * after it, and the median of their best values so far (asked only when the count is positive).
   */
  interface AtSteps {
    int count(int k);

    double median(int k);
  }

  /**
   * The straightforward computation: a pass over every completed curve for each step asked, only
   * when asked (the rule stops at the first step where the trial is not behind).
   */
  static Peers straightforward(List<Curve> completed, Direction direction) {
    return new Peers() {
      @Override
      public int size() {
        return completed.size();
      }

      @Override
      public AtSteps at(long[] steps) {
        double[][] peers = new double[steps.length][];
        return new AtSteps() {
          private double[] peers(int k) {
            if (peers[k] == null) {
              peers[k] = peersBestAt(steps[k], direction, completed);
            }
            return peers[k];
          }

          @Override
          public int count(int k) {
            return peers(k).length;
          }

          @Override
          public double median(int k) {
            return MedianStopping.median(peers(k));
          }
        };
      }
    };
  }

  /** The incremental computation: {@code completed}'s running medians per step. */
  static Peers incremental(CompletedCurves completed, Direction direction) {
    if (completed.direction() != direction) {
      throw new IllegalArgumentException(
          "the completed curves are read as "
              + completed.direction()
              + " but the curve is diagnosed as "
              + direction);
    }
    return new Peers() {
      @Override
      public int size() {
        return completed.size();
      }

      @Override
      public AtSteps at(long[] steps) {
        int[] counts = new int[steps.length];
        double[] medians = new double[steps.length];
        completed.at(steps, counts, medians);
        return new AtSteps() {
          @Override
          public int count(int k) {
            return counts[k];
          }

          @Override
          public double median(int k) {
            return medians[k];
          }
        };
      }
    };
  }

  /** The evidence when the rule fires, else null. */
  Evidence behind(Curve curve, Direction direction, Peers completed) {
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
    int patience = config.medianPatience();
    long[] steps = new long[patience];
    for (int k = 0; k < patience; k++) {
      steps[k] = points.get(n - patience + k).step();
    }
    AtSteps peers = completed.at(steps);
    double lastMedian = Double.NaN;
    int lastPeers = 0;
    for (int i = n - patience; i < n; i++) {
      int count = peers.count(i - (n - patience));
      if (count < config.medianMinTrials()) {
        return null;
      }
      double median = peers.median(i - (n - patience));
      double margin = config.medianMarginRtol() * Math.max(Math.abs(median), TINY);
      if (!(direction.improvement(bestSoFar[i], median) > margin)) {
        return null;
      }
      lastMedian = median;
      lastPeers = count;
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
