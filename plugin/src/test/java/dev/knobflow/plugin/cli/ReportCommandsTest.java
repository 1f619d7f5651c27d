package dev.knobflow.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.plugin.report.ReportFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandsTest {

  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private String journal() {
    return "journal:" + dir.resolve("journal.jsonl");
  }

  @Test
  void reportWritesHtmlMarkdownAndChartsForAJournalStudy() throws Exception {
    java.util.List<FrozenTrial> front;
    try (JournalStorage storage = JournalStorage.open(dir.resolve("journal.jsonl"))) {
      front = ReportFixtures.study("two-obj", 2, 30, storage).paretoFront();
    }
    assertTrue(!front.isEmpty());
    Path out = dir.resolve("report");
    Result r =
        run("report", "two-obj", "--storage", journal(), "--out", out.toString(), "--no-mlflow");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("written to " + out.toAbsolutePath()), r.out());
    for (String file :
        new String[] {"report.html", "summary.md", "pareto.png", "history.png", "parallel.png"}) {
      assertTrue(Files.size(out.resolve(file)) > 500, file);
      assertTrue(r.out().contains("  " + file + "\n"), r.out());
    }
    String html = Files.readString(out.resolve("report.html"));
    for (FrozenTrial t : front) {
      assertTrue(html.contains("<tr class=\"pareto-row\"><td>" + t.number() + "</td>"));
    }
  }

  @Test
  void importancePrintsATableWithTheDominantParameterFirst() throws Exception {
    try (JournalStorage storage = JournalStorage.open(dir.resolve("journal.jsonl"))) {
      Study study =
          Study.builder("quad")
              .objectives(dev.knobflow.optimizers.Objective.minimize("f"))
              .storage(storage)
              .sampler(RandomSampler.seeded(3))
              .build();
      for (int i = 0; i < 200; i++) {
        Trial t = study.ask();
        double x1 = t.suggestFloat("x1", 0, 1);
        double x2 = t.suggestFloat("x2", 0, 1);
        study.tell(t, TrialResult.of(10 * (x1 - 0.5) * (x1 - 0.5) + 0 * x2));
      }
    }
    Result r = run("importance", "quad", "--storage", journal());
    assertEquals(0, r.exit(), r.err());
    String[] lines = r.out().split("\n");
    assertTrue(
        lines[0].startsWith("Parameter importance (PED-ANOVA, best 10% vs all 200"), r.out());
    assertTrue(lines[2].matches("parameter\\s+f\\s*"), r.out());
    assertTrue(lines[3].startsWith("x1 "), r.out());
    double x1 = Double.parseDouble(lines[3].substring(3).trim());
    assertTrue(x1 > 0.8, r.out());
  }

  @Test
  void importanceOfAnUnknownObjectiveIsBadInputWithASuggestion() throws Exception {
    try (JournalStorage storage = JournalStorage.open(dir.resolve("journal.jsonl"))) {
      ReportFixtures.study("three", 3, 20, storage);
    }
    Result r = run("importance", "three", "--storage", journal(), "--objective", "acuracy");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no objective 'acuracy'"), r.err());
    assertTrue(r.err().contains("accuracy"), r.err());

    Result one = run("importance", "three", "--storage", journal(), "--objective", "latency_ms");
    assertEquals(0, one.exit(), one.err());
    assertTrue(one.out().split("\n")[2].matches("parameter\\s+latency_ms\\s*"), one.out());
  }

  @Test
  void unknownStudyIsBadInputListingTheStudies() throws Exception {
    try (JournalStorage storage = JournalStorage.open(dir.resolve("journal.jsonl"))) {
      ReportFixtures.study("alpha", 1, 5, storage);
    }
    Result r = run("report", "alpa", "--storage", journal(), "--out", dir.resolve("x").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no study 'alpa'"), r.err());
    assertTrue(r.err().contains("alpha"), r.err());
    assertTrue(!Files.exists(dir.resolve("x")));
  }
}
