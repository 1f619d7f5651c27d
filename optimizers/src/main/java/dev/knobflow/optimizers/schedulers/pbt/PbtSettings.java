package dev.knobflow.optimizers.schedulers.pbt;

import dev.knobflow.optimizers.schedulers.hyperband.RungRanking;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of population-based training ({@link PbtScheduler}).
 *
 * @param population how many members train side by side (at least 2)
 * @param interval the steps (or budget units) a member trains between two perturbations: each
 *     segment trains this much beyond the checkpoint it starts from
 * @param quantile the fraction of members in the bottom quantile that exploit one of the same
 *     fraction at the top, in (0, 0.5]
 * @param resampleProbability the chance that explore draws a parameter afresh from its distribution
 *     instead of perturbing it, in [0, 1]
 * @param perturbDown the factor that perturbs a numeric value down, in (0, 1)
 * @param perturbUp the factor that perturbs a numeric value up, above 1
 * @param synchronous whether a generation waits for the whole previous generation (true) or a
 *     member continues as soon as its own segment ends (false, the default, as in Ray Tune)
 * @param seed the seed of exploit and explore decisions (each decision has its own stream, derived
 *     from the seed, the member and the generation, so a resumed study decides the same)
 * @param ranking how finished segments are ranked: by value for one objective, by Pareto rank and
 *     crowding for several, or by one named objective
 * @param pollInterval in synchronous mode, how often a worker with nothing to start looks again
 * @param maxBudget the budget at which a member stops training (Ray Tune's {@code stop=
 *     {"training_iteration": N}}): no segment trains beyond it, and once every member has reached
 *     it the scheduler has nothing left to start; {@link Double#POSITIVE_INFINITY} (the default)
 *     for no limit, the study's trial target then ends the population
 * @param equalBudgetRanking asynchronously, whether each member is judged by its lineage's result
 *     at the deciding member's budget (up its checkpoint chain) instead of its latest result
 *     (false, the default, as Ray Tune ranks); see {@link PbtScheduler}
 */
public record PbtSettings(
    int population,
    double interval,
    double quantile,
    double resampleProbability,
    double perturbDown,
    double perturbUp,
    boolean synchronous,
    long seed,
    RungRanking ranking,
    Duration pollInterval,
    double maxBudget,
    boolean equalBudgetRanking) {

  /** The default bottom and top quantile (Ray Tune's {@code quantile_fraction}). */
  public static final double DEFAULT_QUANTILE = 0.25;

  /** The default resample probability (Ray Tune's {@code resample_probability}). */
  public static final double DEFAULT_RESAMPLE_PROBABILITY = 0.25;

  public PbtSettings {
    if (population < 2) {
      throw new IllegalArgumentException(
          "scheduler.population: must be at least 2, got " + population);
    }
    if (!(interval > 0) || Double.isInfinite(interval)) {
      throw new IllegalArgumentException(
          "scheduler.interval: must be a number above 0, got " + interval);
    }
    if (!(quantile > 0 && quantile <= 0.5)) {
      throw new IllegalArgumentException(
          "scheduler.quantile: must be in (0, 0.5], got " + quantile);
    }
    if (!(resampleProbability >= 0 && resampleProbability <= 1)) {
      throw new IllegalArgumentException(
          "scheduler.resample_probability: must be in [0, 1], got " + resampleProbability);
    }
    if (!(perturbDown > 0 && perturbDown < 1)) {
      throw new IllegalArgumentException(
          "scheduler.perturbation_factors: the first (down) factor must be in (0, 1), got "
              + perturbDown);
    }
    if (!(perturbUp > 1) || Double.isInfinite(perturbUp)) {
      throw new IllegalArgumentException(
          "scheduler.perturbation_factors: the second (up) factor must be above 1, got "
              + perturbUp);
    }
    Objects.requireNonNull(ranking, "ranking");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
    }
    if (!(maxBudget > 0)) {
      throw new IllegalArgumentException(
          "scheduler.max_budget: must be a number above 0 (the budget at which a member stops),"
              + " got "
              + maxBudget);
    }
  }

  /** Whether a member stops at {@link #maxBudget}. */
  public boolean hasMaxBudget() {
    return maxBudget != Double.POSITIVE_INFINITY;
  }

  /** A builder with Ray Tune's defaults: quantile 0.25, resample 0.25, factors 0.8 and 1.2. */
  public static Builder builder(int population, double interval) {
    return new Builder(population, interval);
  }

  /** Builder of {@link PbtSettings}. */
  public static final class Builder {
    private final int population;
    private final double interval;
    private double quantile = DEFAULT_QUANTILE;
    private double resampleProbability = DEFAULT_RESAMPLE_PROBABILITY;
    private double perturbDown = 0.8;
    private double perturbUp = 1.2;
    private boolean synchronous;
    private long seed;
    private RungRanking ranking = RungRanking.allObjectives();
    private Duration pollInterval = Duration.ofMillis(200);
    private double maxBudget = Double.POSITIVE_INFINITY;
    private boolean equalBudgetRanking;

    private Builder(int population, double interval) {
      this.population = population;
      this.interval = interval;
    }

    /** The bottom and top quantile; default 0.25. */
    public Builder quantile(double quantile) {
      this.quantile = quantile;
      return this;
    }

    /** The chance of resampling a parameter instead of perturbing it; default 0.25. */
    public Builder resampleProbability(double probability) {
      this.resampleProbability = probability;
      return this;
    }

    /** The perturbation factors; default 0.8 and 1.2. */
    public Builder perturbationFactors(double down, double up) {
      this.perturbDown = down;
      this.perturbUp = up;
      return this;
    }

    /** Synchronous generations (true) or asynchronous members (false, the default). */
    public Builder synchronous(boolean synchronous) {
      this.synchronous = synchronous;
      return this;
    }

    /** The seed of the exploit and explore decisions; default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** How finished segments are ranked; default all objectives. */
    public Builder ranking(RungRanking ranking) {
      this.ranking = ranking;
      return this;
    }

    /** How often a synchronous worker with nothing to start looks again; default 200 ms. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * The budget at which a member stops (no segment trains beyond it; once every member has
     * reached it, {@code ask()} reports the study exhausted); default no limit.
     */
    public Builder maxBudget(double maxBudget) {
      this.maxBudget = maxBudget;
      return this;
    }

    /**
     * Asynchronously, rank members by their lineages' results at the deciding member's budget
     * instead of their latest results; default false (Ray Tune's ranking).
     */
    public Builder equalBudgetRanking(boolean equalBudgetRanking) {
      this.equalBudgetRanking = equalBudgetRanking;
      return this;
    }

    /** The settings. */
    public PbtSettings build() {
      return new PbtSettings(
          population,
          interval,
          quantile,
          resampleProbability,
          perturbDown,
          perturbUp,
          synchronous,
          seed,
          ranking,
          pollInterval,
          maxBudget,
          equalBudgetRanking);
    }
  }
}
