package dev.knobflow.examples.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MlpConfigTest {

  @Test
  void aPropertyWinsOverTheEnvironmentWhichWinsOverTheDefault() {
    MlpConfig c =
        MlpConfig.from(
            Map.of("knobflow.djl.epochs", "5"),
            Map.of("KNOBFLOW_DJL_EPOCHS", "9", "KNOBFLOW_DJL_DATASET", "/data/x.csv"));
    assertEquals(5, c.epochs());
    assertEquals(Optional.of(Path.of("/data/x.csv")), c.data().dataset());
    assertEquals(MlpConfig.defaults().data().testFraction(), c.data().testFraction());
  }

  @Test
  void aBadValueNamesTheSettingAndWhatIsAllowed() {
    IllegalArgumentException notANumber =
        assertThrows(
            IllegalArgumentException.class,
            () -> MlpConfig.from(Map.of("knobflow.djl.epochs", "many"), Map.of()));
    assertTrue(notANumber.getMessage().contains("'epochs'"), notANumber.getMessage());
    assertTrue(notANumber.getMessage().contains("KNOBFLOW_DJL_EPOCHS"), notANumber.getMessage());
    IllegalArgumentException outOfRange =
        assertThrows(
            IllegalArgumentException.class,
            () -> MlpConfig.from(Map.of(), Map.of("KNOBFLOW_DJL_TEST_FRACTION", "1.5")));
    assertTrue(outOfRange.getMessage().contains("between 0 and 1"), outOfRange.getMessage());
  }

  @Test
  void paramsRejectAnUnknownOptimizerNamingTheChoices() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new MlpParams(0.1, 1, 16, 32, "rmsprop"));
    assertTrue(e.getMessage().contains("optimizer"), e.getMessage());
    assertTrue(e.getMessage().contains("[sgd, adam]"), e.getMessage());
  }

  @Test
  void theDeclaredSpaceReachesDivergingLearningRates() {
    var space = MlpParams.searchSpace().distributions();
    assertTrue(space.get("lr").contains(10.0) && space.get("lr").contains(1e-4));
    assertEquals(CategoricalDistribution.of(MlpParams.OPTIMIZERS), space.get("optimizer"));
  }
}
