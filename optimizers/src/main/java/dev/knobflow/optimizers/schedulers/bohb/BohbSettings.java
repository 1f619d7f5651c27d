package dev.knobflow.optimizers.schedulers.bohb;

import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import java.util.Objects;

/**
 * BOHB's settings; the defaults are HpBandSter's except the {@link BohbModel#FACTORIZED} model.
 *
 * @param budgets the Hyperband budgets and eta
 * @param seed the seed of every random choice (per trial, see {@code Seeds})
 * @param minPointsInModel observations a budget needs before it gets a model; 0 means the number of
 *     dimensions + 1
 * @param topFraction the fraction of a budget's observations that form the good KDE (0.15)
 * @param candidates candidates drawn from the widened good KDE per new configuration (64)
 * @param randomFraction the fraction of new configurations sampled at random (1/3)
 * @param bandwidthFactor how much the good KDE is widened for drawing candidates (3)
 * @param minBandwidth the smallest bandwidth of any coordinate (1e-3)
 * @param model how the good and bad densities are built and compared ({@link BohbModel#FACTORIZED};
 *     {@link BohbModel#HPBANDSTER} for HpBandSter's joint KDEs)
 */
public record BohbSettings(
    BudgetSettings budgets,
    long seed,
    int minPointsInModel,
    double topFraction,
    int candidates,
    double randomFraction,
    double bandwidthFactor,
    double minBandwidth,
    BohbModel model) {

  public BohbSettings {
    Objects.requireNonNull(budgets, "budgets");
    Objects.requireNonNull(model, "bohb.model");
    if (minPointsInModel < 0) {
      throw new IllegalArgumentException(
          "bohb.min_points_in_model must be >= 0 (0: dimensions + 1), got " + minPointsInModel);
    }
    if (!(topFraction > 0 && topFraction < 1)) {
      throw new IllegalArgumentException("bohb.top_fraction must be in (0, 1), got " + topFraction);
    }
    if (candidates < 1) {
      throw new IllegalArgumentException("bohb.candidates must be >= 1, got " + candidates);
    }
    if (!(randomFraction >= 0 && randomFraction <= 1)) {
      throw new IllegalArgumentException(
          "bohb.random_fraction must be in [0, 1], got " + randomFraction);
    }
    if (!(bandwidthFactor >= 1) || Double.isInfinite(bandwidthFactor)) {
      throw new IllegalArgumentException(
          "bohb.bandwidth_factor must be >= 1, got " + bandwidthFactor);
    }
    if (!(minBandwidth > 0 && minBandwidth < 1)) {
      throw new IllegalArgumentException(
          "bohb.min_bandwidth must be in (0, 1), got " + minBandwidth);
    }
  }

  /** Settings with the default {@link BohbModel#FACTORIZED} model. */
  public BohbSettings(
      BudgetSettings budgets,
      long seed,
      int minPointsInModel,
      double topFraction,
      int candidates,
      double randomFraction,
      double bandwidthFactor,
      double minBandwidth) {
    this(
        budgets,
        seed,
        minPointsInModel,
        topFraction,
        candidates,
        randomFraction,
        bandwidthFactor,
        minBandwidth,
        BohbModel.FACTORIZED);
  }

  /** HpBandSter's defaults for these budgets and seed, with the factorised model. */
  public static BohbSettings of(BudgetSettings budgets, long seed) {
    return new BohbSettings(budgets, seed, 0, 0.15, 64, 1.0 / 3, 3, 1e-3);
  }

  /** HpBandSter's defaults and model ({@link BohbModel#HPBANDSTER}). */
  public static BohbSettings hpBandSter(BudgetSettings budgets, long seed) {
    return of(budgets, seed).withModel(BohbModel.HPBANDSTER);
  }

  /** These settings with another model. */
  public BohbSettings withModel(BohbModel value) {
    return new BohbSettings(
        budgets,
        seed,
        minPointsInModel,
        topFraction,
        candidates,
        randomFraction,
        bandwidthFactor,
        minBandwidth,
        value);
  }

  /** These settings with another minimum number of points per model. */
  public BohbSettings withMinPointsInModel(int value) {
    return new BohbSettings(
        budgets,
        seed,
        value,
        topFraction,
        candidates,
        randomFraction,
        bandwidthFactor,
        minBandwidth,
        model);
  }

  /** These settings with another random fraction. */
  public BohbSettings withRandomFraction(double value) {
    return new BohbSettings(
        budgets,
        seed,
        minPointsInModel,
        topFraction,
        candidates,
        value,
        bandwidthFactor,
        minBandwidth,
        model);
  }
}
