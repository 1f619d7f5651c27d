package dev.knobflow.advisor.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CurveTest {

  @Test
  void downsampleKeepsFirstLastExtremesAndFirstNonFinite() {
    double[] v = new double[1000];
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.sin(i / 10.0);
    }
    v[333] = -5;
    v[777] = 9;
    v[901] = Double.NaN;
    Curve small = Curve.ofValues(v).downsample(50);
    List<Long> steps = small.points().stream().map(CurvePoint::step).toList();
    assertTrue(small.size() <= 50 && small.size() >= 45, "size " + small.size());
    for (long s : new long[] {0, 999, 333, 777, 901}) {
      assertTrue(steps.contains(s), "missing step " + s);
    }
  }

  @Test
  void shortCurveIsReturnedUnchanged() {
    Curve c = Curve.ofValues(1, 2, 3);
    assertSame(c, c.downsample(50));
  }

  @Test
  void stepsMustIncrease() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Curve.of(new long[] {0, 2, 2}, new double[] {1, 2, 3}));
    assertTrue(e.getMessage().contains("strictly increasing"));
    assertEquals(2, Curve.of(new long[] {0, 2}, new double[] {1, 2}).lastStep());
  }
}
