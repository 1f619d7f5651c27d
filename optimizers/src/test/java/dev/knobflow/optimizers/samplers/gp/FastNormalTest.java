package dev.knobflow.optimizers.samplers.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.samplers.parzen.NormalMath;
import org.junit.jupiter.api.Test;

class FastNormalTest {

  @Test
  void cdfMatchesTheContinuedFractionErfcToARelativeTwoTenMillionths() {
    for (double z = -8; z <= 8; z += 0.01) {
      double exact = NormalMath.cdf(z);
      assertEquals(exact, FastNormal.cdf(z), 2e-7 * exact, "cdf at " + z);
    }
  }

  @Test
  void logCdfStaysAccurateAndFiniteFarInTheLowerTail() {
    for (double z = -60; z <= 6; z += 0.25) {
      double exact = NormalMath.logCdf(z);
      double fast = FastNormal.logCdf(z);
      assertTrue(Double.isFinite(fast), "finite at " + z);
      assertEquals(exact, fast, 2e-7 * Math.max(1, Math.abs(exact)), "log cdf at " + z);
    }
  }
}
