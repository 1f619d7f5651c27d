package dev.knobflow.plugin.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading the CPU time of a supervised command from the shell's {@code times}. */
class ProcessSupervisorCpuTimeTest {

  @Test
  void theChildrensUserPlusSystemTimeIsReadFromDashAndBashOutput() {
    assertEquals(
        Optional.of(Duration.ofMillis(1240)),
        ProcessSupervisor.childCpuTime("0m0.001000s 0m0.002000s\n0m1.230000s 0m0.010000s\n"));
    assertEquals(
        Optional.of(Duration.ofSeconds(125).plusMillis(500)),
        ProcessSupervisor.childCpuTime("0m0.001s 0m0.000s\n2m5.000s 0m0.500s\n"));
  }

  @Test
  void outputThatDoesNotReadAsTimesGivesNothing() {
    assertTrue(ProcessSupervisor.childCpuTime("").isEmpty());
    assertTrue(ProcessSupervisor.childCpuTime("0m0.001s 0m0.000s\n").isEmpty());
    assertTrue(ProcessSupervisor.childCpuTime("0m0.001s 0m0.000s\nsomething else\n").isEmpty());
  }
}
