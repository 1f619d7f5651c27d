package dev.knobflow.optimizers.samplers.nsga2;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Encodes parameter values as Jenetics genes and back. Floats and ints become {@link DoubleGene}s
 * on the unit interval through {@link Distribution#toUnit}/{@link Distribution#fromUnit} (so log
 * distributions are searched in log scale and stepped ones by grid cell); categoricals become
 * {@link IntegerGene}s holding the choice index, in a genotype of their own, because a Jenetics
 * genotype holds one gene type and numeric operators make no sense on unordered choices.
 */
final class SpaceEncoding {

  private final List<String> numericNames = new ArrayList<>();
  private final List<Distribution> numericDistributions = new ArrayList<>();
  private final List<String> categoricalNames = new ArrayList<>();
  private final List<CategoricalDistribution> categoricalDistributions = new ArrayList<>();

  private SpaceEncoding(Map<String, Distribution> space) {
    for (Map.Entry<String, Distribution> e : space.entrySet()) {
      if (e.getValue() instanceof CategoricalDistribution c) {
        categoricalNames.add(e.getKey());
        categoricalDistributions.add(c);
      } else {
        numericNames.add(e.getKey());
        numericDistributions.add(e.getValue());
      }
    }
  }

  /** The encoding of a space, in the space's parameter order within each gene type. */
  static SpaceEncoding of(Map<String, Distribution> space) {
    return new SpaceEncoding(space);
  }

  /** The number of parameters (genes) in the encoding. */
  int size() {
    return numericNames.size() + categoricalNames.size();
  }

  /**
   * The unit-interval genes of the numeric parameters, empty when there are none. A parameter the
   * trial lacks, or whose value its distribution does not contain, gets a uniformly random gene.
   */
  Optional<Genotype<DoubleGene>> numeric(Map<String, Object> params, RandomGenerator random) {
    if (numericNames.isEmpty()) {
      return Optional.empty();
    }
    List<DoubleGene> genes = new ArrayList<>(numericNames.size());
    for (int i = 0; i < numericNames.size(); i++) {
      Object value = params.get(numericNames.get(i));
      Distribution d = numericDistributions.get(i);
      double u =
          value != null && d.contains(value)
              ? Distribution.clampUnit(d.toUnit(value))
              : random.nextDouble();
      genes.add(DoubleGene.of(u, 0.0, 1.0));
    }
    return Optional.of(Genotype.of(DoubleChromosome.of(genes)));
  }

  /**
   * The choice-index genes of the categorical parameters, empty when there are none; a missing or
   * unknown choice gets a uniformly random index.
   */
  Optional<Genotype<IntegerGene>> categorical(Map<String, Object> params, RandomGenerator random) {
    if (categoricalNames.isEmpty()) {
      return Optional.empty();
    }
    List<IntegerGene> genes = new ArrayList<>(categoricalNames.size());
    for (int i = 0; i < categoricalNames.size(); i++) {
      Object value = params.get(categoricalNames.get(i));
      CategoricalDistribution d = categoricalDistributions.get(i);
      int choices = d.choices().size();
      int index =
          value != null && d.contains(value) ? (int) d.toInternal(value) : random.nextInt(choices);
      // IntegerGene ranges are [min, max): index in [0, choices).
      genes.add(IntegerGene.of(index, 0, choices));
    }
    return Optional.of(Genotype.of(IntegerChromosome.of(genes)));
  }

  /** The parameter values the genes stand for, in encoding order. */
  Map<String, Object> decode(
      Optional<Genotype<DoubleGene>> numeric, Optional<Genotype<IntegerGene>> categorical) {
    Map<String, Object> params = new LinkedHashMap<>();
    numeric.ifPresent(
        g -> {
          for (int i = 0; i < numericNames.size(); i++) {
            double u = g.chromosome().get(i).doubleValue();
            params.put(numericNames.get(i), numericDistributions.get(i).fromUnit(u));
          }
        });
    categorical.ifPresent(
        g -> {
          for (int i = 0; i < categoricalNames.size(); i++) {
            int index = g.chromosome().get(i).intValue();
            params.put(categoricalNames.get(i), categoricalDistributions.get(i).toExternal(index));
          }
        });
    return params;
  }
}
