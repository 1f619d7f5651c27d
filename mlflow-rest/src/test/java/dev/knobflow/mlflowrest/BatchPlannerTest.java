package dev.knobflow.mlflowrest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

  private final BatchPlanner planner = new BatchPlanner(MlflowLimits.mlflowDefaults());

  @Test
  void metricsAreCutIntoRequestsOfAtMostOneThousand() {
    List<PendingWrite> writes = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      writes.add(new PendingWrite.Metric("r", "m", i, i, i));
    }
    List<BatchPlanner.Step> steps = planner.plan(writes);

    assertEquals(List.of(1000, 1000, 500), sizes(steps));
  }

  @Test
  void paramsAndTagsShareOneHundredPerRequestAndAllEntitiesOneThousand() {
    List<PendingWrite> writes = new ArrayList<>();
    for (int i = 0; i < 950; i++) {
      writes.add(new PendingWrite.Metric("r", "m", i, i, i));
    }
    for (int i = 0; i < 60; i++) {
      writes.add(new PendingWrite.Param("r", "p" + i, "v"));
      writes.add(new PendingWrite.Tag("r", "t" + i, "v"));
    }
    List<BatchPlanner.Step> steps = planner.plan(writes);

    // 950 metrics + 50 params/tags fill 1,000 entities; then 70 more params/tags of which 100 fit.
    assertEquals(List.of(1000, 70), sizes(steps));
    BatchPlanner.Batch first = (BatchPlanner.Batch) steps.get(0);
    assertEquals(50, first.params().size() + first.tags().size());
  }

  @Test
  void largeValuesAreSplitToStayUnderTheRequestSizeLimit() {
    List<PendingWrite> writes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      writes.add(new PendingWrite.Tag("r", "t" + i, "\u00e9".repeat(8000)));
    }
    List<BatchPlanner.Step> steps = planner.plan(writes);

    assertTrue(steps.size() > 1, "one request would exceed MLflow's 1 MB body limit");
    assertEquals(100, steps.stream().mapToInt(s -> ((BatchPlanner.Batch) s).size()).sum());
    for (BatchPlanner.Step step : steps) {
      int bytes =
          ((BatchPlanner.Batch) step)
              .tags().stream()
                  .mapToInt(t -> MlflowLimits.estimatedJsonBytes(t.key(), t.value()))
                  .sum();
      assertEquals(true, bytes <= 900_000, "estimated bytes " + bytes);
    }
  }

  @Test
  void repeatedTagKeepsLastValueAndSameParamIsSentOnce() {
    List<BatchPlanner.Step> steps =
        planner.plan(
            List.of(
                new PendingWrite.Tag("r", "state", "RUNNING"),
                new PendingWrite.Param("r", "lr", "0.1"),
                new PendingWrite.Param("r", "lr", "0.1"),
                new PendingWrite.Tag("r", "state", "COMPLETE")));

    BatchPlanner.Batch batch = (BatchPlanner.Batch) steps.get(0);
    assertEquals(1, steps.size());
    assertEquals(List.of(new PendingWrite.Param("r", "lr", "0.1")), batch.params());
    assertEquals(List.of(new PendingWrite.Tag("r", "state", "COMPLETE")), batch.tags());
  }

  @Test
  void changedParamStartsANewRequestSoTheServerRefusesOnlyIt() {
    List<BatchPlanner.Step> steps =
        planner.plan(
            List.of(
                new PendingWrite.Param("r", "lr", "0.1"),
                new PendingWrite.Param("r", "lr", "0.2")));

    assertEquals(List.of(1, 1), sizes(steps));
  }

  @Test
  void terminationIsABarrierAfterEarlierWrites() {
    PendingWrite.Terminate end = new PendingWrite.Terminate("r", RunOutcome.FINISHED, 5);
    List<BatchPlanner.Step> steps =
        planner.plan(
            List.of(
                new PendingWrite.Metric("r", "m", 1, 1, 1),
                end,
                new PendingWrite.Tag("r", "after", "x")));

    assertEquals(3, steps.size());
    assertInstanceOf(BatchPlanner.Batch.class, steps.get(0));
    assertEquals(new BatchPlanner.End(end), steps.get(1));
    assertEquals("after", ((BatchPlanner.Batch) steps.get(2)).tags().get(0).key());
  }

  private static List<Integer> sizes(List<BatchPlanner.Step> steps) {
    return steps.stream().map(s -> ((BatchPlanner.Batch) s).size()).toList();
  }
}
