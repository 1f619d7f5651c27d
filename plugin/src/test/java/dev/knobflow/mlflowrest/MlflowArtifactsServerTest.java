package dev.knobflow.mlflowrest;

import static dev.knobflow.mlflowrest.MlflowServerTestSupport.fastOptions;
import static dev.knobflow.mlflowrest.MlflowServerTestSupport.server;
import static dev.knobflow.mlflowrest.MlflowServerTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.plugin.testing.RecordingProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.CreateExperiment;
import org.mlflow.tracking.MlflowClient;

@Tag("mlflow")
class MlflowArtifactsServerTest {

  @TempDir Path temp;

  @Test
  void filesAreUploadedOverTheProxiedArtifactApiAndListed() throws Exception {
    try (RecordingProxy proxy = RecordingProxy.to(server().port());
        MlflowTracking tracking =
            MlflowTracking.open(MlflowConnection.of(proxy.uri()), fastOptions().build())) {
      String experiment = tracking.runs().getOrCreateExperiment(unique("artifacts"));
      RunRecord run = tracking.runs().createRun(experiment, "study", Map.of());
      assertTrue(run.artifactUri().startsWith("mlflow-artifacts:/"), run.artifactUri());

      Path report = Files.writeString(temp.resolve("report.html"), "<h1>Pareto front</h1>");
      Path dir = Files.createDirectories(temp.resolve("plots"));
      Files.write(dir.resolve("history.png"), new byte[] {1, 2, 3, 4, 5});
      Files.createDirectories(dir.resolve("curves"));
      Files.write(dir.resolve("curves").resolve("trial 0.png"), new byte[] {9, 9});

      tracking.artifacts().upload(run.runId(), report, "");
      tracking.artifacts().uploadDirectory(run.runId(), dir, "plots");
      tracking
          .artifacts()
          .uploadBytes(
              run.runId(), "advice/summary.md", "# Advice".getBytes(StandardCharsets.UTF_8));

      Map<String, Long> root = sizes(tracking.artifacts().list(run.runId(), ""));
      assertEquals(Map.of("report.html", 21L, "plots", 0L, "advice", 0L), root);
      assertEquals(
          Map.of("plots/history.png", 5L, "plots/curves", 0L),
          sizes(tracking.artifacts().list(run.runId(), "plots")));
      assertEquals(
          Map.of("plots/curves/trial 0.png", 2L),
          sizes(tracking.artifacts().list(run.runId(), "plots/curves")));
      assertEquals(
          4,
          proxy.requests().stream()
              .filter(r -> r.method().equals("PUT"))
              .filter(r -> r.path().startsWith("/api/2.0/mlflow-artifacts/artifacts/" + experiment))
              .count());
      Path stored =
          Files.list(server().logFile().getParent().resolve("artifacts").resolve(experiment))
              .findFirst()
              .orElseThrow();
      assertEquals(
          "<h1>Pareto front</h1>",
          Files.readString(stored.resolve("artifacts").resolve("report.html")));
    }
  }

  @Test
  void runsWithALocalArtifactRootGetTheirFilesCopied() throws Exception {
    Path root = Files.createDirectories(temp.resolve("local-root"));
    String name = unique("local");
    String experiment;
    try (MlflowClient raw = new MlflowClient(server().trackingUri())) {
      experiment =
          raw.createExperiment(
              CreateExperiment.newBuilder()
                  .setName(name)
                  .setArtifactLocation(root.toUri().toString())
                  .build());
    }
    try (MlflowTracking tracking =
        MlflowTracking.open(MlflowConnection.of(server().trackingUri()), fastOptions().build())) {
      RunRecord run = tracking.runs().createRun(experiment, "study", Map.of());
      assertTrue(run.artifactUri().startsWith("file:"), run.artifactUri());
      Path file = Files.writeString(temp.resolve("notes.txt"), "hello");
      tracking.artifacts().upload(run.runId(), file, "docs");

      Path copied = Path.of(java.net.URI.create(run.artifactUri())).resolve("docs/notes.txt");
      assertEquals("hello", Files.readString(copied));
      assertEquals(
          List.of("docs/notes.txt"),
          tracking.artifacts().list(run.runId(), "docs").stream().map(ArtifactInfo::path).toList());
    }
  }

  private static Map<String, Long> sizes(List<ArtifactInfo> infos) {
    return infos.stream().collect(Collectors.toMap(ArtifactInfo::path, ArtifactInfo::size));
  }
}
