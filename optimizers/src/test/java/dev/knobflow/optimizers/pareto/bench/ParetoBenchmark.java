package dev.knobflow.optimizers.pareto.bench;

import dev.knobflow.optimizers.pareto.CrowdingDistance;
import dev.knobflow.optimizers.pareto.Hypervolume;
import dev.knobflow.optimizers.pareto.NonDominatedSorting;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Prints timings of the Pareto machinery on fixed-seed inputs. Not a unit test. Run with:
 *
 * <pre>
 * java -cp "$(bench/lib/java-classpath.sh optimizers)" \
 *     dev.knobflow.optimizers.pareto.bench.ParetoBenchmark
 * </pre>
 *
 * <p>Each case is warmed up, then timed call by call for about half a second; the median and the
 * 90th percentile per call are printed.
 */
public final class ParetoBenchmark {

  private static final long WARMUP_NANOS = 400_000_000L;
  private static final long MEASURE_NANOS = 500_000_000L;

  private ParetoBenchmark() {}

  public static void main(String[] args) {
    Random random = new Random(2024L);
    System.out.printf(
        Locale.ROOT,
        "Java %s, %d processors%n%-48s %12s %12s %8s%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        "case",
        "median us",
        "p90 us",
        "calls");

    double[][] zdt1 = zdt1(random, 1000);
    double[][] uniform2 = uniform(random, 1000, 2);
    double[][] sphere3 = sphere(random, 1000, 3);
    double[][] uniform3 = uniform(random, 1000, 3);
    double[][] uniform5 = uniform(random, 1000, 5);
    double[] ref2 = filled(2, 1.1);
    double[] ref3 = filled(3, 1.1);

    time("hypervolume 2-D, 1000 non-dominated", p -> Hypervolume.compute(zdt1, ref2));
    time("hypervolume 2-D, 1000 uniform", p -> Hypervolume.compute(uniform2, ref2));
    time("hypervolume 3-D, 1000 non-dominated (sphere)", p -> Hypervolume.compute(sphere3, ref3));
    time("hypervolume 3-D, 1000 uniform", p -> Hypervolume.compute(uniform3, ref3));
    for (int n : new int[] {100, 300}) {
      double[][] sphere4 = sphere(random, n, 4);
      time(
          "hypervolume 4-D, " + n + " non-dominated (sphere)",
          p -> Hypervolume.compute(sphere4, filled(4, 1.1)));
    }
    for (int n : new int[] {50, 100}) {
      double[][] sphere5 = sphere(random, n, 5);
      time(
          "hypervolume 5-D, " + n + " non-dominated (sphere)",
          p -> Hypervolume.compute(sphere5, filled(5, 1.1)));
    }
    time("contributions 2-D, 1000 non-dominated", p -> sum(Hypervolume.contributions(zdt1, ref2)));
    double[][] sphere3small = Arrays.copyOf(sphere3, 200);
    time(
        "contributions 3-D, 200 non-dominated",
        p -> sum(Hypervolume.contributions(sphere3small, ref3)));
    time(
        "contributions 3-D, 1000 non-dominated",
        p -> sum(Hypervolume.contributions(sphere3, ref3)));
    double[][] sphere4 = sphere(random, 100, 4);
    time(
        "contributions 4-D, 100 non-dominated",
        p -> sum(Hypervolume.contributions(sphere4, filled(4, 1.1))));
    time("non-dominated sort 1000 x 2 uniform", p -> NonDominatedSorting.sort(uniform2).size());
    time("non-dominated sort 1000 x 3 uniform", p -> NonDominatedSorting.sort(uniform3).size());
    time(
        "non-dominated sort 1000 x 3, one front (sphere)",
        p -> NonDominatedSorting.sort(sphere3).size());
    time("non-dominated sort 1000 x 5 uniform", p -> NonDominatedSorting.sort(uniform5).size());
    time("crowding distance 1000 x 3", p -> sum(CrowdingDistance.compute(sphere3)));
  }

  private static void time(String name, ToDoubleFunction<Void> call) {
    double sink = 0.0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < WARMUP_NANOS) {
      sink += call.applyAsDouble(null);
    }
    long[] samples = new long[1 << 20];
    int count = 0;
    start = System.nanoTime();
    while (System.nanoTime() - start < MEASURE_NANOS && count < samples.length) {
      long before = System.nanoTime();
      sink += call.applyAsDouble(null);
      samples[count++] = System.nanoTime() - before;
    }
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-48s %12.1f %12.1f %8d%s%n",
        name,
        sorted[count / 2] / 1e3,
        sorted[(int) (count * 0.9)] / 1e3,
        count,
        Double.isNaN(sink) ? " (NaN!)" : "");
  }

  private static double sum(double[] values) {
    double total = 0.0;
    for (double v : values) {
      total += Double.isInfinite(v) ? 0.0 : v;
    }
    return total;
  }

  private static double[] filled(int m, double value) {
    double[] result = new double[m];
    Arrays.fill(result, value);
    return result;
  }

  private static double[][] zdt1(Random random, int n) {
    double[][] points = new double[n][];
    for (int i = 0; i < n; i++) {
      double x = random.nextDouble();
      points[i] = new double[] {x, 1.0 - Math.sqrt(x)};
    }
    return points;
  }

  private static double[][] uniform(Random random, int n, int m) {
    double[][] points = new double[n][m];
    for (double[] p : points) {
      for (int j = 0; j < m; j++) {
        p[j] = random.nextDouble();
      }
    }
    return points;
  }

  private static double[][] sphere(Random random, int n, int m) {
    double[][] points = new double[n][m];
    for (double[] p : points) {
      double norm = 0.0;
      for (int j = 0; j < m; j++) {
        p[j] = Math.abs(random.nextGaussian()) + 1e-9;
        norm += p[j] * p[j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < m; j++) {
        p[j] /= norm;
      }
    }
    return points;
  }
}
