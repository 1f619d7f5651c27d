package dev.knobflow.optimizers.schedulers.bohb;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.samplers.RelativeSample;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.SearchSpaces;
import dev.knobflow.optimizers.samplers.Seeds;
import dev.knobflow.optimizers.samplers.parzen.ParzenDimension;
import dev.knobflow.optimizers.samplers.parzen.UnitEncoding;
import dev.knobflow.optimizers.schedulers.hyperband.RungRanking;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * BOHB's configuration model (Falkner et al. 2018, as in HpBandSter): for a new configuration, a
 * fraction {@code randomFraction} is sampled at random; otherwise the largest budget that has a
 * model proposes it. A budget has a model once it has more than {@code minPointsInModel} (default:
 * dimensions + 1) finished observations and both its good ({@code max(minPoints, topFraction * n)}
 * best, ranked by the scheduler's {@link RungRanking}: by default Pareto rank and crowding for
 * several objectives, or one objective alone, see {@link Bohb#withRanking}) and bad sets hold more
 * points than there are dimensions (HpBandSter's rule, whichever {@link BohbModel}). The proposal
 * is the best of {@code candidates} draws from the good KDE (continuous coordinates widened by
 * {@code bandwidthFactor}, categoricals kept with probability {@code 1 - bw}, else uniform), by the
 * ratio of the good to the bad density. The {@link BohbModel#FACTORIZED} model (default) fits on
 * the best {@code max(2, topFraction * n)} and scores coordinate by coordinate; {@link
 * BohbModel#HPBANDSTER} is HpBandSter's joint model. Without a model the configuration is random.
 *
 * <p>Continuations of a promoted configuration (trials with fixed parameters) are not sampled. The
 * trials' budgets come from the matching Hyperband scheduler; see {@link Bohb}.
 */
public final class BohbSampler implements Sampler {

  /** System attribute recording the budget whose model proposed a trial (absent: random). */
  public static final String MODEL_BUDGET_ATTR = "bohb.model_budget";

  private final BohbSettings settings;
  private final RungRanking ranking;

  BohbSampler(BohbSettings settings) {
    this(settings, RungRanking.allObjectives());
  }

  BohbSampler(BohbSettings settings, RungRanking ranking) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.ranking = Objects.requireNonNull(ranking, "scheduler.rank_by");
  }

  /** This sampler with observations ranked by {@code ranking} (see {@link Bohb#withRanking}). */
  BohbSampler withRanking(RungRanking ranking) {
    return new BohbSampler(settings, ranking);
  }

  /** How the observations of a budget are ranked into good and bad. */
  public RungRanking ranking() {
    return ranking;
  }

  @Override
  public Map<String, Distribution> relativeSearchSpace(StudyView study, FrozenTrial trial) {
    if (trial.systemAttrs().containsKey("fixed_params")) {
      return Map.of();
    }
    return SearchSpaces.declaredOrIntersection(study);
  }

  @Override
  public RelativeSample sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> space) {
    SplittableRandom random = Seeds.forTrial(settings.seed(), trial.number());
    if (random.nextDouble() < settings.randomFraction()) {
      return RelativeSample.empty();
    }
    List<String> names = new ArrayList<>(space.keySet());
    List<ParzenDimension> dims = new ArrayList<>();
    for (String name : names) {
      dims.add(ParzenDimension.of(space.get(name)));
    }
    OptionalDouble budget = modelBudget(study, space);
    if (budget.isEmpty()) {
      return RelativeSample.empty();
    }
    List<FrozenTrial> observed = observations(study, space).get(budget.getAsDouble());
    List<FrozenTrial> ranked = ranking.rank(observed, study.objectives());
    int n = ranked.size();
    int minPoints = minPoints(space);
    int goodCount = Math.max(goodFloor(minPoints), (int) Math.floor(settings.topFraction() * n));
    double[][] good = encode(ranked.subList(0, goodCount), names, space);
    double[][] bad =
        encode(
            ranked.subList(goodCount, Math.min(n, goodCount + badCount(n, minPoints))),
            names,
            space);
    KdePair model =
        KdePair.fit(
            dims,
            good,
            bad,
            settings.bandwidthFactor(),
            settings.minBandwidth(),
            settings.model() == BohbModel.FACTORIZED);
    double[] x = model.propose(random, settings.candidates());
    Map<String, Object> sample = new LinkedHashMap<>();
    for (int j = 0; j < names.size(); j++) {
      sample.put(names.get(j), UnitEncoding.decode(space.get(names.get(j)), x[j]));
    }
    return new RelativeSample(sample, Map.of(MODEL_BUDGET_ATTR, budget.getAsDouble()));
  }

  @Override
  public Object sampleIndependent(
      StudyView study, FrozenTrial trial, String name, Distribution distribution) {
    return distribution.fromUnit(
        Seeds.forParam(settings.seed(), trial.number(), name).nextDouble());
  }

  /** The largest budget with a model, if any. */
  public OptionalDouble modelBudget(StudyView study) {
    return modelBudget(study, SearchSpaces.declaredOrIntersection(study));
  }

  private OptionalDouble modelBudget(StudyView study, Map<String, Distribution> space) {
    if (space.isEmpty()) {
      return OptionalDouble.empty();
    }
    int minPoints = minPoints(space);
    int d = space.size();
    TreeMap<Double, List<FrozenTrial>> byBudget = observations(study, space);
    for (Map.Entry<Double, List<FrozenTrial>> e : byBudget.descendingMap().entrySet()) {
      int n = e.getValue().size();
      if (n <= minPoints) {
        continue;
      }
      int goodCount = Math.max(minPoints, (int) Math.floor(settings.topFraction() * n));
      int bad = Math.min(n - goodCount, badCount(n, minPoints));
      if (goodCount > d && bad > d) {
        return OptionalDouble.of(e.getKey());
      }
    }
    return OptionalDouble.empty();
  }

  /**
   * The fewest good points: HpBandSter's {@code minPointsInModel}, or 2 for the factorised model.
   */
  private int goodFloor(int minPoints) {
    return settings.model() == BohbModel.FACTORIZED ? Math.min(2, minPoints) : minPoints;
  }

  private int badCount(int n, int minPoints) {
    return Math.max(minPoints, (int) Math.floor((1 - settings.topFraction()) * n));
  }

  private int minPoints(Map<String, Distribution> space) {
    return settings.minPointsInModel() > 0 ? settings.minPointsInModel() : space.size() + 1;
  }

  /** Finished trials with values for every parameter of the space, by budget. */
  private static TreeMap<Double, List<FrozenTrial>> observations(
      StudyView study, Map<String, Distribution> space) {
    TreeMap<Double, List<FrozenTrial>> out = new TreeMap<>();
    for (FrozenTrial t : study.trials(Set.of(TrialState.COMPLETE, TrialState.PRUNED))) {
      if (Double.isNaN(t.budget()) || t.values().isEmpty()) {
        continue;
      }
      boolean complete = true;
      for (Map.Entry<String, Distribution> e : space.entrySet()) {
        if (!e.getValue().equals(t.distributions().get(e.getKey()))) {
          complete = false;
          break;
        }
      }
      if (complete) {
        out.computeIfAbsent(t.budget(), k -> new ArrayList<>()).add(t);
      }
    }
    return out;
  }

  private static double[][] encode(
      List<FrozenTrial> trials, List<String> names, Map<String, Distribution> space) {
    double[][] out = new double[trials.size()][names.size()];
    for (int i = 0; i < trials.size(); i++) {
      for (int j = 0; j < names.size(); j++) {
        String name = names.get(j);
        out[i][j] = UnitEncoding.encode(space.get(name), trials.get(i).params().get(name));
      }
    }
    return out;
  }

  @Override
  public boolean modelBased() {
    return true;
  }

  @Override
  public String describe() {
    return "bohb(seed="
        + settings.seed()
        + (settings.model() == BohbModel.HPBANDSTER ? ", hpbandster" : "")
        + ")";
  }
}
