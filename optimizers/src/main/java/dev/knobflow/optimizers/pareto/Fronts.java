package dev.knobflow.optimizers.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The result of a non-dominated sort: the rank of every point (0 = the Pareto front) and the fronts
 * as lists of point indices.
 *
 * <p>Indices refer to the rows of the array that was sorted. Within a front, indices are in
 * ascending order. Immutable: every accessor returns a copy or a read-only view.
 */
public final class Fronts {

  private final int[] ranks;
  private final int[][] fronts;

  private Fronts(int[] ranks, int[][] fronts) {
    this.ranks = ranks;
    this.fronts = fronts;
  }

  /** Builds the fronts from ranks that are dense (every rank from 0 to the maximum occurs). */
  static Fronts fromDenseRanks(int[] ranks) {
    int frontCount = 0;
    for (int rank : ranks) {
      frontCount = Math.max(frontCount, rank + 1);
    }
    int[] sizes = new int[frontCount];
    for (int rank : ranks) {
      sizes[rank]++;
    }
    int[][] fronts = new int[frontCount][];
    for (int k = 0; k < frontCount; k++) {
      fronts[k] = new int[sizes[k]];
    }
    int[] fill = new int[frontCount];
    for (int i = 0; i < ranks.length; i++) {
      int rank = ranks[i];
      fronts[rank][fill[rank]++] = i;
    }
    return new Fronts(ranks, fronts);
  }

  /** Returns the number of points that were sorted. */
  public int size() {
    return ranks.length;
  }

  /** Returns the rank of point {@code index}: 0 for the Pareto front, 1 for the next, and so on. */
  public int rank(int index) {
    if (index < 0 || index >= ranks.length) {
      throw new IllegalArgumentException(
          "index is " + index + "; it must be in [0, " + ranks.length + ")");
    }
    return ranks[index];
  }

  /** Returns a copy of all ranks, {@code ranks()[i]} being the rank of point {@code i}. */
  public int[] ranks() {
    return ranks.clone();
  }

  /** Returns the number of fronts (0 when no points were sorted). */
  public int frontCount() {
    return fronts.length;
  }

  /** Returns a copy of the indices in front {@code k}, ascending. */
  public int[] front(int k) {
    if (k < 0 || k >= fronts.length) {
      throw new IllegalArgumentException(
          "k is " + k + "; it must be in [0, " + fronts.length + ")");
    }
    return fronts[k].clone();
  }

  /** Returns a copy of the indices of the Pareto front (rank 0); empty when there are no points. */
  public int[] paretoFront() {
    return fronts.length == 0 ? new int[0] : fronts[0].clone();
  }

  /** Returns all fronts in rank order, each a copy of its ascending indices. */
  public List<int[]> fronts() {
    List<int[]> result = new ArrayList<>(fronts.length);
    for (int[] front : fronts) {
      result.add(front.clone());
    }
    return Collections.unmodifiableList(result);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Fronts && Arrays.equals(ranks, ((Fronts) other).ranks);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ranks);
  }

  @Override
  public String toString() {
    return "Fronts" + Arrays.deepToString(fronts);
  }
}
