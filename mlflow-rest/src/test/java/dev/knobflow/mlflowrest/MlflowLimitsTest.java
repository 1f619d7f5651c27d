package dev.knobflow.mlflowrest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MlflowLimitsTest {

  private final MlflowLimits limits = MlflowLimits.mlflowDefaults();

  @Test
  void validKeysPass() {
    assertDoesNotThrow(() -> limits.validateKey("metric", "val/loss"));
    assertDoesNotThrow(() -> limits.validateKey("param", "model.lr-max: 1"));
    assertDoesNotThrow(() -> limits.validateKey("tag", "mlflow.note.content"));
  }

  @Test
  void invalidKeysAreRejectedNamingTheKeyAndRule() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> limits.validateKey("metric", "a*b"))
            .getMessage()
            .contains("metric key 'a*b' is invalid"));
    assertThrows(IllegalArgumentException.class, () -> limits.validateKey("param", "../x"));
    assertThrows(IllegalArgumentException.class, () -> limits.validateKey("param", "/abs"));
    assertThrows(IllegalArgumentException.class, () -> limits.validateKey("tag", ""));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> limits.validateKey("tag", "k".repeat(251)))
            .getMessage()
            .contains("at most 250"));
  }

  @Test
  void oversizedValuesAreTruncatedWithMarkerOrRejected() {
    String truncated =
        MlflowLimits.fitValue("param", "p", "y".repeat(6001), 6000, OversizedValuePolicy.TRUNCATE);
    assertEquals(6000, truncated.length());
    assertTrue(truncated.endsWith(MlflowLimits.TRUNCATION_MARKER));
    assertEquals(
        "short", MlflowLimits.fitValue("param", "p", "short", 6000, OversizedValuePolicy.REJECT));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MlflowLimits.fitValue(
                    "param", "notes", "y".repeat(6001), 6000, OversizedValuePolicy.REJECT));
    assertTrue(e.getMessage().contains("param 'notes' has a value of 6001 characters"));
  }
}
