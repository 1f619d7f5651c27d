package dev.knobflow.optimizers.samplers.nsga2;

import io.jenetics.DoubleGene;
import io.jenetics.Mutator;
import java.util.random.RandomGenerator;

/**
 * Deb's bounded polynomial mutation as a Jenetics {@link Mutator}: Jenetics decides which genes
 * mutate (each with the alterer's probability); this class moves a chosen gene by a polynomially
 * distributed step that is small most of the time and never leaves the gene's bounds. Jenetics' own
 * {@code Mutator} would resample the gene uniformly, which throws away the parent's position.
 */
final class PolynomialMutator<C extends Comparable<? super C>> extends Mutator<DoubleGene, C> {

  private final double eta;

  /**
   * @param probability the probability that a gene mutates
   * @param eta the distribution index, {@code >= 0}; larger gives smaller steps
   */
  PolynomialMutator(double probability, double eta) {
    super(probability);
    if (!(eta >= 0) || Double.isInfinite(eta)) {
      throw new IllegalArgumentException("mutation_eta must be finite and >= 0, got " + eta);
    }
    this.eta = eta;
  }

  @Override
  protected DoubleGene mutate(DoubleGene gene, RandomGenerator random) {
    double low = gene.min();
    double high = gene.max();
    double range = high - low;
    if (!(range > 0)) {
      return gene;
    }
    double y = gene.doubleValue();
    double below = (y - low) / range;
    double above = (high - y) / range;
    double u = random.nextDouble();
    double power = 1 / (eta + 1);
    double step;
    if (u < 0.5) {
      double v = 2 * u + (1 - 2 * u) * Math.pow(1 - below, eta + 1);
      step = Math.pow(v, power) - 1;
    } else {
      double v = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(1 - above, eta + 1);
      step = 1 - Math.pow(v, power);
    }
    return gene.newInstance(Math.min(high, Math.max(low, y + step * range)));
  }

  @Override
  public String toString() {
    return "PolynomialMutator[p=" + _probability + ", eta=" + eta + "]";
  }
}
