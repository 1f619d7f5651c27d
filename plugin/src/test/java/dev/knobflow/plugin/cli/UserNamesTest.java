package dev.knobflow.plugin.cli;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyNames;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.storage.JournalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What users name (studies, parameter values) cannot steer where or what Knobflow writes. */
class UserNamesTest {

  private static final String ESCAPING = "a/../../../../elsewhere";
  private static final String SCRIPT = "<script>alert(1)</script>";

  @TempDir Path dir;

  /** A journal holding a study with a name today's rule rejects, as an older version wrote it. */
  private Path journalWithEscapingName() throws IOException {
    Path journal = dir.resolve("j.jsonl");
    try (JournalStorage storage = JournalStorage.open(journal)) {
      Study study =
          Study.builder("placeholder-name")
              .objectives(Objective.minimize("loss"))
              .storage(storage)
              .seed(1)
              .build();
      for (int i = 0; i < 3; i++) {
        Trial t = study.ask();
        String c = t.suggestCategorical("c", SCRIPT, "plain");
        study.tell(t, TrialResult.of(c.equals("plain") ? 2.0 : 1.0 + i));
      }
    }
    Files.writeString(
        journal, Files.readString(journal).replace("\"placeholder-name\"", "\"" + ESCAPING + "\""));
    return journal;
  }

  @Test
  void reportOfAStudyNamedWithDotDotWritesInsideTheWorkingDirectory() throws Exception {
    Path journal = journalWithEscapingName();
    Path cwd = Path.of("").toAbsolutePath();
    Path escaped = cwd.resolve("knobflow-report-" + ESCAPING).normalize();
    Path expected = cwd.resolve("knobflow-report-" + StudyNames.fileSafe(ESCAPING));
    assertFalse(Files.exists(escaped), "left over from an earlier run: " + escaped);
    try {
      CliRun r = cli("report", ESCAPING, "--storage", "journal:" + journal, "--no-mlflow");
      assertEquals(0, r.exit(), r.err());
      assertFalse(Files.exists(escaped), "wrote outside the working directory: " + escaped);
      assertEquals(cwd, expected.getParent());
      assertTrue(Files.isRegularFile(expected.resolve("summary.md")), r.out());
      assertTrue(Files.isRegularFile(expected.resolve("report.html")), r.out());
      String md = Files.readString(expected.resolve("summary.md"));
      assertFalse(md.contains("<script>"), md);
      assertTrue(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), md);
      String html = Files.readString(expected.resolve("report.html"));
      assertFalse(html.contains(SCRIPT), "the HTML report escapes it too");
    } finally {
      deleteTree(expected);
    }
  }

  @Test
  void aStudyFileWithAPathAsNameIsBadInputNamingTheField() throws Exception {
    Files.writeString(
        dir.resolve("study.yaml"),
        """
        name: a/../../../../elsewhere
        objectives: [{name: loss, direction: minimize}]
        space: {x: {type: float, low: 0, high: 1}}
        objective: {command: [echo, '{"loss": 1}']}
        """);
    CliRun r = cli("tune", dir.resolve("study.yaml").toString());
    assertEquals(2, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("name"), r.err());
    assertTrue(r.err().contains(StudyNames.RULE), r.err());
  }

  @Test
  void theShowItHintQuotesAStoragePathWithSpaces() throws Exception {
    Path spaced = Files.createDirectories(dir.resolve("my runs"));
    Files.writeString(
        spaced.resolve("study.yaml"),
        """
        name: quoted
        storage: journal:j s.jsonl
        objectives: [{name: loss, direction: minimize}]
        space: {x: {type: float, low: 0, high: 1}}
        trials: 2
        objective: {command: [echo, '{"loss": 1}']}
        """);
    CliRun r = cli("tune", spaced.resolve("study.yaml").toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("Show it: knobflow show quoted --storage 'journal:"), r.out());
    assertTrue(r.out().contains("j s.jsonl'\n"), r.out());
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
