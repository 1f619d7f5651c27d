package dev.knobflow.examples.xgboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class XgbConfigTest {

  @Test
  void withNothingSetTheDefaultsApply() {
    assertEquals(XgbConfig.defaults(), XgbConfig.from(Map.of(), Map.of()));
    assertEquals(100, XgbConfig.defaults().rounds());
    assertEquals(Optional.empty(), XgbConfig.defaults().data().dataset());
  }

  @Test
  void environmentVariablesOverrideDefaultsAndPropertiesOverrideEnvironment() {
    XgbConfig c =
        XgbConfig.from(
            Map.of("knobflow.xgb.rounds", "30"),
            Map.of(
                "KNOBFLOW_XGB_ROUNDS", "50",
                "KNOBFLOW_XGB_FOLDS", "5",
                "KNOBFLOW_XGB_TEST_FRACTION", "0.2",
                "KNOBFLOW_XGB_DATASET", "data/x.csv"));
    assertEquals(30, c.rounds());
    assertEquals(5, c.folds());
    assertEquals(0.2, c.data().testFraction());
    assertEquals(Optional.of(Path.of("data/x.csv")), c.data().dataset());
  }

  @Test
  void malformedAndOutOfRangeValuesNameTheSetting() {
    IllegalArgumentException notNumber =
        assertThrows(
            IllegalArgumentException.class,
            () -> XgbConfig.from(Map.of(), Map.of("KNOBFLOW_XGB_ROUNDS", "many")));
    assertEquals(
        "XGBoost example setting 'rounds' (knobflow.xgb.rounds / KNOBFLOW_XGB_ROUNDS) must be a"
            + " whole number, got 'many'",
        notNumber.getMessage());
    IllegalArgumentException oneFold =
        assertThrows(
            IllegalArgumentException.class,
            () -> XgbConfig.from(Map.of("knobflow.xgb.folds", "1"), Map.of()));
    assertEquals(
        "XGBoost example setting 'folds' (knobflow.xgb.folds / KNOBFLOW_XGB_FOLDS) must be 0"
            + " (hold-out) or at least 2, got 1",
        oneFold.getMessage());
  }
}
