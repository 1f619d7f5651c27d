package dev.knobflow.optimizers.samplers.nsga2;

import io.jenetics.Crossover;
import io.jenetics.DoubleGene;
import io.jenetics.util.MSeq;
import io.jenetics.util.RandomRegistry;
import java.util.random.RandomGenerator;

/**
 * Simulated binary crossover (Deb and Agrawal 1995) in its bounded form, as a Jenetics {@link
 * Crossover}: each gene pair is recombined with probability 1/2, children spread around the
 * parents' mean with a spread factor whose distribution index {@code eta} controls how close they
 * stay to the parents, and the spread is scaled so children never leave the gene's bounds.
 *
 * <p>Why not {@code io.jenetics.ext.SimulatedBinaryCrossover}: in Jenetics 7.2.0 it centres the
 * child on {@code (x1 - x2) / 2} instead of the mean {@code (x1 + x2) / 2}, which pulls every gene
 * towards the lower bound (it would flatter problems whose optimum lies at 0, such as ZDT, and hurt
 * all others). {@code NsgaIiOperatorsTest} pins that behaviour so an upgrade that fixes it shows
 * up.
 */
final class BoundedSbxCrossover<C extends Comparable<? super C>> extends Crossover<DoubleGene, C> {

  private static final double EPSILON = 1e-14;
  private final double eta;

  /**
   * @param probability the probability that an individual takes part in a crossover
   * @param eta the distribution index, {@code >= 0}; larger keeps children closer to the parents
   */
  BoundedSbxCrossover(double probability, double eta) {
    super(probability);
    if (!(eta >= 0) || Double.isInfinite(eta)) {
      throw new IllegalArgumentException("crossover_eta must be finite and >= 0, got " + eta);
    }
    this.eta = eta;
  }

  @Override
  protected int crossover(MSeq<DoubleGene> that, MSeq<DoubleGene> other) {
    RandomGenerator random = RandomRegistry.random();
    int changed = 0;
    int n = Math.min(that.length(), other.length());
    for (int i = 0; i < n; i++) {
      if (random.nextDouble() >= 0.5) {
        continue;
      }
      DoubleGene a = that.get(i);
      DoubleGene b = other.get(i);
      double x1 = a.doubleValue();
      double x2 = b.doubleValue();
      if (Math.abs(x1 - x2) <= EPSILON) {
        continue;
      }
      double low = a.min();
      double high = a.max();
      double y1 = Math.min(x1, x2);
      double y2 = Math.max(x1, x2);
      double u = random.nextDouble();
      double c1 = 0.5 * ((y1 + y2) - spread(1 + 2 * (y1 - low) / (y2 - y1), u) * (y2 - y1));
      double c2 = 0.5 * ((y1 + y2) + spread(1 + 2 * (high - y2) / (y2 - y1), u) * (y2 - y1));
      c1 = clamp(c1, low, high);
      c2 = clamp(c2, low, high);
      if (random.nextBoolean()) {
        double t = c1;
        c1 = c2;
        c2 = t;
      }
      that.set(i, a.newInstance(c1));
      other.set(i, b.newInstance(c2));
      changed++;
    }
    return changed;
  }

  /** The spread factor for a uniform draw {@code u}, limited so the child stays within bounds. */
  private double spread(double beta, double u) {
    double alpha = 2 - Math.pow(beta, -(eta + 1));
    if (u <= 1 / alpha) {
      return Math.pow(u * alpha, 1 / (eta + 1));
    }
    return Math.pow(1 / (2 - u * alpha), 1 / (eta + 1));
  }

  private static double clamp(double v, double low, double high) {
    return Math.min(high, Math.max(low, v));
  }

  @Override
  public String toString() {
    return "BoundedSbxCrossover[p=" + _probability + ", eta=" + eta + "]";
  }
}
