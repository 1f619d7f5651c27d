package dev.knobflow.optimizers.samplers.tpe;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.samplers.ModelSamplerBuilder;
import dev.knobflow.optimizers.samplers.ModelSettings;
import dev.knobflow.optimizers.samplers.PriorObservation;
import dev.knobflow.optimizers.samplers.RelativeSample;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.SamplerOptions;
import dev.knobflow.optimizers.samplers.SearchSpaces;
import dev.knobflow.optimizers.samplers.Seeds;
import dev.knobflow.optimizers.samplers.parzen.ParzenDimension;
import dev.knobflow.optimizers.samplers.parzen.ParzenEstimator;
import dev.knobflow.optimizers.samplers.parzen.ParzenSettings;
import dev.knobflow.optimizers.samplers.parzen.UnitEncoding;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Tree-structured Parzen estimator (Bergstra et al. 2011), single- and multi-objective (MOTPE),
 * with Optuna's defaults: random for the first 10 trials, then 24 candidates drawn from the density
 * of the good trials {@code l(x)} and the one maximising {@code l(x) / g(x)} kept.
 *
 * <p>Options: joint kernels over the whole space ({@link Builder#multivariate}), decomposition of
 * conditional spaces into groups of co-occurring parameters ({@link Builder#group}), and a constant
 * liar that counts other workers' running trials as bad observations ({@link Builder#constantLiar},
 * on by default; without parallel workers it changes nothing). See {@link TrialSplit} for how good
 * and bad trials are chosen, including constraints (feasible first).
 *
 * <p>Prior observations ({@link Builder#priorObservations}) join the good/bad split like completed
 * trials, as the oldest; parameters outside the relative search space are ignored, and a prior with
 * none of the modelled parameters, or without one finite value per objective, is skipped.
 *
 * <p>Stateless: every proposal is derived from the trials in storage and seeded per trial and
 * parameter from {@link Seeds}.
 */
public final class TpeSampler implements Sampler {

  private final ModelSettings model;
  private final int eiCandidates;
  private final IntUnaryOperator gamma;
  private final IntFunction<double[]> weights;
  private final ParzenSettings settings;
  private final boolean group;
  private final boolean constantLiar;

  private TpeSampler(Builder b, ModelSettings model) {
    this.model = model;
    this.eiCandidates = b.eiCandidates;
    this.gamma = b.gamma;
    this.weights = b.weights;
    this.settings = b.settings.withMultivariate(b.multivariate || b.group);
    this.group = b.group;
    this.constantLiar = b.constantLiar;
  }

  /** A builder with Optuna's defaults and a fresh seed. */
  public static Builder builder() {
    return new Builder();
  }

  /** A TPE sampler with the defaults and a fixed seed. */
  public static TpeSampler seeded(long seed) {
    return builder().seed(seed).build();
  }

  /** The seed. */
  public long seed() {
    return model.seed();
  }

  /** The prior observations added to the trials the model is fitted on (empty by default). */
  public List<PriorObservation> priors() {
    return model.priors();
  }

  @Override
  public Map<String, Distribution> relativeSearchSpace(StudyView study, FrozenTrial trial) {
    if (!group) {
      return SearchSpaces.declaredOrIntersection(study);
    }
    Map<String, Distribution> union = new LinkedHashMap<>();
    for (Map<String, Distribution> g : GroupDecomposition.of(observed(study, trial))) {
      union.putAll(g);
    }
    return union;
  }

  @Override
  public RelativeSample sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> space) {
    if (space.isEmpty() || !model.startupDone(finishedCount(study), fittingPriors(study, space))) {
      return RelativeSample.empty();
    }
    List<FrozenTrial> trials = observed(study, trial);
    Map<String, Object> sample = new LinkedHashMap<>();
    if (group) {
      for (Map<String, Distribution> g : GroupDecomposition.of(trials)) {
        Map<String, Distribution> part = new LinkedHashMap<>(g);
        part.keySet().retainAll(space.keySet());
        if (!part.isEmpty()) {
          sample.putAll(sampleJointly(study, trial, trials, part, new SplitMemo()));
        }
      }
    } else if (settings.multivariate()) {
      sample.putAll(sampleJointly(study, trial, trials, space, new SplitMemo()));
    } else {
      // One TPE per parameter; parameters that the same trials have share one good/bad split.
      SplitMemo memo = new SplitMemo();
      for (Map.Entry<String, Distribution> e : space.entrySet()) {
        sample.putAll(sampleJointly(study, trial, trials, Map.of(e.getKey(), e.getValue()), memo));
      }
    }
    return RelativeSample.of(sample);
  }

  @Override
  public Object sampleIndependent(
      StudyView study, FrozenTrial trial, String name, Distribution distribution) {
    if (model.startupDone(finishedCount(study), fittingPriors(study, Map.of(name, distribution)))) {
      Object value =
          sampleJointly(
                  study, trial, observed(study, trial), Map.of(name, distribution), new SplitMemo())
              .get(name);
      if (value != null) {
        return value;
      }
    }
    return distribution.fromUnit(Seeds.forParam(model.seed(), trial.number(), name).nextDouble());
  }

  /**
   * How many priors give every parameter of {@code space}: they count toward the start-up trials,
   * so with enough priors the model proposes from the first trial (a warm start's point).
   */
  private int fittingPriors(StudyView study, Map<String, Distribution> space) {
    if (model.priors().isEmpty()) {
      return 0;
    }
    int n = 0;
    for (FrozenTrial prior :
        PriorObservation.asTrials(model.priors(), space, study.objectives().size())) {
      if (hasAll(prior, space)) {
        n++;
      }
    }
    return n;
  }

  private static int finishedCount(StudyView study) {
    return study.trials(EnumSet.of(TrialState.COMPLETE, TrialState.PRUNED)).size();
  }

  /** Complete and pruned trials, plus other running trials when lying. */
  private List<FrozenTrial> observed(StudyView study, FrozenTrial trial) {
    Set<TrialState> states =
        constantLiar
            ? EnumSet.of(TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING)
            : EnumSet.of(TrialState.COMPLETE, TrialState.PRUNED);
    List<FrozenTrial> out = new ArrayList<>();
    for (FrozenTrial t : study.trials(states)) {
      if (t.number() != trial.number()) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * The last split computed within one proposal, reused when the next parameter's relevant trials
   * are the very same objects (the split depends on nothing else).
   */
  private static final class SplitMemo {
    private List<FrozenTrial> relevant;
    private TrialSplit split;

    TrialSplit splitOf(List<FrozenTrial> trials, TpeSampler sampler, StudyView study) {
      if (!sameObjects(relevant, trials)) {
        relevant = trials;
        split = TrialSplit.of(trials, study.objectives(), sampler.gamma, sampler.weights);
      }
      return split;
    }

    private static boolean sameObjects(List<FrozenTrial> a, List<FrozenTrial> b) {
      if (a == null || a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i) != b.get(i)) {
          return false;
        }
      }
      return true;
    }
  }

  private Map<String, Object> sampleJointly(
      StudyView study,
      FrozenTrial trial,
      List<FrozenTrial> trials,
      Map<String, Distribution> space,
      SplitMemo memo) {
    List<FrozenTrial> relevant = new ArrayList<>();
    for (FrozenTrial t : trials) {
      if (hasAll(t, space)) {
        relevant.add(t);
      }
    }
    // Priors join the split like completed trials (oldest, so ramped weights favour recent trials).
    for (FrozenTrial prior :
        PriorObservation.asTrials(model.priors(), space, study.objectives().size())) {
      if (hasAll(prior, space)) {
        relevant.add(prior);
      }
    }
    List<String> names = new ArrayList<>(space.keySet());
    SplittableRandom random =
        Seeds.forParam(model.seed(), trial.number(), "tpe:" + String.join(",", names));
    List<ParzenDimension> dims = new ArrayList<>();
    for (String name : names) {
      dims.add(ParzenDimension.of(space.get(name)));
    }
    TrialSplit split = memo.splitOf(relevant, this, study);
    ParzenEstimator good =
        ParzenEstimator.fit(
            dims, encode(split.below(), names, space), split.belowWeights(), settings);
    ParzenEstimator bad =
        ParzenEstimator.fit(
            dims, encode(split.above(), names, space), split.aboveWeights(), settings);
    double[][] candidates = good.sample(random, eiCandidates);
    double[] goodLogPdf = good.logPdf(candidates);
    double[] badLogPdf = bad.logPdf(candidates);
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < candidates.length; i++) {
      double score = goodLogPdf[i] - badLogPdf[i];
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    Map<String, Object> sample = new LinkedHashMap<>();
    for (int j = 0; j < names.size(); j++) {
      sample.put(names.get(j), UnitEncoding.decode(space.get(names.get(j)), candidates[best][j]));
    }
    return sample;
  }

  private static boolean hasAll(FrozenTrial t, Map<String, Distribution> space) {
    for (Map.Entry<String, Distribution> e : space.entrySet()) {
      Object value = t.params().get(e.getKey());
      if (value == null || !e.getValue().equals(t.distributions().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static double[][] encode(
      List<FrozenTrial> trials, List<String> names, Map<String, Distribution> space) {
    double[][] x = new double[trials.size()][names.size()];
    for (int i = 0; i < trials.size(); i++) {
      for (int j = 0; j < names.size(); j++) {
        Distribution d = space.get(names.get(j));
        x[i][j] = UnitEncoding.encode(d, trials.get(i).params().get(names.get(j)));
      }
    }
    return x;
  }

  @Override
  public boolean modelBased() {
    return true;
  }

  @Override
  public String describe() {
    return "tpe(seed="
        + model.seed()
        + (settings.multivariate() ? ", multivariate" : "")
        + (group ? ", group" : "")
        + (constantLiar ? ", constant liar" : "")
        + (model.priors().isEmpty() ? "" : ", " + model.priors().size() + " priors")
        + ")";
  }

  /** Options for {@link TpeSampler}; the defaults are Optuna's. */
  public static final class Builder extends ModelSamplerBuilder<TpeSampler, Builder> {
    private int eiCandidates = 24;
    private IntUnaryOperator gamma = TpeWeights::defaultGamma;
    private IntFunction<double[]> weights = TpeWeights::defaultWeights;
    private ParzenSettings settings = ParzenSettings.defaults();
    private boolean multivariate;
    private boolean group;
    private boolean constantLiar = true;

    private Builder() {
      super(0);
    }

    /** Candidates drawn from {@code l(x)} per proposal (default 24). */
    public Builder eiCandidates(int value) {
      this.eiCandidates = SamplerOptions.atLeast("eiCandidates", value, 1);
      return this;
    }

    /** The number of good trials out of n (default {@code min(ceil(0.1 n), 25)}). */
    public Builder gamma(IntUnaryOperator value) {
      this.gamma = java.util.Objects.requireNonNull(value, "gamma");
      return this;
    }

    /** Observation weights for n trials in trial order (default: Optuna's ramp). */
    public Builder weights(IntFunction<double[]> value) {
      this.weights = java.util.Objects.requireNonNull(value, "weights");
      return this;
    }

    /** Prior weight (default 1.0). */
    public Builder priorWeight(double value) {
      this.settings = settings.withPriorWeight(value);
      return this;
    }

    /** Whether extreme observations' bandwidths reach the interval ends (default false). */
    public Builder considerEndpoints(boolean value) {
      this.settings = settings.withConsiderEndpoints(value);
      return this;
    }

    /** Joint kernels over the relative space instead of one TPE per parameter. */
    public Builder multivariate(boolean value) {
      this.multivariate = value;
      return this;
    }

    /** Joint kernels per group of co-occurring parameters, for conditional spaces. */
    public Builder group(boolean value) {
      this.group = value;
      return this;
    }

    /** Whether other workers' running trials count as bad observations (default true). */
    public Builder constantLiar(boolean value) {
      this.constantLiar = value;
      return this;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    public TpeSampler build() {
      return new TpeSampler(this, modelSettings());
    }
  }
}
