package dev.knobflow.optimizers.samplers.cmaes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.distributions.IntDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MarginTest {

  /** Ten integer cells on [0, 1]; the minimum (0.45, cell 4) is not on the integer grid. */
  private static double f(double[] x) {
    double s = 0;
    for (double v : x) {
      s += (v - 0.45) * (v - 0.45);
    }
    return s;
  }

  private static double[][] intAxes(int n, int cells) {
    double[][] axes = new double[n][];
    for (int i = 0; i < n; i++) {
      axes[i] = new double[cells + 1];
      for (int k = 0; k <= cells; k++) {
        axes[i][k] = (double) k / cells;
      }
    }
    return axes;
  }

  /** The share of encoded samples, after many generations on one cell, that leave that cell. */
  private static double leaving(double alpha) {
    int n = 3;
    int lambda = 6;
    double[] mean = {0.5, 0.5, 0.5};
    CmaEs cma = new CmaEs(mean, 0.2, null, lambda, new Margin(intAxes(n, 10), alpha));
    SplittableRandom random = new SplittableRandom(11);
    for (int g = 0; g < 300; g++) {
      List<CmaEs.Solution> population = new ArrayList<>();
      for (int k = 0; k < lambda; k++) {
        CmaEs.Sample s = cma.ask(random);
        population.add(new CmaEs.Solution(s.raw(), f(s.encoded())));
      }
      cma.tell(population);
    }
    int away = 0;
    int samples = 20_000;
    for (int i = 0; i < samples; i++) {
      double[] x = cma.ask(random).encoded();
      if (Math.abs(x[0] - 0.45) > 1e-9) {
        away++;
      }
    }
    return (double) away / samples;
  }

  @Test
  void theMarginKeepsNeighbouringIntegersReachable() {
    double alpha = 1.0 / (3 * 6);
    // With the margin at least alpha / 2 of the mass lies beyond each boundary of the cell.
    assertTrue(leaving(alpha) >= alpha * 0.9, "left the cell " + leaving(alpha));
    // Without it the distribution collapses into the optimal cell and never leaves it.
    assertTrue(leaving(0) < 1e-3, "left the cell " + leaving(0));
  }

  @Test
  void cellsFollowTheDistributionsOwnMapping() {
    UnitLayout layout = UnitLayout.of(Map.of("k", IntDistribution.logOf(1, 100)));
    // Every cell centre decodes to its own value, on a log scale.
    for (long v = 1; v <= 100; v++) {
      double u = IntDistribution.logOf(1, 100).toUnit(v);
      assertEquals(v, layout.decode(new double[] {u}).get("k"));
    }
    Margin margin = layout.margin(0.01);
    double[] encoded = margin.encode(new double[] {0.5}, new double[] {0.5});
    Object decoded = layout.decode(encoded).get("k");
    assertEquals(IntDistribution.logOf(1, 100).fromUnit(0.5), decoded);
  }

  @Test
  void normalHelpersInvertEachOther() {
    for (double p : new double[] {1e-6, 0.01, 0.2, 0.49}) {
      assertEquals(1 - p, Margin.phi(Margin.quantileAbove(p)), 1e-9);
    }
    assertEquals(3, Margin.cell(new double[] {0, 0.1, 0.2, 0.3, 1}, 0.35));
    assertEquals(0, Margin.cell(new double[] {0, 0.5, 1}, -4));
    assertEquals(1, Margin.cell(new double[] {0, 0.5, 1}, 7));
  }
}
