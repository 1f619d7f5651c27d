package dev.knobflow.optimizers.samplers.parzen;

/**
 * How {@link ParzenEstimator#fit} chooses kernels: the prior kernel, the bandwidth rule and its
 * clipping. The defaults are those of Optuna's TPE.
 *
 * @param priorWeight weight of the prior kernel (uniform-ish: centre 0.5, bandwidth 1 for numbers,
 *     uniform for choices), and the smoothing mass each categorical kernel spreads over all
 *     choices; must be positive
 * @param considerMagicClip whether numeric bandwidths are at least {@code 1 / min(100, 1 +
 *     kernels)} of the range (Bergstra's "magic clip"), else at least 1e-12
 * @param considerEndpoints whether the univariate bandwidth of the lowest and highest observation
 *     may reach to the interval's ends; Optuna's default (false) uses the inner neighbour instead
 * @param multivariate whether kernels are joint (one Scott-like bandwidth {@code 0.2 n^(-1/(d+4))}
 *     per coordinate) rather than built coordinate by coordinate from neighbour distances
 */
public record ParzenSettings(
    double priorWeight,
    boolean considerMagicClip,
    boolean considerEndpoints,
    boolean multivariate) {

  public ParzenSettings {
    if (!(priorWeight > 0) || Double.isInfinite(priorWeight)) {
      throw new IllegalArgumentException(
          "priorWeight must be a positive number, got " + priorWeight);
    }
  }

  /** Optuna's defaults: prior weight 1, magic clip on, endpoints off, univariate. */
  public static ParzenSettings defaults() {
    return new ParzenSettings(1.0, true, false, false);
  }

  /** These settings with joint kernels on or off. */
  public ParzenSettings withMultivariate(boolean value) {
    return new ParzenSettings(priorWeight, considerMagicClip, considerEndpoints, value);
  }

  /** These settings with another prior weight. */
  public ParzenSettings withPriorWeight(double value) {
    return new ParzenSettings(value, considerMagicClip, considerEndpoints, multivariate);
  }

  /** These settings with endpoints considered or not. */
  public ParzenSettings withConsiderEndpoints(boolean value) {
    return new ParzenSettings(priorWeight, considerMagicClip, value, multivariate);
  }
}
