package dev.knobflow.optimizers.samplers.nsga2;

import dev.knobflow.optimizers.pareto.Dominance;
import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.ext.moea.NSGA2Selector;
import io.jenetics.ext.moea.Vec;
import io.jenetics.util.ISeq;
import java.util.ArrayList;
import java.util.List;

/**
 * NSGA-II survivor selection through Jenetics' {@link NSGA2Selector}: candidates are sorted by
 * non-domination rank, then by crowding distance, and the first {@code size} survive.
 *
 * <p>Constraints use the project's one rule, {@link Dominance#constrainedDominates}: the smaller
 * total violation dominates, and candidates of equal violation (both feasible, or equally
 * infeasible) compare by Pareto dominance. Jenetics takes the dominance relation as a parameter, so
 * the fitness vector is the negated objectives followed by the negated violation (Jenetics
 * maximises) and crowding looks at the objectives only.
 */
final class SurvivorSelection {

  private SurvivorSelection() {}

  /**
   * The best {@code size} candidates (or all, if fewer), best first in crowded-comparison order, so
   * a lower index wins a binary tournament.
   */
  static List<Candidate> select(List<Candidate> pool, int size) {
    if (pool.isEmpty()) {
      return List.of();
    }
    int m = pool.get(0).objectives().size();
    List<Phenotype<IntegerGene, Vec<double[]>>> phenotypes = new ArrayList<>(pool.size());
    for (int i = 0; i < pool.size(); i++) {
      Candidate c = pool.get(i);
      double[] fitness = new double[m + 1];
      for (int j = 0; j < m; j++) {
        fitness[j] = -c.objectives().get(j);
      }
      fitness[m] = -c.violation();
      // The genotype only carries the candidate's index in the pool.
      Genotype<IntegerGene> index =
          Genotype.of(IntegerChromosome.of(IntegerGene.of(i, 0, pool.size())));
      phenotypes.add(Phenotype.of(index, 0, Vec.of(fitness)));
    }
    NSGA2Selector<IntegerGene, Vec<double[]>> selector =
        new NSGA2Selector<>(
            (u, v) -> constrainedDominance(u.data(), v.data(), m),
            (u, v, i) -> Double.compare(u.data()[i], v.data()[i]),
            (u, v, i) -> u.data()[i] - v.data()[i],
            v -> m);
    int count = Math.min(size, pool.size());
    ISeq<Phenotype<IntegerGene, Vec<double[]>>> survivors =
        selector.select(ISeq.of(phenotypes), count, Optimize.MAXIMUM);
    List<Candidate> out = new ArrayList<>(count);
    for (Phenotype<IntegerGene, Vec<double[]>> p : survivors) {
      out.add(pool.get(p.genotype().gene().intValue()));
      if (out.size() == count) {
        break;
      }
    }
    return List.copyOf(out);
  }

  /**
   * Positive when {@code u} dominates {@code v}, negative when {@code v} dominates {@code u}, 0
   * otherwise; both are maximised and element {@code m} is the negated violation. The rule is
   * {@link Dominance#constrainedDominates}, applied to the minimisation form.
   */
  static int constrainedDominance(double[] u, double[] v, int m) {
    double[] a = new double[m];
    double[] b = new double[m];
    for (int j = 0; j < m; j++) {
      a[j] = -u[j];
      b[j] = -v[j];
    }
    double violationU = Math.max(0, -u[m]);
    double violationV = Math.max(0, -v[m]);
    if (Dominance.constrainedDominates(a, violationU, b, violationV)) {
      return 1;
    }
    return Dominance.constrainedDominates(b, violationV, a, violationU) ? -1 : 0;
  }
}
