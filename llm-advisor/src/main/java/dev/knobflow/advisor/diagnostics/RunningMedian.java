package dev.knobflow.advisor.diagnostics;

import java.util.Arrays;

/**
 * The median of a growing multiset of non-NaN doubles: a max-heap of the lower half and a min-heap
 * of the upper half, so adding costs O(log n) and the median O(1). Values are ordered as {@link
 * Arrays#sort(double[])} orders them ({@link Double#compare}), so the median is the very double
 * that sorting and taking the middle (or the mean of the two middle values, lower one first) gives.
 * Not thread-safe: {@link CompletedCurves} guards it.
 */
final class RunningMedian {

  private final Heap lower; // max-heap; holds the extra value when the count is odd
  private final Heap upper; // min-heap

  RunningMedian(int expected) {
    lower = new Heap(true, Math.max(4, expected / 2 + 1));
    upper = new Heap(false, Math.max(4, expected / 2 + 1));
  }

  int size() {
    return lower.size + upper.size;
  }

  void add(double v) {
    if (lower.size == 0 || Double.compare(v, lower.peek()) <= 0) {
      lower.push(v);
    } else {
      upper.push(v);
    }
    if (lower.size > upper.size + 1) {
      upper.push(lower.pop());
    } else if (upper.size > lower.size) {
      lower.push(upper.pop());
    }
  }

  /** The median; the count must be positive. */
  double median() {
    if (size() == 0) {
      throw new IllegalStateException("median of no values");
    }
    return size() % 2 == 1 ? lower.peek() : (lower.peek() + upper.peek()) / 2;
  }

  /** A binary heap of primitive doubles. */
  private static final class Heap {
    private final boolean max;
    private double[] a;
    private int size;

    Heap(boolean max, int capacity) {
      this.max = max;
      this.a = new double[capacity];
    }

    double peek() {
      return a[0];
    }

    /** Whether x belongs above y. */
    private boolean above(double x, double y) {
      int c = Double.compare(x, y);
      return max ? c > 0 : c < 0;
    }

    void push(double v) {
      if (size == a.length) {
        a = Arrays.copyOf(a, a.length * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!above(v, a[parent])) {
          break;
        }
        a[i] = a[parent];
        i = parent;
      }
      a[i] = v;
    }

    double pop() {
      double top = a[0];
      double v = a[--size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && above(a[child + 1], a[child])) {
          child++;
        }
        if (!above(a[child], v)) {
          break;
        }
        a[i] = a[child];
        i = child;
      }
      if (size > 0) {
        a[i] = v;
      }
      return top;
    }
  }
}
