package dev.knobflow.plugin.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.storage.StorageException;
import dev.knobflow.optimizers.storage.TrialAlreadyFinishedException;
import dev.knobflow.optimizers.storage.TrialOutcome;
import dev.knobflow.plugin.testing.PostgresTestServer;
import dev.knobflow.time.RetryPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL storage against a real server: the journal's semantics, on a database. */
class PostgresStorageTest {

  private static final PostgresTestServer SERVER = PostgresTestServer.shared();
  private static final Instant HB = Instant.parse("2026-01-02T03:04:05.123456Z");
  private static final List<Objective> ONE = List.of(Objective.minimize("loss"));

  private static PostgresStorage open(String url) {
    return PostgresStorage.open(PostgresUrl.parse(url), Map.of());
  }

  @Test
  void studiesAndTrialsKeepEverythingWrittenAndAnotherConnectionReadsItBack() {
    String url = SERVER.newDatabase();
    try (PostgresStorage a = open(url)) {
      a.createStudy("s", List.of(Objective.minimize("loss"), Objective.maximize("acc")));
      a.setStudyAttr("s", "sampler", "tpe");
      a.setStudyAttr("s", "meta", Map.of("rows", 150, "cols", List.of(1, 2)));
      FrozenTrial t = a.createTrial("s", TrialState.RUNNING, Map.of("fixed", true));
      assertEquals(0, t.number());
      a.setParam("s", 0, "lr", FloatDistribution.logOf(1e-4, 1), 0.01);
      a.setParam("s", 0, "depth", IntDistribution.of(1, 8), 3L);
      a.setParam("s", 0, "kind", CategoricalDistribution.of("a", "b"), "b");
      a.reportIntermediate("s", 0, 1, List.of(0.5, 0.1));
      a.reportIntermediate("s", 0, 2, List.of(0.4, Double.NaN));
      a.setUserAttr("s", 0, "note", "hello");
      a.setSystemAttr("s", 0, "gen", 2);
      a.setBudget("s", 0, 27.0);
      a.heartbeat("s", 0, HB);
      FrozenTrial done =
          a.finishTrial(
              "s",
              0,
              TrialOutcome.complete(
                  List.of(0.25, 1e300),
                  List.of(-1.0),
                  Map.of("wh", 3.5),
                  Instant.parse("2026-01-02T03:05:00Z")));
      assertEquals(TrialState.COMPLETE, done.state());
    }
    try (PostgresStorage b = open(url)) {
      var study = b.findStudy("s").orElseThrow();
      assertEquals("tpe", study.attrs().get("sampler"));
      Map<?, ?> meta = (Map<?, ?>) study.attrs().get("meta");
      assertEquals(150, ((Number) meta.get("rows")).intValue());
      assertEquals(2, ((List<?>) meta.get("cols")).size());
      FrozenTrial t = b.trial("s", 0);
      assertEquals(TrialState.COMPLETE, t.state());
      assertEquals(List.of(0.25, 1e300), t.values());
      assertEquals(List.of(-1.0), t.constraints());
      assertEquals(Map.of("wh", 3.5), t.metrics());
      assertEquals(List.of("lr", "depth", "kind"), List.copyOf(t.params().keySet()));
      assertEquals(0.01, t.params().get("lr"));
      assertEquals(3L, t.params().get("depth"));
      assertEquals("b", t.params().get("kind"));
      assertEquals(IntDistribution.of(1, 8), t.distributions().get("depth"));
      assertEquals(List.of(0.5, 0.1), t.intermediateValues().get(1L));
      assertTrue(t.intermediateValues().get(2L).get(1).isNaN());
      assertEquals("hello", t.userAttrs().get("note"));
      assertEquals(2L, ((Number) t.systemAttrs().get("gen")).longValue());
      assertEquals(true, t.systemAttrs().get("fixed"));
      assertEquals(27.0, t.budget());
      assertEquals(HB, t.heartbeat());
      assertEquals(Instant.parse("2026-01-02T03:05:00Z"), t.completed());
    }
  }

  @Test
  void aFinishedTrialCannotBeFinishedOrChangedAgain() {
    try (PostgresStorage s = open(SERVER.newDatabase())) {
      s.createStudy("s", ONE);
      s.createTrial("s", TrialState.RUNNING, Map.of());
      s.setParam("s", 0, "x", FloatDistribution.of(0, 1), 0.5);
      s.finishTrial(
          "s", 0, TrialOutcome.complete(List.of(1.0), List.of(), Map.of(), Instant.now()));
      assertThrows(
          TrialAlreadyFinishedException.class,
          () -> s.finishTrial("s", 0, TrialOutcome.failed("again", Instant.now())));
      assertThrows(
          TrialAlreadyFinishedException.class,
          () -> s.setParam("s", 0, "y", FloatDistribution.of(0, 1), 0.1));
      assertThrows(
          TrialAlreadyFinishedException.class, () -> s.reportIntermediate("s", 0, 3, List.of(1.0)));
      assertEquals(TrialState.COMPLETE, s.trial("s", 0).state());
      assertEquals(List.of(1.0), s.trial("s", 0).values());
    }
  }

  @Test
  void badInputIsRefusedWithTheJournalsRules() {
    try (PostgresStorage s = open(SERVER.newDatabase())) {
      s.createStudy("s", ONE);
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> s.createStudy("s", List.of(Objective.maximize("loss"))));
      assertTrue(e.getMessage().contains("already exists"), e.getMessage());
      assertEquals(ONE, s.createStudy("s", ONE).objectives(), "same objectives: the same study");
      s.createTrial("s", TrialState.RUNNING, Map.of());
      s.setParam("s", 0, "x", FloatDistribution.of(0, 1), 0.5);
      assertThrows(
          IllegalArgumentException.class,
          () -> s.setParam("s", 0, "x", FloatDistribution.of(0, 2), 0.5));
      assertThrows(
          IllegalArgumentException.class,
          () ->
              s.finishTrial(
                  "s",
                  0,
                  TrialOutcome.complete(List.of(1.0, 2.0), List.of(), Map.of(), Instant.now())));
      assertThrows(java.util.NoSuchElementException.class, () -> s.trials("nope"));
      assertThrows(java.util.NoSuchElementException.class, () -> s.trial("s", 7));
      assertThrows(
          IllegalArgumentException.class, () -> s.createTrial("s", TrialState.COMPLETE, Map.of()));
    }
  }

  @Test
  void enqueuedTrialsAreClaimedOldestFirstAndEachByExactlyOneWorker() throws Exception {
    String url = SERVER.newDatabase();
    try (PostgresStorage s = open(url)) {
      s.createStudy("s", ONE);
      for (int i = 0; i < 20; i++) {
        s.createTrial("s", TrialState.WAITING, Map.of("fixed_params", Map.of("x", i)));
      }
      assertEquals(0, s.claimWaitingTrial("s").orElseThrow().number(), "oldest first");
    }
    List<Integer> claimed = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<PostgresStorage> storages = new ArrayList<>();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        PostgresStorage s = open(url);
        storages.add(s);
        futures.add(
            pool.submit(
                () -> {
                  while (true) {
                    var t = s.claimWaitingTrial("s");
                    if (t.isEmpty()) {
                      return null;
                    }
                    assertEquals(TrialState.RUNNING, t.get().state());
                    assertEquals(
                        "{x=" + t.get().number() + "}",
                        String.valueOf(t.get().systemAttrs().get("fixed_params")));
                    claimed.add(t.get().number());
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      storages.forEach(PostgresStorage::close);
    }
    assertEquals(19, claimed.size());
    assertEquals(
        IntStream.range(1, 20).boxed().toList(), claimed.stream().sorted().toList(), "each once");
  }

  @Test
  void concurrentCreatorsGetUniqueConsecutiveNumbers() throws Exception {
    String url = SERVER.newDatabase();
    try (PostgresStorage s = open(url)) {
      s.createStudy("s", ONE);
    }
    int threads = 8;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<Integer>>> futures = new ArrayList<>();
    try (PostgresStorage a = open(url);
        PostgresStorage b = open(url)) {
      for (int w = 0; w < threads; w++) {
        PostgresStorage s = w % 2 == 0 ? a : b;
        futures.add(
            pool.submit(
                () -> {
                  List<Integer> mine = new ArrayList<>();
                  for (int i = 0; i < each; i++) {
                    mine.add(s.createTrial("s", TrialState.RUNNING, Map.of()).number());
                  }
                  return mine;
                }));
      }
      Set<Integer> all = new HashSet<>();
      for (Future<List<Integer>> f : futures) {
        for (int n : f.get()) {
          assertTrue(all.add(n), "number " + n + " given twice");
        }
      }
      assertEquals(
          IntStream.range(0, threads * each).boxed().toList(), all.stream().sorted().toList());
      assertEquals(threads * each, a.trialCount("s"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void thePoolSizeInTheUrlCapsTheConnectionsAndServesMoreThreads() throws Exception {
    String url = SERVER.newDatabase() + "?pool=2&ApplicationName=kf-pool-test";
    String db = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    int threads = 8;
    int each = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (PostgresStorage s = open(url)) {
      s.createStudy("s", ONE);
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    int n = s.createTrial("s", TrialState.RUNNING, Map.of()).number();
                    s.setParam("s", n, "x", FloatDistribution.of(0, 1), 0.5);
                    s.finishTrial(
                        "s", n, TrialOutcome.complete(List.of(1.0), List.of(), Map.of(), HB));
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      assertEquals(threads * each, s.trials("s").size());
      try (Connection c = SERVER.connect(db);
          Statement st = c.createStatement();
          var rs =
              st.executeQuery(
                  "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'kf-pool-test'")) {
        rs.next();
        long open = rs.getLong(1);
        assertTrue(open >= 1 && open <= 2, open + " connections open with pool=2");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void incrementalReadsSeeEveryConcurrentWriteAndReadOnlyWhatChanged() throws Exception {
    String url = SERVER.newDatabase();
    try (PostgresStorage reader = open(url);
        PostgresStorage writer = open(url)) {
      reader.createStudy("s", ONE);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 15; i++) {
                    int n = writer.createTrial("s", TrialState.RUNNING, Map.of()).number();
                    writer.setParam("s", n, "x", FloatDistribution.of(0, 1), n / 1000.0);
                    writer.finishTrial(
                        "s",
                        n,
                        TrialOutcome.complete(
                            List.of(n * 1.0), List.of(), Map.of(), Instant.now()));
                  }
                  return null;
                }));
      }
      // The reader polls while the writers run: its cached view must end equal to a fresh one.
      while (futures.stream().anyMatch(f -> !f.isDone())) {
        reader.trials("s");
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      List<FrozenTrial> incremental = reader.trials("s");
      try (PostgresStorage fresh = open(url)) {
        assertEquals(fresh.trials("s"), incremental);
      }
      assertEquals(60, incremental.size());
      assertTrue(incremental.stream().allMatch(t -> t.state() == TrialState.COMPLETE));

      // A quiet study costs no rows; one changed trial costs its rows, not the study's.
      long before = reader.rowsRead("s");
      reader.trials("s");
      reader.trials("s");
      assertEquals(before, reader.rowsRead("s"), "nothing changed, nothing read");
      writer.createTrial("s", TrialState.RUNNING, Map.of());
      writer.setParam("s", 60, "x", FloatDistribution.of(0, 1), 0.5);
      assertEquals(61, reader.trials("s").size());
      long delta = reader.rowsRead("s") - before;
      assertTrue(delta >= 2 && delta < 10, "read " + delta + " rows for one new trial of 61");
    }
  }

  @Test
  void lookingUpOneTrialReadsThatTrialFreshButNotTheTrialsOthersChanged() {
    String url = SERVER.newDatabase();
    try (PostgresStorage writer = open(url);
        PostgresStorage reader = open(url)) {
      writer.createStudy("s", ONE);
      for (int n = 0; n < 40; n++) {
        writer.createTrial("s", TrialState.RUNNING, Map.of("gen", n));
        writer.setParam("s", n, "x", FloatDistribution.of(0, 1), n / 100.0);
        writer.reportIntermediate("s", n, 1, List.of(n * 2.0));
      }
      writer.finishTrial("s", 7, TrialOutcome.complete(List.of(0.5), List.of(), Map.of(), HB));

      long before = reader.rowsRead("s");
      FrozenTrial seven = reader.trial("s", 7);
      long read = reader.rowsRead("s") - before;
      // Trial 7's own rows (the trial, its param, attribute and step), not the study's 160.
      assertEquals(4, read, "rows read to look up one trial of 40");
      assertEquals(TrialState.COMPLETE, seven.state());
      assertEquals(List.of(0.5), seven.values());
      assertEquals(0.07, (double) seven.params().get("x"), 1e-12);
      assertEquals(7, ((Number) seven.systemAttrs().get("gen")).intValue());
      assertEquals(List.of(14.0), seven.intermediateValues().get(1L));
      assertEquals(seven, reader.trials("s").get(7), "the same trial as a full read gives");

      // Fresh: a write committed just before the lookup is in it.
      writer.setUserAttr("s", 3, "note", "late");
      assertEquals("late", reader.trial("s", 3).userAttrs().get("note"));
      assertThrows(java.util.NoSuchElementException.class, () -> reader.trial("s", 40));
    }
  }

  @Test
  void staleRunningTrialsAreFailedByHeartbeatAge() {
    try (PostgresStorage s = open(SERVER.newDatabase())) {
      s.createStudy("s", ONE);
      s.createTrial("s", TrialState.RUNNING, Map.of());
      s.createTrial("s", TrialState.RUNNING, Map.of());
      Instant now = Instant.now();
      s.heartbeat("s", 0, now.minus(Duration.ofMinutes(10)));
      s.heartbeat("s", 1, now);
      List<FrozenTrial> failed = s.failStaleTrials("s", Duration.ofMinutes(5), now);
      assertEquals(List.of(0), failed.stream().map(FrozenTrial::number).toList());
      assertEquals(TrialState.FAIL, s.trial("s", 0).state());
      assertTrue(s.trial("s", 0).failReason().contains("heartbeat"));
      assertEquals(TrialState.RUNNING, s.trial("s", 1).state());
    }
  }

  /**
   * Exactness across processes rests on the study-row lock: a creator that finds another
   * transaction creating a trial waits for it, then counts with that trial in. Another connection
   * plays the other process: it creates the study's second trial in an open transaction; the create
   * below a target of 2 must wait (seen in pg_stat_activity, not timed) and, once that transaction
   * commits, start nothing. Without the lock the count would come from before the commit and a
   * third trial would start.
   */
  @Test
  void aCreateBelowTheTargetWaitsForAnotherCreatorAndCountsItsTrial() throws Exception {
    String url = SERVER.newDatabase();
    String db = url.substring(url.lastIndexOf('/') + 1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (PostgresStorage s = open(url);
        Connection other = SERVER.connect(db);
        Connection watcher = SERVER.connect(db)) {
      s.createStudy("s", ONE);
      s.createTrial("s", TrialState.RUNNING, Map.of());
      other.setAutoCommit(false);
      try (Statement st = other.createStatement()) {
        st.execute(
            "WITH n AS (UPDATE knobflow_studies SET next_number = next_number + 1"
                + " WHERE name = 's' RETURNING id, next_number - 1 AS number)"
                + " INSERT INTO knobflow_trials (study_id, number, state, started, changed)"
                + " SELECT id, number, 'RUNNING', now(), pg_current_xact_id() FROM n");
      }
      Future<java.util.Optional<FrozenTrial>> create =
          pool.submit(() -> s.createTrialBelowTarget("s", 2, Map.of()));
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> waitingOnALock(watcher, db) > 0 || create.isDone());
      assertFalse(create.isDone(), "the create did not wait for the other creator");
      other.commit();
      assertTrue(create.get().isEmpty(), "a third trial started past the target of 2");
      assertEquals(2, s.trialsOccupyingTarget("s"));
      assertEquals(2, s.createTrial("s", TrialState.RUNNING, Map.of()).number());
    } finally {
      pool.shutdownNow();
    }
  }

  private static int waitingOnALock(Connection c, String db) throws java.sql.SQLException {
    try (Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '"
                    + db
                    + "' AND wait_event_type = 'Lock'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void aNewerSchemaIsRefusedWithAClearMessage() throws Exception {
    String url = SERVER.newDatabase();
    try (PostgresStorage s = open(url)) {
      s.createStudy("s", ONE);
    }
    String db = url.substring(url.lastIndexOf('/') + 1);
    try (Connection c = SERVER.connect(db);
        Statement st = c.createStatement()) {
      st.execute("UPDATE knobflow_schema_version SET version = 99");
    }
    var e = assertThrows(StorageException.class, () -> open(url));
    assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    assertTrue(e.getMessage().contains("newer"), e.getMessage());
    assertFalse(e.getMessage().contains(PostgresTestServer.PASSWORD), e.getMessage());
  }

  /**
   * Workers joining a database already at this schema version only read the version: while another
   * process holds the schema lock (as one creating or upgrading the tables does), opening the
   * storage neither waits for it nor fails. Every open used to take the lock, so worker JVMs
   * starting together queued on it one after another. Waiting is seen in pg_stat_activity, not
   * timed.
   */
  @Test
  void openingADatabaseAtThisSchemaVersionDoesNotWaitForTheSchemaLock() throws Exception {
    String url = SERVER.newDatabase();
    String db = url.substring(url.lastIndexOf('/') + 1);
    try (PostgresStorage s = open(url)) {
      s.createStudy("s", ONE);
    }
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection holder = SERVER.connect(db);
        Connection watcher = SERVER.connect(db)) {
      try (Statement st = holder.createStatement()) {
        st.execute("SELECT pg_advisory_lock(" + PostgresSchema.LOCK_KEY + ")");
      }
      Future<Boolean> opened =
          pool.submit(
              () -> {
                try (PostgresStorage s = open(url)) {
                  return s.findStudy("s").isPresent();
                }
              });
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> waitingOnALock(watcher, db) > 0 || opened.isDone());
      assertTrue(opened.isDone(), "opening the storage waited for the schema lock");
      assertTrue(opened.get(), "the study was not found through the storage opened without it");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWrongPasswordFailsAtOnceWithAClearMessageThatNeverShowsIt() {
    String db = SERVER.newDatabase();
    String wrong = db.replace(PostgresTestServer.PASSWORD, "Wr0ng-secret");
    var e = assertThrows(StorageException.class, () -> open(wrong));
    assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
    assertTrue(e.getMessage().contains("PGPASSWORD"), e.getMessage());
    assertFalse(e.getMessage().contains("Wr0ng-secret"), e.getMessage());
    assertTrue(e.getMessage().contains(":***@"), e.getMessage());
  }

  @Test
  void aMissingDatabaseOrAnUnreachableServerIsNamed() {
    var missing = assertThrows(StorageException.class, () -> open(SERVER.url("no_such_db", true)));
    assertTrue(missing.getMessage().contains("no_such_db"), missing.getMessage());
    assertTrue(missing.getMessage().contains("create the database"), missing.getMessage());
    assertFalse(missing.getMessage().contains(PostgresTestServer.PASSWORD));

    PostgresUrl nowhere = PostgresUrl.parse("postgresql://u:hunter2@127.0.0.1:1/db");
    var refused =
        assertThrows(
            StorageException.class,
            () ->
                PostgresStorage.open(
                    nowhere,
                    Map.of(),
                    PostgresStorage.Options.defaults()
                        .withRetry(new RetryPolicy(2, Duration.ZERO, Duration.ZERO, 1.0, 0.0))));
    assertTrue(refused.getMessage().contains("is the server running"), refused.getMessage());
    assertFalse(refused.getMessage().contains("hunter2"), refused.getMessage());
  }

  @Test
  void thePasswordComesFromPgpasswordOrThePgpassFile(@TempDir Path dir) throws Exception {
    String db = SERVER.newDatabase();
    String name = db.substring(db.lastIndexOf('/') + 1);
    PostgresUrl bare = PostgresUrl.parse(SERVER.url(name, false));
    try (PostgresStorage s =
        PostgresStorage.open(bare, Map.of("PGPASSWORD", PostgresTestServer.PASSWORD))) {
      s.createStudy("from-env", ONE);
    }
    Path pgpass = dir.resolve("pgpass");
    Files.writeString(
        pgpass,
        "127.0.0.1:"
            + SERVER.port()
            + ":"
            + name
            + ":"
            + PostgresTestServer.USER
            + ":"
            + PostgresTestServer.PASSWORD
            + "\n");
    Files.setPosixFilePermissions(
        pgpass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    // PgJDBC reads PGPASSFILE, ~/.pgpass or this property, in that order of precedence reversed.
    String old = System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
    try (PostgresStorage s = PostgresStorage.open(bare, Map.of())) {
      assertTrue(s.findStudy("from-env").isPresent());
    } finally {
      if (old == null) {
        System.clearProperty("org.postgresql.pgpassfile");
      } else {
        System.setProperty("org.postgresql.pgpassfile", old);
      }
    }
  }
}
