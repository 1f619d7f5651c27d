package dev.knobflow.optimizers.samplers.nsga2;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.samplers.JointSampler;
import dev.knobflow.optimizers.samplers.RelativeSample;
import dev.knobflow.optimizers.samplers.Seeds;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.Mutator;
import io.jenetics.Phenotype;
import io.jenetics.UniformCrossover;
import io.jenetics.ext.moea.Vec;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NSGA-II (Deb et al. 2002) for multi-objective studies, built from Jenetics parts: {@link
 * io.jenetics.ext.moea.NSGA2Selector} for survivor selection (with constrained domination),
 * simulated binary crossover and polynomial mutation as Jenetics alterers for floats and ints,
 * {@link UniformCrossover} and resampling {@link Mutator} for categoricals.
 *
 * <pre>{@code
 * Study study = Study.builder("zdt1")
 *     .objectives(Objective.minimize("f1"), Objective.minimize("f2"))
 *     .sampler(NsgaIISampler.builder().populationSize(50).seed(42).build())
 *     .build();
 * }</pre>
 *
 * <p><b>Generations are derived from storage.</b> Trial {@code n} belongs to generation {@code n /
 * populationSize}: trial numbers are assigned atomically by the storage, so every generation holds
 * exactly {@code populationSize} trials (the newest at most that), whatever the number of workers,
 * and a resumed study continues where it stopped. The parent population of generation {@code g} is
 * the NSGA-II survivor selection, down to {@code populationSize}, over the parent population of
 * {@code g - 1} and the trials of generation {@code g - 1} that have COMPLETED so far; generation 0
 * is sampled at random (enqueued warm-start trials run first and take part as its members). The
 * sampler does not wait for a generation to finish: when workers run ahead it breeds from what is
 * complete (asynchronous NSGA-II). Failed, pruned and running trials are never parents. Each trial
 * records its generation and its two parents' numbers as system attributes {@value
 * #GENERATION_ATTR} and {@value #PARENTS_ATTR}. Per-generation selections are memoised in the
 * sampler only as a cache keyed by their inputs (the previous population, and a fingerprint of the
 * completed children's numbers, values and violations).
 *
 * <p>Parameters outside the joint space (first seen define-by-run) are sampled uniformly at random.
 */
public final class NsgaIISampler implements JointSampler {

  /** System attribute: the trial's generation. */
  public static final String GENERATION_ATTR = "nsga2:generation";

  /** System attribute: the trial numbers of the trial's two parents (empty when random). */
  public static final String PARENTS_ATTR = "nsga2:parents";

  private static final Set<TrialState> COMPLETE = Set.of(TrialState.COMPLETE);

  private final int populationSize;
  private final double crossoverProbability;
  private final double mutationProbability;
  private final double crossoverEta;
  private final double mutationEta;
  private final long seed;

  /** Pure memo: (study, generation) -> the selection and the exact inputs it was computed from. */
  private final Map<GenerationKey, Selection> selections = new ConcurrentHashMap<>();

  private record GenerationKey(String study, int generation) {}

  private record Selection(
      List<Candidate> previous, int childCount, long childFingerprint, List<Candidate> survivors) {}

  private NsgaIISampler(Builder b) {
    this.populationSize = b.populationSize;
    this.crossoverProbability = b.crossoverProbability;
    this.mutationProbability = b.mutationProbability;
    this.crossoverEta = b.crossoverEta;
    this.mutationEta = b.mutationEta;
    this.seed = b.seed == null ? Seeds.fresh() : b.seed;
  }

  /** A builder with the defaults: population 50, crossover 0.9, mutation 1/number of params. */
  public static Builder builder() {
    return new Builder();
  }

  /** The population size. */
  public int populationSize() {
    return populationSize;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The generation trial {@code number} belongs to. */
  public int generationOf(int number) {
    return number / populationSize;
  }

  @Override
  public RelativeSample sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> space) {
    int generation = generationOf(trial.number());
    RelativeSample random = RelativeSample.attributesOnly(attributes(generation, List.of()));
    if (generation == 0 || space.isEmpty()) {
      return random;
    }
    List<Candidate> parents = parentPopulation(study, generation);
    if (parents.size() < 2) {
      return random;
    }
    return RandomRegistry.with(
        Seeds.forTrial(seed, trial.number()),
        r -> {
          Candidate first = parents.get(tournament(r, parents.size()));
          Candidate second = first;
          for (int attempt = 0; attempt < 8 && second == first; attempt++) {
            second = parents.get(tournament(r, parents.size()));
          }
          return new RelativeSample(
              breed(SpaceEncoding.of(space), first, second, generation, r),
              attributes(generation, List.of(first.number(), second.number())));
        });
  }

  private static Map<String, Object> attributes(int generation, List<Integer> parents) {
    return Map.of(GENERATION_ATTR, generation, PARENTS_ATTR, parents);
  }

  /** Binary tournament on the crowded order: the lower index (better rank/crowding) wins. */
  private static int tournament(SplittableRandom random, int size) {
    return Math.min(random.nextInt(size), random.nextInt(size));
  }

  private Map<String, Object> breed(
      SpaceEncoding encoding,
      Candidate first,
      Candidate second,
      int generation,
      SplittableRandom random) {
    double mutation =
        Double.isNaN(mutationProbability) ? 1.0 / encoding.size() : mutationProbability;
    boolean cross = random.nextDouble() < crossoverProbability;
    Optional<Genotype<DoubleGene>> numeric =
        encoding
            .numeric(first.params(), random)
            .map(
                g1 -> {
                  Genotype<DoubleGene> g2 = encoding.numeric(second.params(), random).orElseThrow();
                  return vary(
                      g1,
                      g2,
                      cross,
                      new BoundedSbxCrossover<>(1.0, crossoverEta),
                      new PolynomialMutator<>(mutation, mutationEta),
                      generation);
                });
    Optional<Genotype<IntegerGene>> categorical =
        encoding
            .categorical(first.params(), random)
            .map(
                g1 -> {
                  Genotype<IntegerGene> g2 =
                      encoding.categorical(second.params(), random).orElseThrow();
                  return vary(
                      g1,
                      g2,
                      cross,
                      new UniformCrossover<>(1.0, 0.5),
                      new Mutator<>(mutation),
                      generation);
                });
    return encoding.decode(numeric, categorical);
  }

  /**
   * One child of two parents: Jenetics' crossover over the pair (when {@code cross}), then its
   * mutator over the first child. Randomness comes from the {@link RandomRegistry} scope.
   */
  private static <G extends io.jenetics.Gene<?, G>> Genotype<G> vary(
      Genotype<G> first,
      Genotype<G> second,
      boolean cross,
      io.jenetics.Alterer<G, Vec<double[]>> crossover,
      io.jenetics.Alterer<G, Vec<double[]>> mutator,
      int generation) {
    ISeq<Phenotype<G, Vec<double[]>>> pair =
        ISeq.of(Phenotype.of(first, generation), Phenotype.of(second, generation));
    if (cross) {
      pair = crossover.alter(pair, generation).population();
    }
    ISeq<Phenotype<G, Vec<double[]>>> child = ISeq.of(pair.get(0));
    return mutator.alter(child, generation).population().get(0).genotype();
  }

  /**
   * The parent population of {@code generation}, best first: NSGA-II survivor selection applied
   * generation by generation from the completed trials in storage.
   */
  List<Candidate> parentPopulation(StudyView study, int generation) {
    List<List<FrozenTrial>> children = new ArrayList<>(generation);
    long[] fingerprints = new long[generation];
    for (int g = 0; g < generation; g++) {
      children.add(new ArrayList<>());
    }
    int m = study.objectives().size();
    for (FrozenTrial t : study.trials(COMPLETE)) {
      int g = generationOf(t.number());
      if (g >= generation || t.values().size() != m) {
        continue;
      }
      children.get(g).add(t);
      long h = Seeds.mix(fingerprints[g], t.number());
      for (double v : t.values()) {
        h = Seeds.mix(h, Double.doubleToLongBits(v));
      }
      fingerprints[g] = Seeds.mix(h, Double.doubleToLongBits(t.totalViolation()));
    }
    List<Candidate> population = List.of();
    for (int g = 1; g <= generation; g++) {
      GenerationKey key = new GenerationKey(study.name(), g);
      Selection cached = selections.get(key);
      // A pure memo: reused only when the previous population is the very list it was built
      // from and the completed children of g - 1 are the same trials with the same results.
      if (cached != null
          && cached.previous() == population
          && cached.childCount() == children.get(g - 1).size()
          && cached.childFingerprint() == fingerprints[g - 1]) {
        population = cached.survivors();
        continue;
      }
      List<Candidate> pool = new ArrayList<>(population);
      for (FrozenTrial t : children.get(g - 1)) {
        candidate(study.objectives(), t).ifPresent(pool::add);
      }
      List<Candidate> survivors = SurvivorSelection.select(pool, populationSize);
      selections.put(
          key,
          new Selection(population, children.get(g - 1).size(), fingerprints[g - 1], survivors));
      population = survivors;
    }
    return population;
  }

  private static Optional<Candidate> candidate(List<Objective> objectives, FrozenTrial t) {
    List<Double> minimised = new ArrayList<>(objectives.size());
    for (int j = 0; j < objectives.size(); j++) {
      double v = objectives.get(j).direction().toMinimization(t.values().get(j));
      if (Double.isNaN(v)) {
        return Optional.empty();
      }
      minimised.add(v);
    }
    return Optional.of(new Candidate(t.number(), minimised, t.totalViolation(), t.params()));
  }

  @Override
  public Object sampleIndependent(
      StudyView study, FrozenTrial trial, String name, Distribution distribution) {
    return distribution.fromUnit(Seeds.forParam(seed, trial.number(), name).nextDouble());
  }

  @Override
  public boolean modelBased() {
    return true;
  }

  @Override
  public String describe() {
    return "nsga2(population="
        + populationSize
        + ", crossover="
        + crossoverProbability
        + ", mutation="
        + (Double.isNaN(mutationProbability) ? "1/params" : mutationProbability)
        + ", seed="
        + seed
        + ")";
  }

  /** Builds an {@link NsgaIISampler}; every setter checks its argument. */
  public static final class Builder {
    private int populationSize = 50;
    private double crossoverProbability = 0.9;
    private double mutationProbability = Double.NaN;
    private double crossoverEta = 20;
    private double mutationEta = 20;
    private Long seed;

    private Builder() {}

    /** Individuals per generation, at least 4; default 50. */
    public Builder populationSize(int populationSize) {
      if (populationSize < 4) {
        throw new IllegalArgumentException(
            "population_size must be at least 4, got " + populationSize);
      }
      this.populationSize = populationSize;
      return this;
    }

    /** The probability that a child is bred by crossover, in [0, 1]; default 0.9. */
    public Builder crossoverProbability(double probability) {
      this.crossoverProbability = probability("crossover_probability", probability);
      return this;
    }

    /** The probability that each gene mutates, in [0, 1]; default 1 / number of parameters. */
    public Builder mutationProbability(double probability) {
      this.mutationProbability = probability("mutation_probability", probability);
      return this;
    }

    /** The distribution index of simulated binary crossover, {@code >= 0}; default 20. */
    public Builder crossoverEta(double eta) {
      this.crossoverEta = eta("crossover_eta", eta);
      return this;
    }

    /** The distribution index of polynomial mutation, {@code >= 0}; default 20. */
    public Builder mutationEta(double eta) {
      this.mutationEta = eta("mutation_eta", eta);
      return this;
    }

    /** The seed; default a fresh one. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public NsgaIISampler build() {
      return new NsgaIISampler(this);
    }

    private static double probability(String name, double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
      }
      return value;
    }

    private static double eta(String name, double value) {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
      }
      return value;
    }
  }
}
