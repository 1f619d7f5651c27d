package dev.knobflow.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.time.FakeClock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ProgressEstimateTest {

  @Test
  void timeLeftFollowsTheRateOfFinishedTrials() {
    FakeClock clock = FakeClock.manual();
    ProgressEstimate e = new ProgressEstimate(10, OptionalDouble.empty(), Optional.empty(), clock);
    assertTrue(e.remaining().isEmpty(), "nothing done, no estimate");
    e.started(0);
    e.started(1);
    clock.advance(Duration.ofSeconds(20));
    e.finished(0);
    e.finished(1);

    assertEquals(0.2, e.fraction().getAsDouble(), 1e-12);
    assertEquals(Duration.ofSeconds(80), e.remaining().orElseThrow());
    assertEquals(0, e.running());
  }

  @Test
  void runningTrialsOfAMultiFidelityStudyCountForTheBudgetTheyReached() {
    FakeClock clock = FakeClock.manual();
    ProgressEstimate e = new ProgressEstimate(4, OptionalDouble.of(100), Optional.empty(), clock);
    e.started(0);
    e.reported(0, 50);
    clock.advance(Duration.ofSeconds(10));

    // half of one trial of four: 1/8 done after 10 s, so 70 s left
    assertEquals(0.125, e.fraction().getAsDouble(), 1e-12);
    assertEquals(Duration.ofSeconds(70), e.remaining().orElseThrow());

    e.reported(0, 400); // past the largest budget still counts as one trial at most
    assertEquals(0.25, e.fraction().getAsDouble(), 1e-12);
    e.finished(0);
    assertEquals(0.25, e.fraction().getAsDouble(), 1e-12);
  }

  @Test
  void withoutATrialTargetTheTimeLeftIsTheTimeout() {
    FakeClock clock = FakeClock.manual();
    ProgressEstimate e =
        new ProgressEstimate(
            Integer.MAX_VALUE, OptionalDouble.empty(), Optional.of(Duration.ofMinutes(5)), clock);
    clock.advance(Duration.ofMinutes(2));

    assertTrue(e.total().isEmpty());
    assertTrue(e.fraction().isEmpty());
    assertEquals(Duration.ofMinutes(3), e.remaining().orElseThrow());
    clock.advance(Duration.ofMinutes(4));
    assertEquals(Duration.ZERO, e.remaining().orElseThrow());
  }

  @Test
  void theTimeoutCapsTheEstimateByRate() {
    FakeClock clock = FakeClock.manual();
    ProgressEstimate e =
        new ProgressEstimate(
            100, OptionalDouble.empty(), Optional.of(Duration.ofSeconds(30)), clock);
    e.started(0);
    clock.advance(Duration.ofSeconds(10));
    e.finished(0);

    assertEquals(Duration.ofSeconds(20), e.remaining().orElseThrow());
  }
}
