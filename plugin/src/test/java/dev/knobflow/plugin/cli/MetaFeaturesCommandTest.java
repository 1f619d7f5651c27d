package dev.knobflow.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MetaFeaturesCommandTest {

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

  Path iris() throws Exception {
    Path file = dir.resolve("iris.csv");
    try (InputStream in = getClass().getResourceAsStream("/datasets/iris.csv")) {
      Files.copy(in, file);
    }
    return file;
  }

  @Test
  void printsTheIrisMetaFeaturesAsATableAndAsTags() throws Exception {
    Path csv = iris();
    Result table = run("meta-features", csv.toString(), "--target", "target");
    assertEquals(0, table.exit(), table.err());
    assertTrue(table.out().contains("task"), table.out());
    assertTrue(table.out().matches("(?s).*\\brows\\s+150\\b.*"), table.out());
    assertTrue(table.out().matches("(?s).*\\bclasses\\s+3\\b.*"), table.out());

    Result tags = run("meta-features", csv.toString(), "--target", "target", "--format", "tags");
    assertEquals(0, tags.exit(), tags.err());
    assertTrue(tags.out().contains("knobflow.meta.rows=150.0\n"), tags.out());
    assertTrue(tags.out().contains("knobflow.meta.features=4.0\n"), tags.out());
  }

  @Test
  void unknownTargetColumnIsBadInputNamingTheColumns() throws Exception {
    Result r = run("meta-features", iris().toString(), "--target", "label");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("label"), r.err());
    assertTrue(r.err().contains("sepal_length_cm"), r.err());
  }

  @Test
  void missingFileIsBadInput() {
    Result r = run("meta-features", dir.resolve("nope.csv").toString(), "--target", "y");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no such file"), r.err());
  }
}
