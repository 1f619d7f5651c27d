package dev.knobflow.advisor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.advisor.space.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * The incremental median stopping ({@link CompletedCurves}) against the straightforward pass over
 * every completed curve, on fixed-seed random studies.
 */
class CompletedCurvesTest {

  private enum State {
    COMPLETE,
    PRUNED,
    FAIL
  }

  /** A finished trial as storage holds it. */
  private record Stored(int number, State state, Curve curve) {}

  /** A trial being run by a worker: its whole planned curve and how far it got. */
  private static final class Running {
    final int number;
    final Curve planned;
    final boolean fails;
    int reported;

    Running(int number, Curve planned, boolean fails) {
      this.number = number;
      this.planned = planned;
      this.fails = fails;
    }
  }

  /**
   * Several workers run trials of random lengths and step grids (some with NaN or infinite values,
   * some failing part-way); each worker diagnoses its trial at every report, keeps its own index
   * and feeds it from a possibly stale read of the shared storage, in shuffled order and again and
   * again. At every report the diagnosis from the index equals the straightforward one over the
   * same completed trials; UNDERPERFORMING prunes the trial, so pruned trials are in storage too.
   */
  @Test
  void theIncrementalDiagnosisEqualsTheStraightforwardOneOnRandomStudiesWithSeveralWorkers() {
    List<DiagnosticsConfig> configs =
        List.of(
            DiagnosticsConfig.defaults(),
            DiagnosticsConfig.builder()
                .medianMinTrials(3)
                .medianMarginRtol(0.05)
                .medianWarmup(2)
                .medianPatience(3)
                .build(),
            DiagnosticsConfig.builder().medianMinTrials(1).medianMarginRtol(0).build());
    Map<DiagnosisKind, Integer> total = new EnumMap<>(DiagnosisKind.class);
    int compared = 0;
    for (long seed = 1; seed <= 3; seed++) {
      for (DiagnosticsConfig config : configs) {
        Direction direction = seed % 2 == 0 ? Direction.MAXIMIZE : Direction.MINIMIZE;
        compared += runStudy(new Random(seed), config, direction, 4, 80, total);
      }
    }
    assertTrue(compared > 12_000, "reports compared: " + compared);
    // The comparison is not vacuous: median stopping fired often, and so did the other rules.
    assertTrue(total.getOrDefault(DiagnosisKind.UNDERPERFORMING, 0) > 200, total.toString());
    assertTrue(total.getOrDefault(DiagnosisKind.DIVERGING, 0) > 10, total.toString());
    assertTrue(total.getOrDefault(DiagnosisKind.HEALTHY, 0) > 1_000, total.toString());
  }

  private static int runStudy(
      Random rnd,
      DiagnosticsConfig config,
      Direction direction,
      int workers,
      int trials,
      Map<DiagnosisKind, Integer> total) {
    CurveDiagnostics diagnostics = CurveDiagnostics.of(config);
    List<Stored> storage = new ArrayList<>();
    List<CompletedCurves> indexes = new ArrayList<>();
    Running[] running = new Running[workers];
    int next = 0;
    int compared = 0;
    for (int w = 0; w < workers; w++) {
      indexes.add(CompletedCurves.of(direction));
    }
    while (true) {
      List<Integer> busy = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        if (running[w] == null && next < trials) {
          running[w] = new Running(next, randomCurve(rnd, direction), rnd.nextInt(12) == 0);
          next++;
        }
        if (running[w] != null) {
          busy.add(w);
        }
      }
      if (busy.isEmpty()) {
        break;
      }
      // One report of one worker at a time, in random order: trials finish out of order.
      int w = busy.get(rnd.nextInt(busy.size()));
      Running t = running[w];
      t.reported++;
      Curve sofar = new Curve(t.planned.points().subList(0, t.reported));
      // This worker's read of storage: maybe stale (a prefix), in any order, read again each time.
      int visible = storage.size() - Math.min(storage.size(), rnd.nextInt(3));
      List<Stored> seen = new ArrayList<>(storage.subList(0, visible));
      Collections.shuffle(seen, rnd);
      for (Stored s : seen) {
        if (s.state() == State.COMPLETE) {
          indexes.get(w).add(s.number(), s.curve());
        }
      }
      // The index holds everything it was ever fed; the reference is what storage showed.
      List<Curve> reference = completedIn(storage, indexes.get(w));
      Diagnosis expected = diagnostics.diagnose(sofar, direction, reference);
      Diagnosis actual = diagnostics.diagnose(sofar, direction, indexes.get(w));
      assertEquals(expected, actual, () -> "trial " + t.number + " at " + sofar.lastStep());
      compared++;
      total.merge(actual.kind(), 1, Integer::sum);
      State end = null;
      if (actual.kind() == DiagnosisKind.UNDERPERFORMING) {
        end = State.PRUNED;
      } else if (t.fails && t.reported == t.planned.size() / 2) {
        end = State.FAIL;
      } else if (t.reported == t.planned.size()) {
        end = State.COMPLETE;
      }
      if (end != null) {
        storage.add(new Stored(t.number, end, sofar));
        running[w] = null;
      }
    }
    return compared;
  }

  /** The curves of the completed trials that {@code index} was fed, in storage order. */
  private static List<Curve> completedIn(List<Stored> storage, CompletedCurves index) {
    List<Curve> out = new ArrayList<>();
    for (Stored s : storage) {
      if (s.state() == State.COMPLETE && index.contains(s.number())) {
        out.add(s.curve());
      }
    }
    return out;
  }

  /**
   * A random curve: 1 to 100 points on a grid starting at 0 or 1 with gaps, a learner, a slow
   * learner, a swinger or a flat line, values rounded so that ties are common, sometimes NaN,
   * infinite or signed zeros.
   */
  private static Curve randomCurve(Random rnd, Direction direction) {
    int n = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(8) : 50 + rnd.nextInt(51);
    long[] steps = new long[n];
    double[] values = new double[n];
    long step = rnd.nextInt(2);
    int shape = rnd.nextInt(4);
    double start = 0.5 + rnd.nextDouble();
    double rate = 0.002 + 0.1 * rnd.nextDouble();
    for (int i = 0; i < n; i++) {
      steps[i] = step;
      step += rnd.nextInt(8) == 0 ? 2 + rnd.nextInt(3) : 1;
      double loss =
          switch (shape) {
            case 0 -> start * Math.exp(-rate * i);
            case 1 -> start * (1 - 0.002 * i);
            case 2 -> start * Math.exp(-rate * i) * (1 + 0.5 * Math.sin(i * 1.7));
            default -> start;
          };
      double v = Math.round(loss * 50) / 50.0;
      int r = rnd.nextInt(400);
      if (r == 0) {
        v = Double.NaN;
      } else if (r == 1) {
        v = Double.POSITIVE_INFINITY;
      } else if (r < 6) {
        v = r % 2 == 0 ? 0.0 : -0.0;
      }
      values[i] = direction == Direction.MINIMIZE ? v : 1 - v;
    }
    return Curve.of(steps, values);
  }

  @Test
  void theRunningMedianIsTheSortedMiddleIncludingTiesAndSignedZeros() {
    Random rnd = new Random(7);
    RunningMedian m = new RunningMedian(0);
    List<Double> all = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      double v =
          switch (rnd.nextInt(5)) {
            case 0 -> 0.0;
            case 1 -> -0.0;
            case 2 -> rnd.nextInt(5);
            default -> rnd.nextGaussian();
          };
      m.add(v);
      all.add(v);
      double[] sorted = all.stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(sorted);
      int k = sorted.length / 2;
      double expected = sorted.length % 2 == 1 ? sorted[k] : (sorted[k - 1] + sorted[k]) / 2;
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(m.median()));
    }
  }

  @Test
  void aTrialIsAddedOnceAndTheDirectionMustMatch() {
    CompletedCurves index = CompletedCurves.of(Direction.MINIMIZE);
    assertTrue(index.add(3, Curve.ofValues(1, 2, 3)));
    assertFalse(index.add(3, Curve.ofValues(9, 9, 9, 9)));
    assertTrue(index.contains(3));
    assertEquals(1, index.size());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CurveDiagnostics.withDefaults()
                    .diagnose(Curve.ofValues(1, 2, 3, 4, 5, 6), Direction.MAXIMIZE, index));
    assertTrue(e.getMessage().contains("MINIMIZE"), e.getMessage());
  }

  /**
   * Trial threads feed and read one index at the same time: nothing fails, no trial is lost, and
   * the final figures equal the straightforward ones over all the trials.
   */
  @Test
  void threadsFeedingAndReadingOneIndexAtOnceEndWithTheStraightforwardFigures() throws Exception {
    Random rnd = new Random(11);
    List<Curve> curves = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      curves.add(randomCurve(rnd, Direction.MINIMIZE));
    }
    CompletedCurves index = CompletedCurves.of(Direction.MINIMIZE);
    CurveDiagnostics diagnostics =
        CurveDiagnostics.of(
            DiagnosticsConfig.builder().medianMinTrials(3).medianMarginRtol(0.05).build());
    Curve probe = Curve.ofValues(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = offset; i < curves.size(); i += threads) {
                    index.add(i, curves.get(i));
                    diagnostics.diagnose(probe, Direction.MINIMIZE, index);
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              });
      thread.start();
      all.add(thread);
    }
    for (Thread thread : all) {
      thread.join();
    }
    assertTrue(errors.isEmpty(), errors.toString());
    assertEquals(curves.size(), index.size());
    for (int n = 5; n <= probe.size(); n++) {
      Curve prefix = new Curve(probe.points().subList(0, n));
      assertEquals(
          diagnostics.diagnose(prefix, Direction.MINIMIZE, curves),
          diagnostics.diagnose(prefix, Direction.MINIMIZE, index));
    }
  }
}
