package dev.knobflow.plugin.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgumentTemplateTest {

  @Test
  void numbersArePrintedPlainly() {
    assertEquals("7", ArgumentTemplate.format(7L));
    assertEquals("3.0", ArgumentTemplate.format(3.0));
    assertEquals("0.0001", ArgumentTemplate.format(1e-4));
    assertEquals("0.12345678901234566", ArgumentTemplate.format(0.12345678901234566));
    assertEquals("true", ArgumentTemplate.format(true));
  }

  @Test
  void placeholdersAreFilledAndOtherBracesLeftAlone() {
    ArgumentTemplate t = ArgumentTemplate.of("--cfg={\"lr\": {eta}} {{literal}} d={max_depth}");
    assertEquals(Set.of("eta", "max_depth"), t.placeholders());
    assertEquals("--cfg={\"lr\": 0.1} {literal} d=4", t.fill(Map.of("eta", 0.1, "max_depth", 4L)));
  }

  @Test
  void aPlaceholderWithoutValueIsAnError() {
    assertThrows(
        IllegalArgumentException.class, () -> ArgumentTemplate.of("{budget}").fill(Map.of()));
  }
}
