package dev.knobflow.optimizers.samplers.gp;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.samplers.parzen.ParzenDimension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.hipparchus.random.SobolSequenceGenerator;

/**
 * Maximises an {@link AcquisitionSurface} over a search space: Sobol and random candidates plus
 * perturbations of the best observed points, then local searches (bounded L-BFGS with the GP's
 * gradients on continuous parameters, coordinate steps on discrete and categorical ones) from the
 * best candidate, from candidates drawn with probability growing with their acquisition, and from
 * the best observed points. Optuna's {@code _gp/optim_mixed.py} has the same role. All randomness
 * comes from the random stream passed in, so a proposal depends only on its inputs.
 */
final class AcquisitionOptimizer {

  /** Local searches of the acquisition per proposal, and how many start at observed points. */
  private static final int LOCAL_SEARCHES = 8;

  private static final int OBSERVED_STARTS = 2;

  /**
   * From this many training points on, fewer local searches ({@link #LATE_LOCAL_SEARCHES}): each
   * costs O(n^2) per step, and late in a study the model changes little from one trial to the next.
   */
  private static final int LATE_POINTS = 100;

  /** From {@link #LATE_POINTS} on, this fraction of the Sobol and random candidates. */
  private static final int LATE_CANDIDATE_DIVISOR = 2;

  private static final int LATE_LOCAL_SEARCHES = 5;

  /** Bounded L-BFGS iterations per local search. */
  private static final int LOCAL_ITERATIONS = 50;

  /**
   * A local search stops once an iteration raises the log acquisition by less than this (times
   * max(1, |value|)); from {@link #LATE_POINTS} on the looser {@link #LATE_LOCAL_TOLERANCE}: late
   * in a study finer steps rarely change which point is proposed, early they do (Branin's regret).
   * Late, a rise of 0.1% of the acquisition is the floor: with 3 objectives the local searches were
   * 45% of the sampler's time at 200 trials with 1e-6, a third of that with 1e-3, and DTLZ2's
   * hypervolume was the same.
   */
  private static final double LOCAL_TOLERANCE = 1e-9;

  private static final double LATE_LOCAL_TOLERANCE = 1e-3;

  private final int candidates;

  /** An optimiser scoring {@code candidates} Sobol and random candidates per proposal. */
  AcquisitionOptimizer(int candidates) {
    this.candidates = candidates;
  }

  /**
   * The point of the search space (parameter coordinates) with the highest acquisition found: Sobol
   * and random candidates and perturbations of the best observed points are scored, then local
   * searches start from the best, from roulette picks and from the best observed points.
   */
  double[] optimise(
      SpaceFeatures features,
      AcquisitionSurface surface,
      int trainingPoints,
      List<FrozenTrial> observedTrials,
      SplittableRandom random) {
    int p = features.parameterCount();
    List<double[]> pool = new ArrayList<>();
    int global = globalCandidates(trainingPoints);
    int sobolCount = global / 2;
    SobolSequenceGenerator sobol = new SobolSequenceGenerator(Math.min(p, 1000));
    double[] shift = new double[p];
    for (int j = 0; j < p; j++) {
      shift[j] = random.nextDouble();
    }
    sobol.skipTo(1 + random.nextInt(1 << 16));
    for (int i = 0; i < sobolCount; i++) {
      double[] u = sobol.nextVector();
      double[] c = new double[p];
      for (int j = 0; j < p; j++) {
        double v = ((j < u.length ? u[j] : random.nextDouble()) + shift[j]) % 1.0;
        c[j] = toCoordinate(features.dimensions.get(j), v);
      }
      pool.add(c);
    }
    for (int i = sobolCount; i < global; i++) {
      double[] c = new double[p];
      for (int j = 0; j < p; j++) {
        c[j] = toCoordinate(features.dimensions.get(j), random.nextDouble());
      }
      pool.add(c);
    }
    // Perturbations of the best observed points (by acquisition) explore near good regions.
    int observedCount = observedTrials.size();
    double[][] observed = new double[observedCount][];
    for (int i = 0; i < observedCount; i++) {
      observed[i] = features.coordinates(observedTrials.get(i));
    }
    double[] observedScores = score(surface, features, observed);
    int[] topObserved = topIndices(observedScores, Math.min(5, observedCount));
    for (int s = 0; s < candidates / 4; s++) {
      double[] base = observed[topObserved[s % topObserved.length]];
      double[] c = base.clone();
      double scale = 0.02 + 0.2 * random.nextDouble();
      for (int j = 0; j < p; j++) {
        ParzenDimension dim = features.dimensions.get(j);
        if (dim.categorical()) {
          if (random.nextDouble() < 1.0 / p) {
            c[j] = random.nextInt(dim.cells());
          }
        } else {
          c[j] = Math.min(1, Math.max(0, c[j] + scale * gaussian(random)));
        }
      }
      pool.add(c);
    }
    double[][] points = pool.toArray(new double[0][]);
    for (double[] c : points) {
      features.snap(c);
    }
    double[] scores = score(surface, features, points);
    int[] top = topIndices(scores, 1);
    double[] best = points[top[0]];
    double bestScore = scores[top[0]];
    // Local searches from the best candidate, from candidates drawn with probability growing with
    // their acquisition, and from the best observed points (the incumbent's neighbourhood).
    List<double[]> starts = new ArrayList<>();
    starts.add(points[top[0]]);
    starts.addAll(
        roulettePicks(
            points, scores, top[0], localSearches(trainingPoints) - 1 - OBSERVED_STARTS, random));
    for (int i = 0; i < Math.min(OBSERVED_STARTS, topObserved.length); i++) {
      starts.add(observed[topObserved[i]]);
    }
    double[] lengths = surface.typicalLengthScales(features.featureCount);
    double tolerance = trainingPoints < LATE_POINTS ? LOCAL_TOLERANCE : LATE_LOCAL_TOLERANCE;
    for (double[] start : starts) {
      double[] local = start.clone();
      double localScore = gradientSearch(features, surface, local, lengths, tolerance);
      localScore = Math.max(localScore, coordinateSearch(features, surface, local, localScore));
      if (localScore > bestScore) {
        bestScore = localScore;
        best = local;
      }
    }
    return best;
  }

  /** Sobol and random candidates per proposal with {@code n} training points. */
  int globalCandidates(int n) {
    return n < LATE_POINTS ? candidates : Math.max(8, candidates / LATE_CANDIDATE_DIVISOR);
  }

  /** Local searches per proposal with {@code n} training points. */
  static int localSearches(int n) {
    return n < LATE_POINTS ? LOCAL_SEARCHES : LATE_LOCAL_SEARCHES;
  }

  /** Up to {@code count} distinct points other than {@code skip}, drawn with weight exp(score). */
  private static List<double[]> roulettePicks(
      double[][] points, double[] scores, int skip, int count, SplittableRandom random) {
    double max = scores[skip];
    double[] weights = new double[points.length];
    double total = 0;
    for (int i = 0; i < points.length; i++) {
      weights[i] = i == skip ? 0 : Math.exp(scores[i] - max);
      total += Double.isFinite(weights[i]) ? weights[i] : 0;
    }
    List<double[]> out = new ArrayList<>();
    for (int k = 0; k < count && total > 0; k++) {
      double u = random.nextDouble() * total;
      int chosen = -1;
      for (int i = 0; i < points.length; i++) {
        if (weights[i] > 0) {
          chosen = i;
          u -= weights[i];
          if (u <= 0) {
            break;
          }
        }
      }
      if (chosen < 0) {
        break;
      }
      out.add(points[chosen]);
      total -= weights[chosen];
      weights[chosen] = 0;
    }
    return out;
  }

  /**
   * Bounded L-BFGS on the acquisition over the continuous parameters of {@code coords} (updated in
   * place), in coordinates divided by the model's length scales so that every direction has a
   * similar curvature. Returns the acquisition at the result.
   */
  private static double gradientSearch(
      SpaceFeatures features,
      AcquisitionSurface surface,
      double[] coords,
      double[] lengths,
      double tolerance) {
    List<Integer> continuous = new ArrayList<>();
    for (int j = 0; j < coords.length; j++) {
      ParzenDimension dim = features.dimensions.get(j);
      if (!dim.categorical() && !dim.isDiscrete()) {
        continuous.add(j);
      }
    }
    double[] feature = features.features(coords);
    double[] gradient = new double[feature.length];
    if (continuous.isEmpty()) {
      return surface.valueWithGradient(feature, gradient);
    }
    int k = continuous.size();
    int[] index = new int[k];
    double[] scale = new double[k];
    double[] z = new double[k];
    double[] low = new double[k];
    double[] high = new double[k];
    for (int j = 0; j < k; j++) {
      int param = continuous.get(j);
      index[j] = features.featureIndex(param);
      scale[j] = lengths[index[j]];
      z[j] = coords[param] / scale[j];
      high[j] = 1 / scale[j];
    }
    Lbfgs.Objective negative =
        (zz, g) -> {
          for (int j = 0; j < k; j++) {
            feature[index[j]] = Math.min(1, Math.max(0, zz[j] * scale[j]));
          }
          double v = surface.valueWithGradient(feature, gradient);
          for (int j = 0; j < k; j++) {
            g[j] = -gradient[index[j]] * scale[j];
          }
          return -v;
        };
    double value = -Lbfgs.minimizeInBox(negative, z, low, high, LOCAL_ITERATIONS, 6, tolerance);
    for (int j = 0; j < k; j++) {
      coords[continuous.get(j)] = Math.min(1, Math.max(0, z[j] * scale[j]));
    }
    return Double.isNaN(value) ? Double.NEGATIVE_INFINITY : value;
  }

  /**
   * Coordinate search over the discrete and categorical parameters of {@code coords} (updated in
   * place): each round moves to the best neighbour (one step in an ordered parameter or another
   * choice of a categorical one). Returns the acquisition at the result.
   */
  private static double coordinateSearch(
      SpaceFeatures features, AcquisitionSurface surface, double[] coords, double score) {
    int p = coords.length;
    double[] local = coords.clone();
    double localScore = score;
    for (int round = 0; round < 5; round++) {
      List<double[]> neighbours = new ArrayList<>();
      for (int j = 0; j < p; j++) {
        ParzenDimension dim = features.dimensions.get(j);
        if (dim.categorical()) {
          for (int c = 0; c < dim.cells(); c++) {
            if (c != (int) local[j]) {
              double[] q = local.clone();
              q[j] = c;
              neighbours.add(q);
            }
          }
        } else if (dim.isDiscrete()) {
          for (double sign : new double[] {-1, 1}) {
            double[] q = local.clone();
            q[j] = Math.min(1, Math.max(0, q[j] + sign / dim.cells()));
            features.snap(q);
            if (q[j] != local[j]) {
              neighbours.add(q);
            }
          }
        }
      }
      if (neighbours.isEmpty()) {
        break;
      }
      double[][] nb = neighbours.toArray(new double[0][]);
      double[] nbScores = score(surface, features, nb);
      int arg = topIndices(nbScores, 1)[0];
      if (!(nbScores[arg] > localScore)) {
        break;
      }
      local = nb[arg];
      localScore = nbScores[arg];
    }
    System.arraycopy(local, 0, coords, 0, p);
    return localScore;
  }

  private static double toCoordinate(ParzenDimension dim, double u) {
    return dim.categorical() ? Math.min(dim.cells() - 1, Math.floor(u * dim.cells())) : u;
  }

  private static double gaussian(SplittableRandom random) {
    double u1 = Math.max(1e-300, random.nextDouble());
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static double[] score(
      AcquisitionSurface surface, SpaceFeatures features, double[][] coords) {
    double[][] f = new double[coords.length][];
    for (int i = 0; i < coords.length; i++) {
      f[i] = features.features(coords[i]);
    }
    return surface.score(f);
  }

  /** The indices of the {@code k} largest values (at least one), largest first. */
  static int[] topIndices(double[] values, int k) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    int[] top = new int[Math.max(1, Math.min(k, values.length))];
    for (int i = 0; i < top.length; i++) {
      top[i] = order[i];
    }
    return top;
  }
}
