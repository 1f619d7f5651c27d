package dev.knobflow.optimizers.samplers.cmaes;

import dev.knobflow.optimizers.samplers.Seeds;
import java.util.SplittableRandom;

/**
 * The standard normal vector of member {@code i} of one generation, drawn jointly with the other
 * members so that the population covers the space more evenly than independent draws.
 *
 * <p>Orthogonal sampling (Wang, Emmerich and Bäck, "Mirrored orthogonal sampling with pairwise
 * selection in evolution strategies", SAC 2014): the members of a block of {@code n} are
 * Gram-Schmidt orthogonalised Gaussian vectors, each rescaled to the length of its own Gaussian
 * draw; each member is still marginally N(0, I) (the length of a Gaussian vector is independent of
 * its direction and of the other vectors' directions), so the CMA-ES update, which assumes Gaussian
 * steps, is unchanged, but no two steps of a block point the same way. Mirrored sampling
 * (Brockhoff, Auger, Hansen et al., PPSN 2010): member {@code 2k + 1} is member {@code 2k} negated.
 *
 * <p>Everything is a function of the sampler's seed, the restart, the generation and the member
 * index, so a member's vector is the same whichever worker, process or resumed run draws it.
 */
final class Directions {

  private Directions() {}

  /** The vector of member {@code index} (0-based) of a generation in {@code n} dimensions. */
  static double[] member(
      CmaEsSampler.Sampling sampling, long seed, int restart, int generation, int index, int n) {
    long stream = Seeds.mix(Seeds.mix(Seeds.mix(seed, 0x0D17EC7L), restart), generation);
    return switch (sampling) {
      case GAUSSIAN -> CmaEs.gaussian(new SplittableRandom(Seeds.mix(stream, index)), n);
      case ORTHOGONAL -> orthogonal(stream, index, n);
      case MIRRORED ->
          mirrored(CmaEs.gaussian(new SplittableRandom(Seeds.mix(stream, index / 2)), n), index);
      case MIRRORED_ORTHOGONAL -> mirrored(orthogonal(stream, index / 2, n), index);
    };
  }

  private static double[] mirrored(double[] g, int index) {
    if (index % 2 == 1) {
      for (int i = 0; i < g.length; i++) {
        g[i] = -g[i];
      }
    }
    return g;
  }

  /**
   * Member {@code index} of the orthogonal blocks of {@code n}: the Gaussian vectors of its block
   * up to it, orthonormalised in order, the last one scaled back to its own Gaussian length.
   */
  static double[] orthogonal(long stream, int index, int n) {
    int block = index / n;
    int position = index % n;
    SplittableRandom random = new SplittableRandom(Seeds.mix(stream, -1 - block));
    double[][] basis = new double[position + 1][];
    double length = 0;
    for (int k = 0; k <= position; k++) {
      double[] v = CmaEs.gaussian(random, n);
      if (k == position) {
        length = CmaEs.norm(v);
      }
      for (int j = 0; j < k; j++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += v[i] * basis[j][i];
        }
        for (int i = 0; i < n; i++) {
          v[i] -= dot * basis[j][i];
        }
      }
      double vn = CmaEs.norm(v);
      for (int i = 0; i < n; i++) {
        v[i] /= vn;
      }
      basis[k] = v;
    }
    double[] out = basis[position];
    for (int i = 0; i < n; i++) {
      out[i] *= length;
    }
    return out;
  }
}
