package dev.knobflow.optimizers.schedulers.hyperband;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetSettingsTest {

  @Test
  void hyperbandBracketsMatchTheClassicTableOfLiEtAl() {
    BudgetSettings settings = BudgetSettings.of(1, 81);
    assertEquals(4, settings.maxBracket());
    List<Bracket> brackets = settings.brackets();
    int[][] expectedConfigs = {{81, 27, 9, 3, 1}, {34, 11, 3, 1}, {15, 5, 1}, {8, 2}, {5}};
    double[][] expectedBudgets = {{1, 3, 9, 27, 81}, {3, 9, 27, 81}, {9, 27, 81}, {27, 81}, {81}};
    assertEquals(5, brackets.size());
    for (int b = 0; b < 5; b++) {
      Bracket bracket = brackets.get(b);
      assertEquals(4 - b, bracket.s());
      assertEquals(expectedConfigs[b].length, bracket.rungCount());
      for (int i = 0; i < bracket.rungCount(); i++) {
        assertEquals(expectedConfigs[b][i], bracket.configsAt(i), "s=" + bracket.s() + " i=" + i);
        assertEquals(expectedBudgets[b][i], bracket.budgetAt(i), 1e-9);
      }
    }
  }

  @Test
  void benchmarkRangeNineToSevenHundredTwentyNineHasFiveBrackets() {
    BudgetSettings settings = BudgetSettings.of(9, 729);
    assertEquals(4, settings.maxBracket());
    assertEquals(81, settings.bracket(4).configs());
    assertEquals(9, settings.bracket(4).baseBudget(), 1e-9);
    assertEquals(729, settings.bracket(0).baseBudget(), 1e-9);
  }

  @Test
  void nonPowerRangeFloorsTheBracketCount() {
    BudgetSettings settings = BudgetSettings.of(1, 100).withEta(3);
    assertEquals(4, settings.maxBracket());
    assertEquals(100.0 / 81, settings.bracket(4).baseBudget(), 1e-9);
  }

  @Test
  void badSettingsNameTheSetting() {
    var equal = assertThrows(IllegalArgumentException.class, () -> BudgetSettings.of(81, 81));
    assertTrue(equal.getMessage().contains("scheduler.min_budget"), equal.getMessage());
    assertTrue(equal.getMessage().contains("scheduler.max_budget"), equal.getMessage());
    var above = assertThrows(IllegalArgumentException.class, () -> BudgetSettings.of(100, 81));
    assertTrue(above.getMessage().contains("scheduler.min_budget"));
    var eta =
        assertThrows(IllegalArgumentException.class, () -> BudgetSettings.of(1, 81).withEta(1.5));
    assertTrue(eta.getMessage().contains("scheduler.eta"), eta.getMessage());
    var zero = assertThrows(IllegalArgumentException.class, () -> BudgetSettings.of(0, 81));
    assertTrue(zero.getMessage().contains("scheduler.min_budget"));
    assertThrows(
        IllegalArgumentException.class, () -> BudgetSettings.of(1, 81).withEta(Double.NaN));
  }
}
