package dev.knobflow.plugin.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Study-file errors name the real problem. */
class StudyFileMessagesTest {

  @TempDir Path dir;

  private static String problems(String yaml, Path dir) {
    return assertThrows(
            StudyFileException.class,
            () -> StudyFileParser.standard().parse(yaml, dir, "study.yaml"))
        .getMessage();
  }

  private static final String COMMAND_STUDY =
      """
      name: m
      objectives: [{name: loss, direction: minimize}]
      trials: 3
      objective: {command: [echo, '{"loss": 1}']}
      space:
      """;

  @Test
  void intBoundsOfTheWholeLongRangeNameTheRangeNotWholeness() {
    String message =
        problems(
            COMMAND_STUDY
                + "  n: {type: int, low: -9223372036854775807, high: 9223372036854775807}\n",
            dir);
    assertFalse(message.contains("whole number"), message);
    assertTrue(message.contains("space.n.high"), message);
    assertTrue(message.contains("high - low must be less than 2^63-1"), message);
  }

  @Test
  void largeButValidIntBoundsAreExact() {
    StudyConfig config =
        StudyFileParser.standard()
            .parse(
                COMMAND_STUDY + "  n: {type: int, low: 0, high: 9223372036854775806}\n",
                dir,
                "study.yaml");
    assertTrue(config.space().distributions().get("n").toString().contains("9223372036854775806"));
  }

  @Test
  void anInvalidParameterDoesNotAlsoReportTheSpaceMissing() {
    String message = problems(COMMAND_STUDY + "  x: {type: float, low: 1, high: 0}\n", dir);
    assertTrue(message.contains("space.x.low"), message);
    assertFalse(message.contains("space: missing"), message);
  }

  @Test
  void aBinaryFileSaysItIsNotText() throws Exception {
    Path file = dir.resolve("study.yaml");
    Files.write(file, new byte[] {0, 1, (byte) 0xff, (byte) 0xfe, 0x42});
    String message =
        assertThrows(StudyFileException.class, () -> StudyFileParser.standard().parse(file))
            .getMessage();
    assertFalse(message.contains("Input length"), message);
    assertTrue(message.contains("is not UTF-8 text"), message);
  }
}
