package dev.knobflow.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code knobflow tune} on a terminal (a pseudo-terminal): log lines and per-trial lines go above
 * the status line, never into it; the status line is gone before the summary; {@code --quiet} keeps
 * the status line alone; a study that meters no energy gets no energy line.
 */
class TerminalDisplayPtyTest {

  private static final String OBJECTIVE =
      """
      #!/bin/bash
      echo "hello from the objective" >&2
      echo '{"loss": 0.5}'
      """;

  private static final String STUDY =
      """
      name: on-a-terminal
      storage: journal:journal.jsonl
      objectives: [{name: loss, direction: minimize}]
      space: {x: {type: float, low: 0, high: 1}}
      trials: 4
      energy: {enabled: false}
      objective: {command: [bash, objective.sh]}
      """;

  private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d \\S+ .*");

  @TempDir Path dir;

  @Test
  void logAndTrialLinesGoAboveTheStatusLineWhichIsClearedBeforeTheSummary() throws Exception {
    String raw = tuneOnATerminal();
    List<String> shown = TerminalRendering.render(raw);

    assertTrue(raw.contains("EXIT 0"), raw);
    List<String> hellos =
        shown.stream().filter(l -> l.contains("hello from the objective")).toList();
    assertEquals(4, hellos.size(), String.join("\n", shown));
    for (String line : hellos) {
      assertTrue(LOG_LINE.matcher(line).matches(), "a log line of its own: " + line);
    }
    for (int trial = 0; trial < 4; trial++) {
      String mark = "] trial " + trial + " COMPLETE loss=0.5";
      assertTrue(shown.stream().anyMatch(l -> l.contains(mark)), mark + "\n" + raw);
    }
    assertTrue(raw.contains("on-a-terminal ["), "the status line was drawn\n" + raw);
    String afterSummary = raw.substring(raw.indexOf("Done: "));
    assertFalse(afterSummary.contains(" elapsed"), "no status line after the summary\n" + raw);
    assertFalse(raw.contains("Energy:"), "energy is not configured\n" + raw);
  }

  @Test
  void quietShowsTheStatusLineAloneAndTheSummary() throws Exception {
    String raw = tuneOnATerminal("--quiet");
    List<String> shown = TerminalRendering.render(raw);

    assertTrue(raw.contains("EXIT 0"), raw);
    assertTrue(raw.contains("on-a-terminal ["), "the status line was drawn\n" + raw);
    assertFalse(shown.stream().anyMatch(l -> l.contains("] trial ")), raw);
    assertFalse(raw.contains("hello from the objective"), "INFO logs are quiet\n" + raw);
    assertTrue(shown.stream().anyMatch(l -> l.startsWith("Done: 4 trials")), raw);
  }

  private String tuneOnATerminal(String... options) throws Exception {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux pseudo-terminals");
    assumeTrue(python3(), "python3 drives the pseudo-terminal");
    Files.writeString(dir.resolve("objective.sh"), OBJECTIVE);
    Files.writeString(dir.resolve("study.yaml"), STUDY);
    // The Ctrl-C driver runs a command on a pseudo-terminal; it presses Ctrl-C only once its
    // marker file exists, and this one never does.
    Path driver = dir.resolve("ctrl_c.py");
    try (InputStream in = getClass().getResourceAsStream("/dev/knobflow/plugin/faults/ctrl_c.py")) {
      Files.copy(in, driver);
    }
    List<String> command = new ArrayList<>();
    command.addAll(List.of("python3", driver.toString(), "pty", dir.resolve("never").toString()));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(Main.class.getName());
    command.add("tune");
    command.addAll(List.of(options));
    command.add(dir.resolve("study.yaml").toString());
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), out);
    return out;
  }

  private static boolean python3() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
