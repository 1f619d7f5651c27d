package dev.knobflow.plugin.spark;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.cli.CliRun;
import dev.knobflow.plugin.postgres.PostgresStorage;
import dev.knobflow.plugin.postgres.PostgresUrl;
import dev.knobflow.plugin.testing.PostgresTestServer;
import dev.knobflow.plugin.testing.SparkTestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark runner on a real Spark standalone cluster (a master and two one-core workers on
 * 127.0.0.1, {@link SparkTestCluster}) against a real PostgreSQL: {@code spark-submit --master
 * spark://...} of the shaded {@code knobflow.jar}, one executor JVM killed with SIGKILL in the
 * middle of a trial, then {@code knobflow resume} and {@code knobflow worker} joining the study the
 * Spark run created. An IT because it submits the jar that {@code package} builds.
 */
class SparkStandaloneClusterIT {

  private static final String STUDY = "spark-cluster";
  private static final int WORKERS = 2;
  private static final int TRIALS = 8;
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(8); // a hang guard only

  @Test
  void aStudySurvivesAKilledExecutorWithUniqueNumbersAndWorkerAndResumeJoinIt(@TempDir Path dir)
      throws Exception {
    PostgresTestServer pg = PostgresTestServer.shared();
    String urlWithPassword = pg.newDatabase();
    String url = pg.url(urlWithPassword.substring(urlWithPassword.lastIndexOf('/') + 1), false);
    // A trial is a command on the executor, long enough for the kill to land inside one.
    Files.writeString(
        dir.resolve("objective.sh"), "sleep 2\necho \"{\\\"loss\\\": $(($1 * $1))}\"\n");
    Path studyFile = dir.resolve("study.yaml");
    Files.writeString(
        studyFile,
        """
        name: %s
        storage: %s
        seed: 11
        objectives: [{name: loss, direction: minimize}]
        space:
          x: {type: int, low: -50, high: 50}
        trials: %d
        objective:
          command: [sh, objective.sh, "{x}"]
        """
            .formatted(STUDY, url, TRIALS));
    Path jar = Path.of("target/knobflow.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "built by package: " + jar);

    long t0 = System.nanoTime();
    try (SparkTestCluster cluster = SparkTestCluster.start(dir.resolve("spark"), WORKERS)) {
      long t1 = System.nanoTime();
      System.out.printf("Spark cluster started in %.1f s%n", (t1 - t0) / 1e9);
      Path submitLog = dir.resolve("spark-submit.log");
      ProcessBuilder submit =
          cluster.submit(
              jar,
              SparkTunerMain.class.getName(),
              // The password reaches the driver and the executors as PGPASSWORD, never in a file.
              Map.of("spark.executorEnv.PGPASSWORD", PostgresTestServer.PASSWORD),
              List.of(studyFile.toString(), "--workers", Integer.toString(WORKERS)));
      submit.environment().put("PGPASSWORD", PostgresTestServer.PASSWORD);
      submit.redirectErrorStream(true).redirectOutput(submitLog.toFile());
      Process driver = submit.start();
      try (PostgresStorage storage =
          PostgresStorage.open(PostgresUrl.parse(urlWithPassword), Map.of())) {
        // Mid-study: some trials done, and an executor whose trial command has just started.
        ProcessHandle victim =
            await("an executor starting a trial after 2 completed trials")
                .atMost(RUN_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                    () -> {
                      assertTrue(driver.isAlive(), () -> "spark-submit ended:\n" + read(submitLog));
                      if (storage.findStudy(STUDY).isEmpty()
                          || count(storage.trials(STUDY), TrialState.COMPLETE) < 2) {
                        return Optional.<ProcessHandle>empty();
                      }
                      return cluster.executors().stream()
                          .filter(SparkStandaloneClusterIT::startedATrial)
                          .findFirst();
                    },
                    Optional::isPresent)
                .orElseThrow();
        assertEquals(WORKERS, cluster.executors().size(), "one executor per worker");
        assertTrue(victim.destroyForcibly(), "SIGKILL sent"); // kill -9
        victim.onExit().get(30, TimeUnit.SECONDS);

        assertTrue(driver.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "spark-submit ends");
      } finally {
        driver.destroyForcibly();
      }
      String out = read(submitLog);
      System.out.printf("spark-submit ran %.1f s%n", (System.nanoTime() - t1) / 1e9);
      assertEquals(0, driver.exitValue(), out);
      // Spark re-ran the lost task on a new executor (the driver reports what the tasks that
      // ended ran; the killed attempt's trials are in storage only).
      assertTrue(out.contains(" trials COMPLETE in this run"), out);
      assertEquals(WORKERS + 1, executorDirs(cluster).size(), "a replacement executor started");

      List<FrozenTrial> trials = trials(urlWithPassword);
      assertNumberedOnceEach(trials);
      long complete = count(trials, TrialState.COMPLETE);
      // The tasks share the study's trial target: the killed executor's trial keeps its place
      // while it is RUNNING (its heartbeat is not stale yet), so the re-run task stops one short of
      // the target, or at it when both tasks raced on the last place.
      assertTrue(
          complete == TRIALS - 1 || complete == TRIALS, "the study's target holds: " + complete);
      // The killed executor's trial: RUNNING without a heartbeat, the only trial not finished.
      assertEquals(1, count(trials, TrialState.RUNNING), trials.toString());
      assertEquals(trials.size() - 1, complete, trials.toString());

      String logs = out + allLogs(dir.resolve("spark"));
      assertFalse(logs.contains(PostgresTestServer.PASSWORD), "no log holds the password");
    }

    // resume joins the Spark-created study: fails the killed executor's trial, queues its
    // parameters again and runs them first.
    List<FrozenTrial> before = trials(urlWithPassword);
    FrozenTrial orphan =
        before.stream().filter(t -> t.state() == TrialState.RUNNING).findFirst().orElseThrow();
    CliRun resume =
        cli(
            "resume",
            STUDY,
            "--storage",
            urlWithPassword,
            "--stale-after",
            "0s",
            "--requeue-stale",
            "--trials",
            "2",
            "--dir",
            dir.toString());
    assertEquals(0, resume.exit(), resume.out() + resume.err());
    assertTrue(
        resume.out().contains("re-queued as trial " + before.size()),
        resume.out() + " (orphan: trial " + orphan.number() + ")");
    List<FrozenTrial> resumed = trials(urlWithPassword);
    assertNumberedOnceEach(resumed);
    assertEquals(before.size() + 2, resumed.size());
    assertEquals(TrialState.FAIL, number(resumed, orphan.number()).state());
    FrozenTrial requeued = number(resumed, before.size());
    assertEquals(TrialState.COMPLETE, requeued.state());
    assertEquals(orphan.params(), requeued.params(), "the killed trial's point ran again");

    // worker joins it too and continues the numbering.
    CliRun worker =
        cli(
            "worker",
            STUDY,
            "--storage",
            urlWithPassword,
            "--trials",
            "2",
            "--dir",
            dir.toString());
    assertEquals(0, worker.exit(), worker.out() + worker.err());
    List<FrozenTrial> after = trials(urlWithPassword);
    assertNumberedOnceEach(after);
    assertEquals(resumed.size() + 2, after.size());
    assertEquals(0, count(after, TrialState.RUNNING));
    assertEquals(after.size() - 1, count(after, TrialState.COMPLETE), after.toString());
  }

  /**
   * Whether an executor JVM started a trial within the last second (its objective command, which
   * sleeps 2 s, is a descendant that young), so a kill now lands a second before the trial ends.
   */
  private static boolean startedATrial(ProcessHandle executor) {
    Instant recent = Instant.now().minusSeconds(1);
    return executor
        .descendants()
        .anyMatch(
            p ->
                p.info().arguments().map(a -> List.of(a).contains("objective.sh")).orElse(false)
                    && p.info().startInstant().map(recent::isBefore).orElse(false));
  }

  private static List<Path> executorDirs(SparkTestCluster cluster) throws Exception {
    List<Path> dirs = new ArrayList<>();
    for (Path workDir : cluster.workDirs()) {
      try (Stream<Path> apps = Files.list(workDir)) {
        for (Path app : apps.toList()) {
          try (Stream<Path> executors = Files.list(app)) {
            dirs.addAll(executors.filter(Files::isDirectory).toList());
          }
        }
      }
    }
    return dirs;
  }

  private static List<FrozenTrial> trials(String url) {
    try (PostgresStorage s = PostgresStorage.open(PostgresUrl.parse(url), Map.of())) {
      return s.trials(STUDY);
    }
  }

  private static FrozenTrial number(List<FrozenTrial> trials, int number) {
    return trials.stream().filter(t -> t.number() == number).findFirst().orElseThrow();
  }

  private static long count(List<FrozenTrial> trials, TrialState state) {
    return trials.stream().filter(t -> t.state() == state).count();
  }

  /** Trial numbers are 0..n-1, each exactly once, in order. */
  private static void assertNumberedOnceEach(List<FrozenTrial> trials) {
    assertEquals(
        IntStream.range(0, trials.size()).boxed().toList(),
        trials.stream().map(FrozenTrial::number).sorted().collect(Collectors.toList()));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** Every file the cluster wrote: daemon logs and each executor's stdout and stderr. */
  private static String allLogs(Path root) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".log") || name.equals("stdout") || name.equals("stderr")) {
          sb.append(read(f));
        }
      }
    }
    return sb.toString();
  }
}
