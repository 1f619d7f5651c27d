package dev.knobflow.optimizers.distributions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistributionTest {

  @Test
  void lowNotBelowHighIsRejectedNamingTheField() {
    InvalidDistributionException e =
        assertThrows(InvalidDistributionException.class, () -> FloatDistribution.of(0.3, 0.01));
    assertEquals("low", e.field());
    assertEquals(
        "space.eta.low: must be less than high (0.01), got 0.3",
        e.withPath("space.eta").getMessage());
    assertThrows(InvalidDistributionException.class, () -> IntDistribution.of(5, 5));
  }

  @Test
  void logWithNonPositiveLowIsRejected() {
    InvalidDistributionException e =
        assertThrows(InvalidDistributionException.class, () -> FloatDistribution.logOf(0, 1));
    assertEquals("low", e.field());
    assertTrue(e.getMessage().contains("greater than 0"));
    assertThrows(InvalidDistributionException.class, () -> IntDistribution.logOf(0, 10));
  }

  @Test
  void emptyOrRepeatedChoicesAreRejected() {
    InvalidDistributionException empty =
        assertThrows(
            InvalidDistributionException.class, () -> new CategoricalDistribution(List.of()));
    assertEquals("choices", empty.field());
    assertThrows(InvalidDistributionException.class, () -> CategoricalDistribution.of("a", "a"));
    assertThrows(InvalidDistributionException.class, () -> CategoricalDistribution.of(1, 1L));
  }

  @Test
  void stepLargerThanTheRangeIsRejected() {
    InvalidDistributionException f =
        assertThrows(InvalidDistributionException.class, () -> FloatDistribution.stepped(0, 1, 2));
    assertEquals("step", f.field());
    assertThrows(InvalidDistributionException.class, () -> IntDistribution.stepped(0, 4, 5));
    assertThrows(InvalidDistributionException.class, () -> IntDistribution.stepped(0, 4, 0));
    assertThrows(InvalidDistributionException.class, () -> new FloatDistribution(1, 2, true, 0.5));
  }

  @Test
  void spaceBuilderNamesTheParameterInErrors() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SearchSpace.builder().floatParam("eta", 1, 0).build());
    assertTrue(e.getMessage().startsWith("space.eta.low:"), e.getMessage());
  }

  @Test
  void categoricalAcceptsStringsNumbersAndBooleans() {
    CategoricalDistribution d = CategoricalDistribution.of("gbtree", 3, 0.5, true);
    assertTrue(d.contains("gbtree"));
    assertTrue(d.contains(3L));
    assertTrue(d.contains(3.0));
    assertTrue(d.contains(true));
    assertFalse(d.contains("dart"));
    assertEquals(4, d.size());
  }

  @Test
  void fromUnitCoversTheWholeRangeAndStaysInside() {
    SplittableRandom random = new SplittableRandom(1);
    IntDistribution ints = IntDistribution.of(2, 10);
    boolean[] seen = new boolean[9];
    for (int i = 0; i < 2000; i++) {
      long v = (Long) ints.fromUnit(random.nextDouble());
      assertTrue(v >= 2 && v <= 10);
      seen[(int) v - 2] = true;
    }
    for (boolean s : seen) {
      assertTrue(s, "every integer of the range is sampled");
    }
    assertEquals(0.0, (Double) FloatDistribution.of(0, 1).fromUnit(0));
    assertEquals(1.0, (Double) FloatDistribution.of(0, 1).fromUnit(1));
  }

  @Test
  void steppedFloatsLandOnTheGrid() {
    FloatDistribution d = FloatDistribution.stepped(0.1, 1.0, 0.3);
    assertEquals(4, d.size());
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 200; i++) {
      Object v = d.fromUnit(random.nextDouble());
      assertTrue(d.contains(v), "on the grid: " + v);
    }
  }

  @Test
  void logSamplingIsUniformInLogSpace() {
    FloatDistribution d = FloatDistribution.logOf(1e-4, 1);
    SplittableRandom random = new SplittableRandom(3);
    int n = 20_000;
    int[] decades = new int[4];
    for (int i = 0; i < n; i++) {
      double v = (Double) d.fromUnit(random.nextDouble());
      decades[Math.min(3, (int) Math.floor(-Math.log10(v)))]++;
    }
    // Each decade holds a quarter of the mass; binomial sd is about 0.3% here.
    for (int count : decades) {
      assertEquals(0.25, count / (double) n, 0.015);
    }
  }

  @Test
  void toUnitInvertsFromUnit() {
    FloatDistribution d = FloatDistribution.logOf(0.01, 0.3);
    for (double u : new double[] {0, 0.2, 0.5, 0.9, 1}) {
      assertEquals(u, d.toUnit(d.fromUnit(u)), 1e-12);
    }
    IntDistribution ints = IntDistribution.of(0, 9);
    assertEquals(5L, ints.fromUnit(ints.toUnit(5L)));
  }
}
