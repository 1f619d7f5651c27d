package dev.knobflow.examples.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded stratified splits: every part keeps (up to rounding) the class ratios of the whole, and
 * the same labels and seed always give the same split.
 */
public final class Splits {

  private Splits() {}

  /**
   * A stratified hold-out split: about {@code testFraction} of each class goes to the test part.
   *
   * @param labels one class label per row
   * @param testFraction the share of rows to hold out, strictly between 0 and 1
   * @param seed the shuffle seed
   * @throws IllegalArgumentException if the fraction is out of range or a part would be empty
   */
  public static Split stratifiedHoldout(int[] labels, double testFraction, long seed) {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException(
          "testFraction must be strictly between 0 and 1, got " + testFraction);
    }
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    Random random = new Random(seed);
    for (List<Integer> members : shuffledByClass(labels, random).values()) {
      int testCount = (int) Math.round(members.size() * testFraction);
      test.addAll(members.subList(0, testCount));
      train.addAll(members.subList(testCount, members.size()));
    }
    if (train.isEmpty() || test.isEmpty()) {
      throw new IllegalArgumentException(
          "testFraction "
              + testFraction
              + " of "
              + labels.length
              + " rows leaves the "
              + (train.isEmpty() ? "training" : "test")
              + " part empty");
    }
    return new Split(toArray(train), toArray(test));
  }

  /**
   * Stratified k-fold cross-validation: each row is in the test part of exactly one of the {@code
   * k} splits, and each class is spread evenly over the folds.
   *
   * @param labels one class label per row
   * @param k the number of folds, at least 2 and at most the number of rows
   * @param seed the shuffle seed
   */
  public static List<Split> stratifiedKFold(int[] labels, int k, long seed) {
    if (k < 2 || k > labels.length) {
      throw new IllegalArgumentException(
          "k (folds) must be from 2 to the number of rows (" + labels.length + "), got " + k);
    }
    List<List<Integer>> folds = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      folds.add(new ArrayList<>());
    }
    Random random = new Random(seed);
    // Deal each class's shuffled rows round-robin; carrying the position over from class to class
    // keeps the fold sizes within one of each other.
    int next = 0;
    for (List<Integer> members : shuffledByClass(labels, random).values()) {
      for (int row : members) {
        folds.get(next).add(row);
        next = (next + 1) % k;
      }
    }
    List<Split> splits = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      List<Integer> train = new ArrayList<>();
      for (int j = 0; j < k; j++) {
        if (j != i) {
          train.addAll(folds.get(j));
        }
      }
      splits.add(new Split(toArray(train), toArray(folds.get(i))));
    }
    return List.copyOf(splits);
  }

  /** Row indices grouped by label in ascending label order, each group shuffled. */
  private static Map<Integer, List<Integer>> shuffledByClass(int[] labels, Random random) {
    if (labels.length == 0) {
      throw new IllegalArgumentException("labels must not be empty");
    }
    Map<Integer, List<Integer>> byClass = new TreeMap<>();
    for (int i = 0; i < labels.length; i++) {
      byClass.computeIfAbsent(labels[i], l -> new ArrayList<>()).add(i);
    }
    for (List<Integer> members : byClass.values()) {
      Collections.shuffle(members, random);
    }
    return byClass;
  }

  private static int[] toArray(List<Integer> rows) {
    return rows.stream().mapToInt(Integer::intValue).toArray();
  }
}
