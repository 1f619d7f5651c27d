package dev.knobflow.advisor.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A trial's intermediate values in step order, immutable.
 *
 * @param points the points, steps strictly increasing
 */
public record Curve(List<CurvePoint> points) {

  /** Default cap for {@link #downsample(int)} when a curve goes into a prompt or report. */
  public static final int DEFAULT_DOWNSAMPLE_CAP = 50;

  /** Validates step order and copies the points. */
  public Curve {
    points = List.copyOf(points);
    for (int i = 1; i < points.size(); i++) {
      if (points.get(i).step() <= points.get(i - 1).step()) {
        throw new IllegalArgumentException(
            "curve steps must be strictly increasing; step "
                + points.get(i).step()
                + " follows step "
                + points.get(i - 1).step()
                + " at index "
                + i);
      }
    }
  }

  /**
   * A curve whose steps are 0, 1, 2, ...
   *
   * @param values the values in order
   * @return the curve
   */
  public static Curve ofValues(double... values) {
    List<CurvePoint> points = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      points.add(new CurvePoint(i, values[i]));
    }
    return new Curve(points);
  }

  /**
   * A curve from parallel arrays of steps and values.
   *
   * @param steps strictly increasing steps
   * @param values values, same length as {@code steps}
   * @return the curve
   */
  public static Curve of(long[] steps, double[] values) {
    if (steps.length != values.length) {
      throw new IllegalArgumentException(
          "steps and values must have the same length; got "
              + steps.length
              + " and "
              + values.length);
    }
    List<CurvePoint> points = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      points.add(new CurvePoint(steps[i], values[i]));
    }
    return new Curve(points);
  }

  /**
   * @return the number of points
   */
  public int size() {
    return points.size();
  }

  /**
   * @return a fresh array of the values in step order
   */
  public double[] values() {
    double[] values = new double[points.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = points.get(i).value();
    }
    return values;
  }

  /**
   * @return the step of the last point, or -1 for an empty curve
   */
  public long lastStep() {
    return points.isEmpty() ? -1 : points.get(points.size() - 1).step();
  }

  /**
   * Reduces the curve to at most {@code cap} points for prompts and reports. Always keeps the first
   * and last points, the minimum and maximum finite values and the first non-finite value; the rest
   * of the budget goes to evenly spaced points.
   *
   * @param cap the most points to keep, at least 5
   * @return this curve when it is already small enough, else the reduced curve
   */
  public Curve downsample(int cap) {
    if (cap < 5) {
      throw new IllegalArgumentException("downsample cap must be >= 5; got " + cap);
    }
    int n = points.size();
    if (n <= cap) {
      return this;
    }
    TreeSet<Integer> keep = new TreeSet<>();
    keep.add(0);
    keep.add(n - 1);
    int argMin = -1;
    int argMax = -1;
    int firstNonFinite = -1;
    for (int i = 0; i < n; i++) {
      double v = points.get(i).value();
      if (!Double.isFinite(v)) {
        if (firstNonFinite < 0) {
          firstNonFinite = i;
        }
        continue;
      }
      if (argMin < 0 || v < points.get(argMin).value()) {
        argMin = i;
      }
      if (argMax < 0 || v > points.get(argMax).value()) {
        argMax = i;
      }
    }
    for (int index : new int[] {argMin, argMax, firstNonFinite}) {
      if (index >= 0) {
        keep.add(index);
      }
    }
    int budget = cap - keep.size();
    for (int j = 1; j <= budget && keep.size() < cap; j++) {
      keep.add((int) Math.round((double) j * (n - 1) / (budget + 1)));
    }
    List<CurvePoint> kept = new ArrayList<>(keep.size());
    for (int index : keep) {
      kept.add(points.get(index));
    }
    return new Curve(kept);
  }
}
