package dev.knobflow.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {

  /** 100 rows of class 0, 50 of class 1, 10 of class 2, interleaved. */
  private static int[] labels() {
    int[] labels = new int[160];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 16 == 0 ? 2 : (i % 3 == 0 ? 1 : 0);
    }
    return labels;
  }

  private static long count(int[] labels, int[] rows, int label) {
    return Arrays.stream(rows).filter(r -> labels[r] == label).count();
  }

  @Test
  void holdoutKeepsEachClassRatio() {
    int[] labels = labels();
    Split split = Splits.stratifiedHoldout(labels, 0.25, 7);
    for (int label = 0; label < 3; label++) {
      long inClass = count(labels, IntStream.range(0, labels.length).toArray(), label);
      long inTest = count(labels, split.testRows(), label);
      assertEquals(Math.round(inClass * 0.25), inTest, "class " + label);
      assertEquals(inClass - inTest, count(labels, split.trainRows(), label), "class " + label);
    }
  }

  @Test
  void holdoutPartsAreDisjointAndCoverEveryRow() {
    int[] labels = labels();
    Split split = Splits.stratifiedHoldout(labels, 0.3, 1);
    Set<Integer> seen = new HashSet<>();
    Arrays.stream(split.trainRows()).forEach(seen::add);
    Arrays.stream(split.testRows()).forEach(r -> assertTrue(seen.add(r), "row " + r + " twice"));
    assertEquals(labels.length, seen.size());
  }

  @Test
  void sameSeedSameSplitOtherSeedOtherSplit() {
    int[] labels = labels();
    assertEquals(
        Splits.stratifiedHoldout(labels, 0.25, 3), Splits.stratifiedHoldout(labels, 0.25, 3));
    assertNotEquals(
        Splits.stratifiedHoldout(labels, 0.25, 3), Splits.stratifiedHoldout(labels, 0.25, 4));
    assertEquals(Splits.stratifiedKFold(labels, 5, 3), Splits.stratifiedKFold(labels, 5, 3));
    assertNotEquals(Splits.stratifiedKFold(labels, 5, 3), Splits.stratifiedKFold(labels, 5, 4));
  }

  @Test
  void kFoldTestsEveryRowExactlyOnceAndSpreadsEachClassEvenly() {
    int[] labels = labels();
    List<Split> folds = Splits.stratifiedKFold(labels, 5, 11);
    assertEquals(5, folds.size());
    int[] timesTested = new int[labels.length];
    for (Split fold : folds) {
      Arrays.stream(fold.testRows()).forEach(r -> timesTested[r]++);
      assertEquals(labels.length, fold.trainRows().length + fold.testRows().length);
      assertEquals(20, count(labels, fold.testRows(), 0));
      assertEquals(10, count(labels, fold.testRows(), 1));
      assertEquals(2, count(labels, fold.testRows(), 2));
    }
    int[] once = new int[labels.length];
    Arrays.fill(once, 1);
    assertArrayEquals(once, timesTested);
  }

  @Test
  void foldSizesDifferByAtMostOneWhenClassesDoNotDivideEvenly() {
    int[] labels = {0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1};
    List<Split> folds = Splits.stratifiedKFold(labels, 3, 0);
    int[] sizes = folds.stream().mapToInt(f -> f.testRows().length).toArray();
    int max = Arrays.stream(sizes).max().orElseThrow();
    int min = Arrays.stream(sizes).min().orElseThrow();
    assertTrue(max - min <= 1, Arrays.toString(sizes));
  }

  @Test
  void badArgumentsAreRejectedWithTheirName() {
    int[] labels = labels();
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Splits.stratifiedHoldout(labels, 1.0, 0))
            .getMessage()
            .startsWith("testFraction must be strictly between 0 and 1"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Splits.stratifiedKFold(labels, 1, 0))
            .getMessage()
            .startsWith("k (folds) must be from 2"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> Splits.stratifiedHoldout(new int[] {0, 1}, 0.1, 0))
            .getMessage()
            .contains("leaves the test part empty"));
  }
}
