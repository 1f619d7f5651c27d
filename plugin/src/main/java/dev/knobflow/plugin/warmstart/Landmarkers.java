package dev.knobflow.plugin.warmstart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Cheap learners whose accuracy characterises how hard a classification dataset is. */
final class Landmarkers {

  private Landmarkers() {}

  /**
   * Hold-out accuracy of the best decision stump. The split is stratified: each class gives {@code
   * round(fraction * count)} rows to the hold-out (at least one, never all, for classes of two or
   * more rows). The stump is the single-feature split with the best training accuracy: {@code x <=
   * threshold} for numeric features (missing values imputed with the training median), {@code x ==
   * category} for categorical ones; each side predicts its majority class. Ties go to the earlier
   * feature and the smaller threshold. {@code NaN} when the hold-out is empty.
   */
  static double stumpAccuracy(
      FeatureMatrix m, MetaFeatures.Labels labels, double fraction, long seed) {
    int k = labels.classCount();
    int[] y = labels.classOf();
    boolean[] test = stratifiedHoldOut(y, k, fraction, new SplittableRandom(seed));
    int[] train = indices(test, false);
    int[] held = indices(test, true);
    if (held.length == 0 || train.length == 0) {
      return Double.NaN;
    }
    int[] totals = new int[k];
    for (int i : train) {
      totals[y[i]]++;
    }
    Stump best = Stump.majority(argmax(totals), max(totals));
    for (int f = 0; f < m.numeric.size(); f++) {
      Stump s = numericStump(m.numeric.get(f), f, train, y, totals);
      if (s != null && s.trainCorrect > best.trainCorrect) {
        best = s;
      }
    }
    for (int f = 0; f < m.categorical.size(); f++) {
      Stump s = categoricalStump(m.categorical.get(f), f, train, y, totals);
      if (s != null && s.trainCorrect > best.trainCorrect) {
        best = s;
      }
    }
    int correct = 0;
    for (int i : held) {
      if (best.predict(m, i) == y[i]) {
        correct++;
      }
    }
    return (double) correct / held.length;
  }

  /**
   * Leave-one-out 1-NN accuracy on at most {@code maxRows} rows drawn without replacement with
   * {@code seed}. Numeric features are standardised on the subsample (missing and constant ones
   * become 0); a categorical feature adds 1 to the squared distance when the codes differ. The
   * nearest neighbour with the lowest index wins ties.
   */
  static double nearestNeighbourAccuracy(
      FeatureMatrix m, MetaFeatures.Labels labels, int maxRows, long seed) {
    int[] sample = subsample(m.rows, maxRows, new SplittableRandom(seed));
    int n = sample.length;
    if (n < 2) {
      return Double.NaN;
    }
    int p = m.numeric.size();
    double[][] z = new double[n][p];
    for (int f = 0; f < p; f++) {
      double[] column = m.numeric.get(f);
      double sum = 0;
      int present = 0;
      for (int i : sample) {
        if (!Double.isNaN(column[i])) {
          sum += column[i];
          present++;
        }
      }
      double mean = present == 0 ? 0 : sum / present;
      double ss = 0;
      for (int i : sample) {
        if (!Double.isNaN(column[i])) {
          ss += (column[i] - mean) * (column[i] - mean);
        }
      }
      double sd = present == 0 ? 0 : Math.sqrt(ss / present);
      for (int r = 0; r < n; r++) {
        double v = column[sample[r]];
        z[r][f] = Double.isNaN(v) || sd == 0 ? 0 : (v - mean) / sd;
      }
    }
    int q = m.categorical.size();
    int[][] codes = new int[n][q];
    for (int f = 0; f < q; f++) {
      for (int r = 0; r < n; r++) {
        codes[r][f] = m.categorical.get(f)[sample[r]];
      }
    }
    int[] y = labels.classOf();
    int correct = 0;
    for (int a = 0; a < n; a++) {
      double bestDistance = Double.POSITIVE_INFINITY;
      int nearest = -1;
      for (int b = 0; b < n; b++) {
        if (a == b) {
          continue;
        }
        double d = 0;
        for (int f = 0; f < p; f++) {
          double diff = z[a][f] - z[b][f];
          d += diff * diff;
        }
        for (int f = 0; f < q; f++) {
          if (codes[a][f] != codes[b][f]) {
            d += 1;
          }
        }
        if (d < bestDistance) {
          bestDistance = d;
          nearest = b;
        }
      }
      if (y[sample[nearest]] == y[sample[a]]) {
        correct++;
      }
    }
    return (double) correct / n;
  }

  private static Stump numericStump(
      double[] column, int feature, int[] train, int[] y, int[] totals) {
    double[] present =
        Arrays.stream(train).mapToDouble(i -> column[i]).filter(v -> !Double.isNaN(v)).toArray();
    if (present.length == 0) {
      return null;
    }
    double median = median(present);
    int n = train.length;
    double[] values = new double[n];
    Integer[] order = new Integer[n];
    for (int j = 0; j < n; j++) {
      double v = column[train[j]];
      values[j] = Double.isNaN(v) ? median : v;
      order[j] = j;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    int k = totals.length;
    int[] left = new int[k];
    int[] right = new int[k];
    Stump best = null;
    for (int pos = 0; pos < n - 1; pos++) {
      int j = order[pos];
      left[y[train[j]]]++;
      double here = values[j];
      double next = values[order[pos + 1]];
      if (here == next) {
        continue;
      }
      for (int c = 0; c < k; c++) {
        right[c] = totals[c] - left[c];
      }
      int correct = max(left) + max(right);
      if (best == null || correct > best.trainCorrect) {
        best =
            new Stump(
                feature,
                true,
                here + (next - here) / 2,
                median,
                -1,
                argmax(left),
                argmax(right),
                correct);
      }
    }
    return best;
  }

  private static Stump categoricalStump(
      int[] column, int feature, int[] train, int[] y, int[] totals) {
    int codes = 0;
    for (int i : train) {
      codes = Math.max(codes, column[i] + 1);
    }
    int k = totals.length;
    int[][] counts = new int[codes][k];
    for (int i : train) {
      counts[column[i]][y[i]]++;
    }
    Stump best = null;
    int[] right = new int[k];
    for (int code = 0; code < codes; code++) {
      for (int c = 0; c < k; c++) {
        right[c] = totals[c] - counts[code][c];
      }
      int correct = max(counts[code]) + max(right);
      if (best == null || correct > best.trainCorrect) {
        best =
            new Stump(
                feature,
                false,
                Double.NaN,
                Double.NaN,
                code,
                argmax(counts[code]),
                argmax(right),
                correct);
      }
    }
    return best;
  }

  /** A one-split classifier; {@code feature == -1} predicts {@code leftClass} for every row. */
  private record Stump(
      int feature,
      boolean numeric,
      double threshold,
      double median,
      int code,
      int leftClass,
      int rightClass,
      int trainCorrect) {

    static Stump majority(int cls, int correct) {
      return new Stump(-1, true, Double.NaN, Double.NaN, -1, cls, cls, correct);
    }

    int predict(FeatureMatrix m, int row) {
      if (feature < 0) {
        return leftClass;
      }
      if (numeric) {
        double v = m.numeric.get(feature)[row];
        return (Double.isNaN(v) ? median : v) <= threshold ? leftClass : rightClass;
      }
      return m.categorical.get(feature)[row] == code ? leftClass : rightClass;
    }
  }

  static boolean[] stratifiedHoldOut(int[] y, int k, double fraction, SplittableRandom rng) {
    boolean[] test = new boolean[y.length];
    for (int c = 0; c < k; c++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < y.length; i++) {
        if (y[i] == c) {
          members.add(i);
        }
      }
      int[] shuffled = members.stream().mapToInt(Integer::intValue).toArray();
      shuffle(shuffled, rng);
      int count = shuffled.length;
      int held =
          count < 2 ? 0 : Math.max(1, Math.min(count - 1, (int) Math.round(fraction * count)));
      for (int j = 0; j < held; j++) {
        test[shuffled[j]] = true;
      }
    }
    return test;
  }

  static int[] subsample(int rows, int max, SplittableRandom rng) {
    int[] all = new int[rows];
    for (int i = 0; i < rows; i++) {
      all[i] = i;
    }
    if (rows <= max) {
      return all;
    }
    shuffle(all, rng);
    int[] chosen = Arrays.copyOf(all, max);
    Arrays.sort(chosen);
    return chosen;
  }

  private static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static int[] indices(boolean[] flags, boolean wanted) {
    int count = 0;
    for (boolean f : flags) {
      if (f == wanted) {
        count++;
      }
    }
    int[] out = new int[count];
    int j = 0;
    for (int i = 0; i < flags.length; i++) {
      if (flags[i] == wanted) {
        out[j++] = i;
      }
    }
    return out;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static int max(int[] counts) {
    return counts[argmax(counts)];
  }

  private static int argmax(int[] counts) {
    int best = 0;
    for (int c = 1; c < counts.length; c++) {
      if (counts[c] > counts[best]) {
        best = c;
      }
    }
    return best;
  }
}
