package dev.knobflow.optimizers.schedulers.pruners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.schedulers.Scheduler;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrunersTest {

  private static Study study(Scheduler scheduler, Direction direction) {
    return Study.builder("pruning").direction(direction).scheduler(scheduler).seed(1).build();
  }

  /** Completes a trial that reported {@code curve[step]} at steps 0, 1, 2... */
  private static void complete(Study study, double... curve) {
    Trial t = study.ask();
    for (int s = 0; s < curve.length; s++) {
      t.report(s, curve[s]);
    }
    study.tell(t, TrialResult.of(curve[curve.length - 1]));
  }

  @Test
  void medianPrunesACurveAboveTheMedianWhenMinimising() {
    Study study =
        study(PercentilePruner.median().withWindow(new PruningWindow(3, 0, 1)), Direction.MINIMIZE);
    complete(study, 1.0, 0.8, 0.6);
    complete(study, 1.2, 1.0, 0.9);
    complete(study, 0.9, 0.7, 0.5);
    Trial good = study.ask();
    good.report(0, 0.95); // median at step 0 is 1.0
    assertFalse(good.shouldPrune());
    Trial bad = study.ask();
    bad.report(0, 1.1);
    assertTrue(bad.shouldPrune());
  }

  @Test
  void medianUsesTheBestValueSoFarAndFlipsWhenMaximising() {
    Study study =
        study(PercentilePruner.median().withWindow(new PruningWindow(1, 0, 1)), Direction.MAXIMIZE);
    complete(study, 0.5, 0.6, 0.7);
    complete(study, 0.3, 0.4, 0.5);
    complete(study, 0.1, 0.2, 0.3);
    Trial t = study.ask();
    t.report(0, 0.35); // above the median 0.3 at step 0
    assertFalse(t.shouldPrune());
    t.report(1, 0.39); // best so far 0.39 < median 0.4
    assertTrue(t.shouldPrune());
  }

  @Test
  void startupTrialsAndWarmupStepsHoldPruningBack() {
    Study study =
        study(PercentilePruner.median().withWindow(new PruningWindow(2, 2, 1)), Direction.MINIMIZE);
    complete(study, 0.1, 0.1, 0.1, 0.1);
    Trial early = study.ask();
    early.report(0, 9);
    early.report(1, 9);
    early.report(2, 9);
    assertFalse(early.shouldPrune(), "only one completed trial, two needed");
    study.tell(early, TrialResult.of(9));
    Trial t = study.ask();
    t.report(0, 10);
    t.report(1, 10);
    assertFalse(t.shouldPrune(), "warm-up steps 0 and 1");
    t.report(2, 10);
    assertTrue(t.shouldPrune());
  }

  @Test
  void intervalStepsDecideOncePerInterval() {
    Study study =
        study(PercentilePruner.median().withWindow(new PruningWindow(0, 0, 3)), Direction.MINIMIZE);
    complete(study, 0, 0, 0, 0, 0, 0);
    Trial t = study.ask();
    t.report(0, 5);
    assertTrue(t.shouldPrune(), "step 0 opens the first interval");
    t.report(1, 5);
    assertFalse(t.shouldPrune(), "step 1 is inside the first interval");
    t.report(2, 5);
    assertFalse(t.shouldPrune());
    t.report(3, 5);
    assertTrue(t.shouldPrune(), "step 3 opens the second interval");
  }

  @Test
  void nanIsPrunedByThePercentilePruner() {
    Study study =
        study(PercentilePruner.of(25).withWindow(PruningWindow.always()), Direction.MINIMIZE);
    complete(study, 1.0);
    Trial t = study.ask();
    t.report(0, Double.NaN);
    assertTrue(t.shouldPrune());
  }

  @Test
  void percentileOfInterpolatesLikeNumpy() {
    assertEquals(2.5, PercentilePruner.percentileOf(List.of(4.0, 1.0, 2.0, 3.0), 50), 1e-12);
    assertEquals(1.75, PercentilePruner.percentileOf(List.of(4.0, 1.0, 2.0, 3.0), 25), 1e-12);
  }

  @Test
  void thresholdPrunesNanAndValuesOutsideTheLimits() {
    Study study = study(ThresholdPruner.of(0.0, 1.0), Direction.MINIMIZE);
    Trial t = study.ask();
    t.report(0, 0.5);
    assertFalse(t.shouldPrune());
    t.report(1, 1.5);
    assertTrue(t.shouldPrune());
    Trial low = study.ask();
    low.report(0, -0.1);
    assertTrue(low.shouldPrune());
    Trial nan = study(ThresholdPruner.nanOnly(), Direction.MINIMIZE).ask();
    nan.report(0, 1e300);
    assertFalse(nan.shouldPrune());
    nan.report(1, Double.NaN);
    assertTrue(nan.shouldPrune());
    var e = assertThrows(IllegalArgumentException.class, () -> ThresholdPruner.of(2, 1));
    assertTrue(e.getMessage().contains("scheduler.lower"));
  }

  @Test
  void thresholdAppliesToEveryObjectiveOfAMultiObjectiveStudy() {
    Study study =
        Study.builder("mo")
            .objectives(Objective.minimize("a"), Objective.maximize("b"))
            .scheduler(ThresholdPruner.of(Double.NaN, 10))
            .build();
    Trial t = study.ask();
    t.report(0, 1, 2);
    assertFalse(t.shouldPrune());
    t.report(1, 1, 11);
    assertTrue(t.shouldPrune());
  }

  @Test
  void patientPrunerWaitsForAStallOfPatienceSteps() {
    Study study = study(PatientPruner.of(2), Direction.MINIMIZE);
    Trial t = study.ask();
    double[] curve = {5, 4, 3, 3.5, 3.2};
    for (int s = 0; s < curve.length - 1; s++) {
      t.report(s, curve[s]);
      assertFalse(t.shouldPrune(), "still improving or within patience at step " + s);
    }
    t.report(4, curve[4]);
    // before = {5, 4} best 4; after = {3, 3.5, 3.2} best 3: improved, keep going.
    assertFalse(t.shouldPrune());
    t.report(5, 3.3);
    // before = {5, 4, 3} best 3; after = {3.5, 3.2, 3.3} best 3.2 > 3: stalled.
    assertTrue(t.shouldPrune());
  }

  @Test
  void patientPrunerDefersToTheWrappedPruner() {
    Scheduler never = (s, tr) -> false;
    Study study = study(PatientPruner.wrapping(never, 1, 0), Direction.MAXIMIZE);
    Trial t = study.ask();
    t.report(0, 1);
    t.report(1, 0.5);
    t.report(2, 0.4);
    assertFalse(t.shouldPrune(), "stalled, but the wrapped pruner says no");
    Study alone = study(PatientPruner.of(1), Direction.MAXIMIZE);
    Trial u = alone.ask();
    u.report(0, 1);
    u.report(1, 0.5);
    u.report(2, 0.4);
    assertTrue(u.shouldPrune());
    assertThrows(IllegalArgumentException.class, () -> PatientPruner.of(-1));
  }

  @Test
  void percentilePrunerRefusesMultiObjectiveStudiesWithAClearMessage() {
    Study study =
        Study.builder("mo")
            .objectives(Objective.minimize("a"), Objective.minimize("b"))
            .scheduler(PercentilePruner.median())
            .build();
    Trial t = study.ask();
    t.report(0, 1, 1);
    var e = assertThrows(IllegalStateException.class, t::shouldPrune);
    assertTrue(e.getMessage().contains("2 objectives"));
  }

  @Test
  void badWindowSettingsNameTheSetting() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new PruningWindow(-1, 0, 1))
            .getMessage()
            .contains("scheduler.startup_trials"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new PruningWindow(0, -1, 1))
            .getMessage()
            .contains("scheduler.warmup_steps"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new PruningWindow(0, 0, 0))
            .getMessage()
            .contains("scheduler.interval_steps"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> PercentilePruner.of(101))
            .getMessage()
            .contains("scheduler.percentile"));
  }
}
