package dev.knobflow.optimizers.schedulers.bohb;

/**
 * How BOHB's good and bad densities are built from a budget's observations. Both use the same
 * normal-reference bandwidths, Aitchison-Aitken kernels for categoricals, the same model budgets
 * and the same candidate draws (from the good KDE, continuous coordinates widened by {@code
 * bandwidthFactor}); they differ in the split and in how a candidate is scored.
 */
public enum BohbModel {

  /**
   * HpBandSter's model: the good set is the best {@code max(minPointsInModel, topFraction * n)}
   * observations (so at least dimensions + 1), and a candidate is scored by the ratio of two joint
   * (product-kernel) KDEs.
   */
  HPBANDSTER,

  /**
   * The good set is the best {@code max(2, topFraction * n)} observations, and a candidate is
   * scored by the product over coordinates of the ratio of one-dimensional good and bad KDEs (the
   * same kernels, taken one coordinate at a time, as TPE does). In 16 to 32 dimensions the joint
   * ratio is dominated by the single nearest kernel and the {@code dimensions + 1} floor makes the
   * good set a third or more of the observations; the factorised model keeps the good set selective
   * and lets every coordinate vote.
   */
  FACTORIZED
}
