package dev.knobflow.advisor.diagnostics;

import dev.knobflow.advisor.space.Direction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The completed trials' curves of one study, kept for median stopping ({@link
 * CurveDiagnostics#diagnose(Curve, Direction, CompletedCurves)}) so that a report costs O(log n)
 * per judged step instead of a pass over every completed trial's curve.
 *
 * <p>Each added curve is reduced once to its best finite value so far at each of its steps. Per
 * step that median stopping has asked about, a running median (two heaps) holds the best values of
 * the completed trials that reached that step: built from every stored curve the first time the
 * step is asked about, then updated as trials are added. The figures are exactly those of the
 * straightforward computation over the same curves ({@link CurveDiagnostics#diagnose(Curve,
 * Direction, List)}): the same peers and the same order statistics.
 *
 * <p>Trials are keyed by number, so feeding the same trial again (a caller that re-reads the study
 * from storage at every report, where other workers' trials appear in any order) changes nothing.
 * Only completed trials belong here: a completed trial's curve does not change.
 *
 * <p>Thread-safe: trials running in parallel read and feed one instance.
 */
public final class CompletedCurves {

  private final Direction direction;
  private final Set<Long> trials = new HashSet<>();
  private final List<Peer> peers = new ArrayList<>();
  private final NavigableMap<Long, RunningMedian> byStep = new TreeMap<>();

  private CompletedCurves(Direction direction) {
    this.direction = Objects.requireNonNull(direction, "direction");
  }

  /**
   * @param direction the direction the curves are read in (the monitored objective's)
   * @return an empty index
   */
  public static CompletedCurves of(Direction direction) {
    return new CompletedCurves(direction);
  }

  /**
   * @return the direction the curves are read in
   */
  public Direction direction() {
    return direction;
  }

  /**
   * Adds a completed trial's curve, once.
   *
   * @param trial the trial's number (its key)
   * @param curve its intermediate values of the monitored objective
   * @return true when added, false when the trial was already here (the curve is then ignored)
   */
  public synchronized boolean add(long trial, Curve curve) {
    Objects.requireNonNull(curve, "curve");
    if (!trials.add(trial)) {
      return false;
    }
    Peer peer = Peer.of(curve, direction);
    peers.add(peer);
    if (peer.steps.length > 0 && !byStep.isEmpty()) {
      // Only the steps already asked about; the others are built from `peers` when first asked.
      int i = -1;
      for (Map.Entry<Long, RunningMedian> e :
          byStep.subMap(peer.steps[0], true, peer.lastStep(), true).entrySet()) {
        long step = e.getKey();
        while (i + 1 < peer.steps.length && peer.steps[i + 1] <= step) {
          i++;
        }
        double best = peer.best[i];
        if (!Double.isNaN(best)) {
          e.getValue().add(best);
        }
      }
    }
    return true;
  }

  /**
   * @param trial a trial number
   * @return whether that trial's curve was added
   */
  public synchronized boolean contains(long trial) {
    return trials.contains(trial);
  }

  /**
   * @return how many trials were added (curves of any length)
   */
  public synchronized int size() {
    return trials.size();
  }

  /**
   * The completed trials' best values at each step, read at one instant: for {@code steps[k]},
   * {@code counts[k]} is how many completed trials reported at or after it and had a finite value
   * by it, and {@code medians[k]} the median of their best values so far (NaN when none).
   */
  synchronized void at(long[] steps, int[] counts, double[] medians) {
    for (int k = 0; k < steps.length; k++) {
      RunningMedian m = byStep.computeIfAbsent(steps[k], this::build);
      counts[k] = m.size();
      medians[k] = m.size() == 0 ? Double.NaN : m.median();
    }
  }

  private RunningMedian build(long step) {
    RunningMedian m = new RunningMedian(peers.size());
    for (Peer p : peers) {
      double best = p.bestAt(step);
      if (!Double.isNaN(best)) {
        m.add(best);
      }
    }
    return m;
  }

  /** One completed curve: its steps and the best finite value up to each (NaN before any). */
  private record Peer(long[] steps, double[] best) {

    static Peer of(Curve curve, Direction direction) {
      List<CurvePoint> points = curve.points();
      long[] steps = new long[points.size()];
      double[] best = new double[points.size()];
      double b = Double.NaN;
      for (int i = 0; i < steps.length; i++) {
        CurvePoint p = points.get(i);
        double v = p.value();
        if (Double.isFinite(v) && (Double.isNaN(b) || direction.isBetter(v, b))) {
          b = v;
        }
        steps[i] = p.step();
        best[i] = b;
      }
      return new Peer(steps, best);
    }

    long lastStep() {
      return steps[steps.length - 1];
    }

    /** The best value up to {@code step}; NaN if none, or if the curve ends before the step. */
    double bestAt(long step) {
      if (steps.length == 0 || lastStep() < step) {
        return Double.NaN;
      }
      int i = java.util.Arrays.binarySearch(steps, step);
      if (i < 0) {
        i = -i - 2; // the last step before it
      }
      return i < 0 ? Double.NaN : best[i];
    }
  }
}
