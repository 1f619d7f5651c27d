package dev.knobflow.optimizers.samplers.parzen;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;

/**
 * One coordinate of a Parzen estimator, in the unit-interval encoding samplers use ({@link
 * Distribution#toUnit}).
 *
 * <p>A numeric coordinate is continuous ({@code cells == 0}) or split into {@code cells} equal
 * cells whose centres are the values (ints and stepped floats); a categorical coordinate holds the
 * choice index {@code 0 .. choices - 1} instead of a unit value.
 *
 * @param categorical whether the coordinate is a choice index
 * @param cells the number of equal grid cells of a discrete numeric coordinate, 0 when continuous,
 *     or the number of choices of a categorical one
 */
public record ParzenDimension(boolean categorical, int cells) {

  public ParzenDimension {
    if (cells < 0) {
      throw new IllegalArgumentException("cells must be >= 0, got " + cells);
    }
    if (categorical && cells < 1) {
      throw new IllegalArgumentException("a categorical dimension needs at least one choice");
    }
  }

  /** A continuous coordinate on [0, 1]. */
  public static ParzenDimension continuous() {
    return new ParzenDimension(false, 0);
  }

  /** A numeric coordinate whose values are the centres of {@code cells} equal cells of [0, 1]. */
  public static ParzenDimension discrete(int cells) {
    return new ParzenDimension(false, cells);
  }

  /** A categorical coordinate with {@code choices} choices. */
  public static ParzenDimension categorical(int choices) {
    return new ParzenDimension(true, choices);
  }

  /**
   * The dimension for a distribution: categorical for choices, discrete for ints and stepped floats
   * (log ints are treated as continuous in log space and rounded when decoded), else continuous.
   */
  public static ParzenDimension of(Distribution distribution) {
    if (distribution instanceof CategoricalDistribution c) {
      return categorical(c.choices().size());
    }
    long size = distribution.size();
    boolean logInt =
        distribution instanceof dev.knobflow.optimizers.distributions.IntDistribution i && i.log();
    if (size > 0 && !logInt && size <= Integer.MAX_VALUE) {
      return discrete((int) size);
    }
    return continuous();
  }

  /** Whether the coordinate is a discrete numeric one. */
  public boolean isDiscrete() {
    return !categorical && cells > 0;
  }

  /** Half the width of a cell in unit space (0 for continuous coordinates). */
  public double halfCell() {
    return isDiscrete() ? 0.5 / cells : 0.0;
  }

  /** Moves a unit value to the centre of its cell (unchanged when continuous). */
  public double snap(double u) {
    if (!isDiscrete()) {
      return Math.min(1.0, Math.max(0.0, u));
    }
    int k = (int) Math.floor(Math.min(1.0, Math.max(0.0, u)) * cells);
    k = Math.min(cells - 1, Math.max(0, k));
    return (k + 0.5) / cells;
  }
}
