package dev.knobflow.mlflowrest;

import static dev.knobflow.mlflowrest.MlflowServerTestSupport.open;
import static dev.knobflow.mlflowrest.MlflowServerTestSupport.server;
import static dev.knobflow.mlflowrest.MlflowServerTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("mlflow")
class MlflowRunsServerTest {

  private static MlflowTracking tracking;

  @BeforeAll
  static void connect() {
    tracking = open(server().trackingUri());
  }

  @AfterAll
  static void disconnect() {
    tracking.close();
  }

  @Test
  void childRunsCarryTheParentTagAndAreFoundByTag() {
    String experiment = tracking.runs().getOrCreateExperiment(unique("runs"));
    RunRecord study =
        tracking.runs().createRun(experiment, "study", Map.of("knobflow.study", "s1"));
    RunRecord first =
        tracking.runs().createChildRun(experiment, study.runId(), "trial-0", Map.of("trial", "0"));
    RunRecord second =
        tracking.runs().createChildRun(experiment, study.runId(), "trial-1", Map.of("trial", "1"));

    assertEquals("study", study.runName());
    assertEquals("RUNNING", study.status());
    assertEquals(study.runId(), first.tags().get(MlflowTags.PARENT_RUN_ID));
    assertEquals("trial-0", first.runName());
    List<RunRecord> children =
        tracking
            .runs()
            .searchRunsByTag(List.of(experiment), MlflowTags.PARENT_RUN_ID, study.runId());
    Set<String> ids = new HashSet<>();
    children.forEach(r -> ids.add(r.runId()));
    assertEquals(Set.of(first.runId(), second.runId()), ids);
    assertEquals(
        List.of(study.runId()),
        tracking.runs().searchRunsByTag(List.of(experiment), "knobflow.study", "s1").stream()
            .map(RunRecord::runId)
            .toList());
  }

  @Test
  void outcomesMapToMlflowStatuses() {
    String experiment = tracking.runs().getOrCreateExperiment(unique("status"));
    for (RunOutcome outcome : RunOutcome.values()) {
      String run = tracking.runs().createRun(experiment, outcome.name(), Map.of()).runId();
      tracking.runs().terminate(run, outcome);
      RunRecord stored = tracking.runs().getRun(run);
      assertEquals(outcome.name(), stored.status());
      assertTrue(stored.endTime() >= stored.startTime());
    }
  }

  @Test
  void descriptionIsStoredAsTheNoteTag() {
    String experiment = tracking.runs().getOrCreateExperiment(unique("note"));
    String run = tracking.runs().createRun(experiment, "study", Map.of()).runId();
    tracking.runs().setDescription(run, "## Best trial\n| lr | acc |\n|---|---|\n| 0.1 | 0.9 |");

    assertEquals(
        "## Best trial\n| lr | acc |\n|---|---|\n| 0.1 | 0.9 |",
        tracking.runs().getRun(run).tags().get(MlflowTags.NOTE));
  }

  @Test
  void concurrentCreationOfOneExperimentYieldsOneId() throws Exception {
    String name = unique("race");
    int workers = 4;
    CyclicBarrier start = new CyclicBarrier(workers);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<MlflowTracking> clients = new ArrayList<>();
    try {
      List<Future<String>> ids = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        MlflowTracking client = open(server().trackingUri());
        clients.add(client);
        ids.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return client.runs().getOrCreateExperiment(name);
                }));
      }
      Set<String> distinct = new HashSet<>();
      for (Future<String> id : ids) {
        distinct.add(id.get(60, TimeUnit.SECONDS));
      }
      assertEquals(1, distinct.size(), "every worker must see the same experiment");
      assertEquals(
          distinct.iterator().next(), tracking.runs().findExperimentId(name).orElseThrow());
    } finally {
      pool.shutdownNow();
      clients.forEach(MlflowTracking::close);
    }
  }
}
