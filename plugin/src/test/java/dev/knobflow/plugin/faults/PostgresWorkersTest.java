package dev.knobflow.plugin.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.postgres.PostgresStorage;
import dev.knobflow.plugin.postgres.PostgresUrl;
import dev.knobflow.plugin.testing.PostgresTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker processes sharing one study in a real PostgreSQL: concurrent numbering, a worker killed
 * with SIGKILL mid-trial, and the database restarted under running workers.
 */
class PostgresWorkersTest {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String STUDY = "pg-workers";

  private static List<FrozenTrial> trials(String url) {
    try (PostgresStorage s = PostgresStorage.open(PostgresUrl.parse(url), Map.of())) {
      return s.trials(STUDY);
    }
  }

  private static Map<Integer, Long> doneLines(List<String> lines) {
    Map<Integer, Long> done = new HashMap<>();
    for (String l : lines) {
      if (l.startsWith("DONE ")) {
        done.merge(Integer.parseInt(l.split(" ")[1]), 1L, Long::sum);
      }
    }
    return done;
  }

  private static ChildJvm worker(Path dir, String name, String url, String... extra)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("storage=" + url, "study=" + STUDY));
    args.addAll(List.of(extra));
    return ChildJvm.start(
        JournalWorkerProcess.class, dir.resolve(name + ".log"), args.toArray(String[]::new));
  }

  private static void assertNumbersUniqueAndConsecutive(List<FrozenTrial> all) {
    assertEquals(
        IntStream.range(0, all.size()).boxed().toList(),
        all.stream().map(FrozenTrial::number).sorted().toList(),
        "every number once, none missing");
  }

  @Test
  void concurrentWorkerProcessesNumberTrialsWithoutDuplicatesOrGaps(@TempDir Path dir)
      throws Exception {
    String url = PostgresTestServer.shared().newDatabase();
    List<ChildJvm> workers = new ArrayList<>();
    Map<Integer, Long> done = new HashMap<>();
    try {
      for (int w = 0; w < 4; w++) {
        workers.add(worker(dir, "w" + w, url, "trials=10", "parallelism=2"));
      }
      for (ChildJvm w : workers) {
        assertEquals(0, w.await(WAIT), w.lines().toString());
        doneLines(w.lines()).forEach((n, c) -> done.merge(n, c, Long::sum));
      }
      assertTrue(done.values().stream().allMatch(c -> c == 1), "no trial done twice: " + done);
    } finally {
      workers.forEach(ChildJvm::close);
    }
    List<FrozenTrial> all = trials(url);
    assertNumbersUniqueAndConsecutive(all);
    assertEquals(40, all.stream().filter(t -> t.state() == TrialState.COMPLETE).count(), "4 x 10");
    assertEquals(40, done.size());
    assertTrue(
        all.stream().noneMatch(t -> t.state() == TrialState.RUNNING), "nothing left running");
  }

  @Test
  void aWorkerKilledMidTrialLeavesAStaleTrialAndTheStudyStillCompletes(@TempDir Path dir)
      throws Exception {
    String url = PostgresTestServer.shared().newDatabase();
    int killed;
    try (ChildJvm doomed =
        worker(
            dir, "doomed", url, "trials=100", "hangAfter=3", "heartbeatMs=100", "staleMs=1000")) {
      String hanging = doomed.awaitLine(l -> l.startsWith("HANGING "), WAIT);
      killed = Integer.parseInt(hanging.substring("HANGING ".length()));
      await()
          .atMost(WAIT)
          .until(() -> trials(url).get(killed).heartbeat() != null); // it had been beating
      doomed.kill();
    }
    FrozenTrial orphan = trials(url).get(killed);
    assertEquals(TrialState.RUNNING, orphan.state(), "SIGKILL leaves the trial RUNNING");
    assertNotNull(orphan.heartbeat());

    // Once its heartbeat is older than staleMs, the next worker marks it FAIL and carries on.
    await()
        .atMost(WAIT)
        .until(
            () ->
                trials(url)
                    .get(killed)
                    .heartbeat()
                    .plus(Duration.ofMillis(1_200))
                    .isBefore(java.time.Instant.now()));
    try (ChildJvm survivor =
        worker(dir, "survivor", url, "trials=5", "heartbeatMs=100", "staleMs=1000")) {
      assertEquals(0, survivor.await(WAIT), survivor.lines().toString());
      assertEquals(5, doneLines(survivor.lines()).size());
    }
    List<FrozenTrial> all = trials(url);
    assertEquals(TrialState.FAIL, all.get(killed).state());
    assertTrue(all.get(killed).failReason().contains("heartbeat"), all.get(killed).failReason());
    assertEquals(8, all.stream().filter(t -> t.state() == TrialState.COMPLETE).count());
    assertEquals(9, all.size(), "8 COMPLETE and the killed one, nothing else");
    assertNumbersUniqueAndConsecutive(all);
  }

  @Test
  void workersRideOutADatabaseRestartAndNoCompletedTrialIsLost(@TempDir Path dir) throws Exception {
    PostgresTestServer server = PostgresTestServer.create();
    server.start();
    try {
      String url = server.newDatabase();
      List<ChildJvm> workers = new ArrayList<>();
      try {
        for (int w = 0; w < 2; w++) {
          workers.add(worker(dir, "r" + w, url, "trials=25", "sleepMs=60", "heartbeatMs=200"));
        }
        for (ChildJvm w : workers) {
          w.awaitCount(l -> l.startsWith("DONE "), 5, WAIT);
        }
        server.restart();
        Map<Integer, Long> done = new HashMap<>();
        for (ChildJvm w : workers) {
          assertEquals(0, w.await(WAIT), w.lines().toString());
          doneLines(w.lines()).forEach((n, c) -> done.merge(n, c, Long::sum));
        }
        List<FrozenTrial> all = trials(url);
        Map<Integer, FrozenTrial> byNumber =
            all.stream().collect(Collectors.toMap(FrozenTrial::number, t -> t));
        for (int n : done.keySet()) {
          assertEquals(
              TrialState.COMPLETE, byNumber.get(n).state(), "trial " + n + " was reported done");
        }
        assertEquals(
            50,
            all.stream().filter(t -> t.state() == TrialState.COMPLETE).count(),
            "both workers reached their count (2 x 25) across the restart");
        assertNumbersUniqueAndConsecutive(all);
      } finally {
        workers.forEach(ChildJvm::close);
      }
    } finally {
      server.destroy();
    }
  }
}
