package dev.knobflow.plugin.cli;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.postgres.PostgresStorage;
import dev.knobflow.plugin.postgres.PostgresUrl;
import dev.knobflow.plugin.testing.MlflowTestServer;
import dev.knobflow.plugin.testing.PostgresTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/deploy.md on loopback: one PostgreSQL database holds Knobflow's studies and MLflow's backend
 * store ({@code mlflow server --backend-store-uri postgresql://...}); {@code tune} and a {@code
 * worker} share the study and track into that MLflow server.
 */
class OneDatabaseDeploymentTest {

  private static final String PASSWORD = PostgresTestServer.PASSWORD;

  @Test
  void studiesAndMlflowRunsLiveInOneDatabaseAndThePasswordInNeither(@TempDir Path dir)
      throws Exception {
    PostgresTestServer pg = PostgresTestServer.shared();
    String url = pg.newDatabase();
    String db = url.substring(url.lastIndexOf('/') + 1);
    // MLflow 3 (SQLAlchemy 2) picks psycopg 3 for a bare postgresql:// URI; name psycopg2.
    MlflowTestServer mlflow =
        MlflowTestServer.createWithBackend(url.replace("postgresql://", "postgresql+psycopg2://"));
    mlflow.start();
    try {
      Path study = dir.resolve("study.yaml");
      Files.writeString(
          study,
          """
          name: one-db
          storage: %s
          tracking: {uri: %s, experiment: one-db}
          seed: 5
          objectives: [{name: value, direction: minimize}]
          space:
            x: {type: float, low: -5, high: 5}
          trials: 3
          objective: {class: dev.knobflow.plugin.faults.SlowSquare}
          """
              .formatted(url, mlflow.trackingUri()));
      CliRun tune = cli("tune", study.toString());
      assertEquals(0, tune.exit(), tune.out() + tune.err());
      assertFalse((tune.out() + tune.err()).contains(PASSWORD));
      CliRun worker = cli("worker", "one-db", "--storage", url, "--trials", "2");
      assertEquals(0, worker.exit(), worker.out() + worker.err());
      assertFalse((worker.out() + worker.err()).contains(PASSWORD));

      try (PostgresStorage s = PostgresStorage.open(PostgresUrl.parse(url), Map.of())) {
        var trials = s.trials("one-db");
        assertEquals(5, trials.size());
        assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.COMPLETE));
      }
      try (Connection c = pg.connect(db);
          Statement st = c.createStatement()) {
        assertEquals(5, count(st, "SELECT count(*) FROM knobflow_trials"));
        // MLflow's own tables, in the same database.
        // tune's study run and its 3 trial runs (worker and resume do not track into MLflow).
        long runs = count(st, "SELECT count(*) FROM runs");
        assertTrue(
            runs >= 4,
            "MLflow wrote its runs into the same PostgreSQL database: "
                + runs
                + " runs\n"
                + tune.out()
                + tune.err()
                + "\n"
                + mlflow.logTail());
        assertEquals(
            0,
            count(
                st,
                "SELECT (SELECT count(*) FROM params WHERE value LIKE '%"
                    + PASSWORD
                    + "%') + (SELECT count(*) FROM tags WHERE value LIKE '%"
                    + PASSWORD
                    + "%') + (SELECT count(*) FROM knobflow_study_attrs WHERE value LIKE '%"
                    + PASSWORD
                    + "%')"),
            "no parameter, tag or study attribute holds the password");
      }
    } finally {
      mlflow.stop();
    }
  }

  private static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
