package dev.knobflow.optimizers;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.JournalStorage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StudyNamesTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"xgb-demo", "a", "Study_2.v3", "0-start"})
  void plainNamesAreValidAndTheirOwnFileNames(String name) {
    assertEquals(name, StudyNames.check(name));
    assertEquals(name, StudyNames.fileSafe(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"apply-random(seed=11)", "my study", "étude", "a..b", "x$(y)"})
  void otherPrintableNamesAreValidAndEncodedAsFileNames(String name) {
    assertEquals(name, StudyNames.check(name));
    String safe = StudyNames.fileSafe(name);
    assertTrue(safe.matches("[A-Za-z0-9%._-]+"), safe);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "a/../../../../elsewhere", "..", ".hidden", "-rf", " a", "a ", "a\nb", "a\\b"})
  void anythingElseIsRejectedNamingTheRule(String name) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StudyNames.check(name));
    assertTrue(e.getMessage().contains(StudyNames.RULE), e.getMessage());
  }

  @Test
  void tooLongIsRejected() {
    assertDoesNotThrow(() -> StudyNames.check("a".repeat(StudyNames.MAX_LENGTH)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StudyNames.check("a".repeat(StudyNames.MAX_LENGTH + 1)));
    assertTrue(e.getMessage().contains("201 characters"), e.getMessage());
  }

  @Test
  void fileSafeNeverLeavesTheFolder() {
    for (String name : List.of("a/../../../../elsewhere", "..", ".", "/etc/passwd", "a\\..\\b")) {
      String safe = StudyNames.fileSafe(name);
      assertFalse(safe.contains("/") || safe.contains("\\"), safe);
      assertFalse(safe.startsWith("."), safe);
      Path base = dir.resolve("reports");
      assertEquals(base, base.resolve(safe).normalize().getParent(), safe);
    }
    assertEquals("a%2F..%2F..%2Felsewhere", StudyNames.fileSafe("a/../../elsewhere"));
  }

  @Test
  void everyStorageChecksNewStudiesButStillOpensExistingOnes() {
    List<Objective> objectives = List.of(Objective.minimize("loss"));
    IllegalArgumentException memory =
        assertThrows(
            IllegalArgumentException.class,
            () -> InMemoryStorage.create().createStudy("a/../b", objectives));
    assertTrue(memory.getMessage().startsWith("study name 'a/../b' is not allowed"));
    try (JournalStorage journal = JournalStorage.open(dir.resolve("j.jsonl"))) {
      assertThrows(IllegalArgumentException.class, () -> journal.createStudy("x/y", objectives));
      assertTrue(journal.studies().isEmpty(), "nothing was written for the rejected name");
      journal.createStudy("fine", objectives);
      assertDoesNotThrow(() -> journal.createStudy("fine", objectives));
    }
    assertThrows(IllegalArgumentException.class, () -> Study.builder("../up").build());
  }
}
