package dev.knobflow.plugin.advice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.advisor.diagnostics.DiagnosisKind;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Median stopping in {@link AdvisorSupport} sees the trials other workers completed in the shared
 * storage, though its listener never saw them run: its index of completed curves is fed from
 * storage at each report.
 */
class AdvisorMedianStoppingWorkersTest {

  @Test
  void trialsAnotherWorkerCompletedInTheSharedStorageCountForMedianStopping() {
    InMemoryStorage storage = InMemoryStorage.create();
    AdvisorSupport advisor = AdvisorSupport.builder().mode(AdvisorMode.APPLY).build();
    Study withAdvisor = Study.builder("workers").storage(storage).listener(advisor).build();
    Study other = Study.builder("workers").storage(storage).build();

    // This worker completes one trial: its index holds one curve, too few to judge.
    withAdvisor.enqueue(Map.of("lr", 0.5));
    withAdvisor.optimize(new DivergingObjective(), OptimizeOptions.trials(1));
    // Another worker, without the advisor, completes four more (loss 0.5 by step 5).
    for (int i = 0; i < 4; i++) {
      other.enqueue(Map.of("lr", 0.5));
    }
    other.optimize(new DivergingObjective(), OptimizeOptions.trials(4));
    // Back here, a trial that barely moves is behind the five completed trials.
    withAdvisor.enqueue(Map.of("lr", 1e-4));
    withAdvisor.optimize(new DivergingObjective(), OptimizeOptions.trials(1));

    FrozenTrial slow = withAdvisor.trials().get(5);
    assertEquals(TrialState.PRUNED, slow.state(), slow.failReason());
    assertTrue(slow.failReason().contains("advisor: UNDERPERFORMING"), slow.failReason());
    assertEquals(4L, slow.intermediateValues().lastKey(), "decided after warm-up and patience");
    List<AdvisorReport> behind =
        advisor.reports().stream()
            .filter(
                r -> r.consultation().request().diagnosis().kind() == DiagnosisKind.UNDERPERFORMING)
            .toList();
    assertEquals(1, behind.size());
    assertEquals(
        5.0,
        behind
            .get(0)
            .consultation()
            .request()
            .diagnosis()
            .evidence()
            .measured()
            .get("completedTrials"),
        "the four trials of the other worker and this worker's own");
  }
}
