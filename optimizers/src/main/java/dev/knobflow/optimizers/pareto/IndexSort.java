package dev.knobflow.optimizers.pareto;

/**
 * Stable merge sort of an {@code int[]} of indices under a primitive comparator, so hot loops sort
 * without boxing indices into {@code Integer}.
 */
final class IndexSort {

  /** Compares two indices; negative, zero or positive like {@link java.util.Comparator}. */
  @FunctionalInterface
  interface IntComparator {
    int compare(int a, int b);
  }

  private static final int INSERTION_THRESHOLD = 16;

  private IndexSort() {}

  /** Returns {@code 0, 1, ..., n - 1}. */
  static int[] identity(int n) {
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = i;
    }
    return indices;
  }

  /** Sorts {@code indices[0, length)} in place; equal elements keep their relative order. */
  static void sort(int[] indices, int length, IntComparator comparator) {
    if (length < 2) {
      return;
    }
    int[] aux = java.util.Arrays.copyOf(indices, length);
    mergeSort(aux, indices, 0, length, comparator);
  }

  /** Sorts all of {@code indices} in place. */
  static void sort(int[] indices, IntComparator comparator) {
    sort(indices, indices.length, comparator);
  }

  /** Sorts src[lo, hi) into dst[lo, hi); both hold the same elements there on entry. */
  private static void mergeSort(int[] src, int[] dst, int lo, int hi, IntComparator comparator) {
    int length = hi - lo;
    if (length < INSERTION_THRESHOLD) {
      for (int i = lo + 1; i < hi; i++) {
        int value = dst[i];
        int j = i - 1;
        while (j >= lo && comparator.compare(dst[j], value) > 0) {
          dst[j + 1] = dst[j];
          j--;
        }
        dst[j + 1] = value;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(dst, src, lo, mid, comparator);
    mergeSort(dst, src, mid, hi, comparator);
    if (comparator.compare(src[mid - 1], src[mid]) <= 0) {
      System.arraycopy(src, lo, dst, lo, length);
      return;
    }
    for (int i = lo, p = lo, q = mid; i < hi; i++) {
      if (q >= hi || (p < mid && comparator.compare(src[p], src[q]) <= 0)) {
        dst[i] = src[p++];
      } else {
        dst[i] = src[q++];
      }
    }
  }
}
