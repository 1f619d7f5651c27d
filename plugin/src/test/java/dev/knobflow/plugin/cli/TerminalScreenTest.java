package dev.knobflow.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.time.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class TerminalScreenTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TerminalScreen screen =
      new TerminalScreen(new PrintStream(bytes, true, StandardCharsets.UTF_8), 80);

  private List<String> shown() {
    return TerminalRendering.render(bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void linesPrintedWhileTheStatusLineShowsGoAboveIt() {
    screen.status("study [====>     ] 4/10 trials");
    screen.println("12:00:01 [main] INFO CommandObjective - trial 4 stderr: hello");
    screen.println("[5/10] trial 4 COMPLETE loss=0.5");

    assertEquals(
        List.of(
            "12:00:01 [main] INFO CommandObjective - trial 4 stderr: hello",
            "[5/10] trial 4 COMPLETE loss=0.5",
            "study [====>     ] 4/10 trials"),
        shown());
  }

  @Test
  void closingClearsTheStatusLineForGood() {
    screen.status("study 3/10 trials");
    screen.close();
    screen.status("study 4/10 trials");
    screen.println("Done: 4 trials");

    assertEquals(List.of("Done: 4 trials"), shown());
  }

  @Test
  void aStatusLineWiderThanTheTerminalIsCutSoItNeverWraps() {
    screen.status("x".repeat(200));

    assertEquals(79, shown().get(0).length());
  }

  @Test
  void theTerminalDisplayPrintsTrialLinesAboveTheStatusLineAndTheQuietOneTheStatusLineAlone() {
    for (boolean trialLines : new boolean[] {true, false}) {
      bytes.reset();
      TerminalScreen s =
          new TerminalScreen(new PrintStream(bytes, true, StandardCharsets.UTF_8), 120);
      FakeClock clock = FakeClock.manual();
      ProgressEstimate estimate =
          new ProgressEstimate(3, OptionalDouble.empty(), Optional.empty(), clock);
      TuneProgress.Terminal display =
          new TuneProgress.Terminal(s, "demo", estimate, trialLines, false);
      Study study =
          Study.builder("demo").objectives(Objective.minimize("loss")).listener(display).build();
      study.optimize(
          ObjectiveFunction.scalar(
              t -> {
                clock.advance(Duration.ofSeconds(10));
                return t.suggestFloat("x", 0, 1);
              }),
          OptimizeOptions.trials(3));
      List<String> before = shown();
      display.close();

      String last = before.get(before.size() - 1);
      assertTrue(last.startsWith("demo [====================] 3/3 trials | best loss="), last);
      assertTrue(last.endsWith(" | 30s elapsed"), last);
      long trialLinesShown = before.stream().filter(l -> l.contains("] trial ")).count();
      assertEquals(trialLines ? 3 : 0, trialLinesShown, String.join("\n", before));
      assertFalse(String.join("\n", shown()).contains("3/3 trials |"), "status line cleared");
    }
  }
}
