package dev.knobflow.examples.data;

import java.util.Arrays;

/**
 * One division of a table's rows into a training part and a test (validation) part. Row indices are
 * ascending and the two parts are disjoint.
 */
public final class Split {

  private final int[] trainRows;
  private final int[] testRows;

  Split(int[] trainRows, int[] testRows) {
    this.trainRows = trainRows.clone();
    this.testRows = testRows.clone();
    Arrays.sort(this.trainRows);
    Arrays.sort(this.testRows);
  }

  /** The training rows, ascending. */
  public int[] trainRows() {
    return trainRows.clone();
  }

  /** The test rows, ascending. */
  public int[] testRows() {
    return testRows.clone();
  }

  /** The training part of {@code table}. */
  public Table train(Table table) {
    return table.select(trainRows);
  }

  /** The test part of {@code table}. */
  public Table test(Table table) {
    return table.select(testRows);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Split s
        && Arrays.equals(trainRows, s.trainRows)
        && Arrays.equals(testRows, s.testRows);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(trainRows) + Arrays.hashCode(testRows);
  }

  @Override
  public String toString() {
    return "Split[train " + trainRows.length + " rows, test " + testRows.length + " rows]";
  }
}
