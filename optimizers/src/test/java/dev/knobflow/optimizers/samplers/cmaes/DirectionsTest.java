package dev.knobflow.optimizers.samplers.cmaes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.samplers.cmaes.CmaEsSampler.Sampling;
import org.junit.jupiter.api.Test;

class DirectionsTest {

  private static final int N = 8;

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void theMembersOfAnOrthogonalBlockArePairwiseOrthogonal() {
    double[][] block = new double[N][];
    for (int i = 0; i < N; i++) {
      block[i] = Directions.member(Sampling.ORTHOGONAL, 7, 0, 3, i, N);
    }
    for (int i = 0; i < N; i++) {
      assertTrue(dot(block[i], block[i]) > 0.01, "member " + i + " has a length");
      for (int j = 0; j < i; j++) {
        assertEquals(0, dot(block[i], block[j]), 1e-9, "members " + i + " and " + j);
      }
    }
    // The next block starts afresh: its first member is not orthogonal to the first block.
    double[] next = Directions.member(Sampling.ORTHOGONAL, 7, 0, 3, N, N);
    assertTrue(Math.abs(dot(next, block[0])) > 1e-6);
  }

  @Test
  void orthogonalMembersAreStillStandardNormalOnAverage() {
    // Over many generations each member index is N(0, I): mean 0, covariance I, E|z|^2 = n.
    int generations = 4000;
    for (int index : new int[] {0, N - 1}) {
      double[] mean = new double[N];
      double[][] cov = new double[N][N];
      for (int g = 0; g < generations; g++) {
        double[] z = Directions.member(Sampling.ORTHOGONAL, 11, 0, g, index, N);
        for (int i = 0; i < N; i++) {
          mean[i] += z[i] / generations;
          for (int j = 0; j < N; j++) {
            cov[i][j] += z[i] * z[j] / generations;
          }
        }
      }
      for (int i = 0; i < N; i++) {
        // Standard error of a mean of 4000 unit normals is 0.016; of a second moment 0.022.
        assertEquals(0, mean[i], 0.07, "mean " + i + " of member " + index);
        for (int j = 0; j < N; j++) {
          assertEquals(i == j ? 1 : 0, cov[i][j], 0.1, "cov " + i + "," + j + " of " + index);
        }
      }
    }
  }

  @Test
  void mirroredMembersComeInOppositePairs() {
    for (Sampling s : new Sampling[] {Sampling.MIRRORED, Sampling.MIRRORED_ORTHOGONAL}) {
      double[] a = Directions.member(s, 3, 1, 2, 4, N);
      double[] b = Directions.member(s, 3, 1, 2, 5, N);
      for (int i = 0; i < N; i++) {
        b[i] = -b[i];
      }
      assertArrayEquals(a, b, 0, s.name());
    }
    double[] p0 = Directions.member(Sampling.MIRRORED_ORTHOGONAL, 3, 1, 2, 0, N);
    double[] p1 = Directions.member(Sampling.MIRRORED_ORTHOGONAL, 3, 1, 2, 2, N);
    assertEquals(0, dot(p0, p1), 1e-9, "the pairs of mirrored orthogonal sampling are orthogonal");
  }

  @Test
  void aMembersVectorDependsOnlyOnSeedRestartGenerationAndIndex() {
    for (Sampling s : Sampling.values()) {
      assertArrayEquals(
          Directions.member(s, 5, 2, 9, 3, N), Directions.member(s, 5, 2, 9, 3, N), s.name());
      double[] other = Directions.member(s, 5, 2, 10, 3, N);
      assertTrue(
          Math.abs(other[0] - Directions.member(s, 5, 2, 9, 3, N)[0]) > 0, "another generation");
    }
  }
}
