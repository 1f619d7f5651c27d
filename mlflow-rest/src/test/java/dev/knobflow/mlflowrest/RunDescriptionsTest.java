package dev.knobflow.mlflowrest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunDescriptionsTest {

  @Test
  void partsAreJoinedInOrderWhenTheyFit() {
    assertEquals("summary\n\nadvisor", RunDescriptions.compose(List.of("summary", "advisor"), 200));
  }

  @Test
  void aLongPartIsShortenedAndTheShortOneKeptWhole() {
    String summary = "S".repeat(300);
    String advisor = "A".repeat(9000);
    String text = RunDescriptions.compose(List.of(summary, advisor), 8000);
    assertEquals(8000, text.length());
    assertTrue(text.startsWith(summary + "\n\nAAA"), text.substring(0, 320));
    assertTrue(text.endsWith(RunDescriptions.TRUNCATED));
  }

  @Test
  void twoLongPartsShareTheLimitAndBothStayVisible() {
    String text = RunDescriptions.compose(List.of("S".repeat(9000), "A".repeat(9000)), 8000);
    assertEquals(8000, text.length());
    int advisorStart = text.indexOf("\n\nA");
    assertTrue(advisorStart > 3000 && advisorStart < 5000, "split at " + advisorStart);
  }
}
