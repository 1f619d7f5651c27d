package dev.knobflow.plugin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void commonFormsParse() {
    assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
    assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1.5h"));
    assertEquals(Duration.ofDays(2), Durations.parse("2d"));
  }

  @Test
  void unitlessAndGarbageAreRejectedWithTheAcceptedForms() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("300"));
    assertTrue(e.getMessage().contains("add a unit"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("10 min"));
    assertTrue(e.getMessage().contains("1h30m"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("m10"));
  }

  @Test
  void formatIsShortAndReadable() {
    assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
    assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
    assertEquals("1.2s", Durations.format(Duration.ofMillis(1200)));
    assertEquals("2m5s", Durations.format(Duration.ofSeconds(125)));
  }
}
