package dev.knobflow.plugin.cli;

import static dev.knobflow.plugin.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.plugin.config.StorageSpec;
import dev.knobflow.plugin.mlflow.MlflowSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command that reaches MLflow takes the same --tracking-uri and --experiment. */
class TrackingOptionsTest {

  @ParameterizedTest
  @ValueSource(strings = {"tune", "worker", "resume", "show", "report", "importance", "studies"})
  void everyMlflowCommandTakesTheSharedTrackingOptions(String command) {
    CliRun help = cli(command, "--help");
    assertEquals(0, help.exit(), help.err());
    assertTrue(help.out().contains("--tracking-uri=URI"), help.out());
    assertTrue(help.out().contains("--experiment=NAME"), help.out());
  }

  @Test
  void aBadTrackingUriIsBadInputNamingTheOption() {
    CliRun run = cli("studies", "--storage", "mlflow", "--tracking-uri", "ftp://host");
    assertEquals(2, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("--tracking-uri"), run.err());
  }

  @Test
  void theOptionsWinOverTheStorageSpecAndTheStudyFilesTracking() {
    TrackingOptions options = new TrackingOptions();
    options.trackingUri = "http://cli:5000";
    options.experiment = "from-cli";
    assertEquals(
        new StorageSpec.Mlflow("http://cli:5000", "from-cli"),
        options.apply(new StorageSpec.Mlflow("http://file:5000", "from-file")));
    StorageSpec journal = new StorageSpec.Journal(Path.of("j.jsonl"));
    assertEquals(journal, options.apply(journal));

    MlflowSettings file =
        new MlflowSettings(
            Optional.of(
                new MlflowSettings.Tracking("http://file:5000", "from-file", Optional.empty())),
            Optional.empty(),
            Optional.empty());
    MlflowSettings.Tracking applied =
        options.apply(file, "study", Map.of()).tracking().orElseThrow();
    assertEquals("http://cli:5000", applied.uri());
    assertEquals("from-cli", applied.experiment());
    // A URI alone turns tracking on, in the experiment the environment or the study name gives.
    TrackingOptions uriOnly = new TrackingOptions();
    uriOnly.trackingUri = "http://cli:5000";
    assertEquals(
        "study",
        uriOnly
            .apply(MlflowSettings.none(), "study", Map.of())
            .tracking()
            .orElseThrow()
            .experiment());
  }
}
