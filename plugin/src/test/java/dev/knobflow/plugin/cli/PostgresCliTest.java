package dev.knobflow.plugin.cli;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.postgres.PostgresStorage;
import dev.knobflow.plugin.postgres.PostgresUrl;
import dev.knobflow.plugin.testing.PostgresTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on the PostgreSQL storage: tune, worker, studies, show; the password never printed. */
class PostgresCliTest {

  private static final String PASSWORD = PostgresTestServer.PASSWORD;

  private static void assertNoPassword(CliRun run) {
    assertFalse(run.out().contains(PASSWORD), run.out());
    assertFalse(run.err().contains(PASSWORD), run.err());
  }

  @Test
  void tuneThenAWorkerJoinsThenStudiesAndShowReadTheDatabase(@TempDir Path dir) throws Exception {
    String url = PostgresTestServer.shared().newDatabase();
    Path study = dir.resolve("study.yaml");
    Files.writeString(
        study,
        """
        name: pg-cli
        storage: %s
        seed: 3
        objectives: [{name: value, direction: minimize}]
        space:
          x: {type: float, low: -5, high: 5}
        trials: 4
        objective: {class: dev.knobflow.plugin.faults.SlowSquare}
        """
            .formatted(url));
    CliRun tune = cli("tune", study.toString());
    assertEquals(0, tune.exit(), tune.out() + tune.err());
    assertNoPassword(tune);
    assertTrue(tune.out().contains(":***@127.0.0.1"), tune.out());

    CliRun worker = cli("worker", "pg-cli", "--storage", url, "--trials", "3");
    assertEquals(0, worker.exit(), worker.out() + worker.err());
    assertNoPassword(worker);

    CliRun studies = cli("studies", "--storage", url);
    assertEquals(0, studies.exit(), studies.out() + studies.err());
    assertTrue(studies.out().contains("pg-cli"), studies.out());
    assertNoPassword(studies);

    CliRun show = cli("show", "pg-cli", "--storage", url);
    assertEquals(0, show.exit(), show.out() + show.err());
    assertNoPassword(show);

    try (PostgresStorage s = PostgresStorage.open(PostgresUrl.parse(url), Map.of())) {
      List<FrozenTrial> trials = s.trials("pg-cli");
      assertEquals(7, trials.size(), "4 by tune, 3 by the worker");
      assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.COMPLETE));
      String stored = (String) s.findStudy("pg-cli").orElseThrow().attrs().get("study_file");
      assertFalse(stored.contains(PASSWORD), "the stored study file has the password masked");
      assertTrue(stored.contains(":***@"), stored);
    }
  }

  @Test
  void aBadUrlNamesTheFormAndNeverPrintsThePassword() {
    CliRun noDb = cli("studies", "--storage", "postgresql://knobflow:" + PASSWORD + "@127.0.0.1");
    assertEquals(2, noDb.exit(), noDb.out() + noDb.err());
    assertTrue(noDb.err().contains("postgresql://USER[:PASSWORD]@HOST[:PORT]/DB"), noDb.err());
    assertTrue(noDb.err().contains("no /DB"), noDb.err());
    assertNoPassword(noDb);

    CliRun badPort =
        cli("studies", "--storage", "postgresql://knobflow:" + PASSWORD + "@127.0.0.1:99999/db");
    assertEquals(2, badPort.exit(), badPort.out() + badPort.err());
    assertTrue(badPort.err().contains("1..65535"), badPort.err());
    assertNoPassword(badPort);
  }

  @Test
  void aWrongPasswordFailsWithAClearMessageEvenWithVerbose() {
    String url = PostgresTestServer.shared().newDatabase().replace(PASSWORD, "Not-the-Pw");
    CliRun run = cli("studies", "--storage", url, "--verbose");
    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("password authentication failed"), run.err());
    assertFalse(run.err().contains("Not-the-Pw"), run.err());
  }
}
