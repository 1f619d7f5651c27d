package dev.knobflow.mlflowrest;

import static dev.knobflow.mlflowrest.MlflowServerTestSupport.fastOptions;
import static dev.knobflow.mlflowrest.MlflowServerTestSupport.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.plugin.testing.RecordingProxy;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("mlflow")
class MlflowConnectionErrorsTest {

  private static final String TOKEN = "s3cr3t-token-value";

  @TempDir Path temp;

  @Test
  void unreachableServerAtOpenNamesTheUri() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String uri = "http://127.0.0.1:" + port;
    MlflowTrackingException e =
        assertThrows(
            MlflowTrackingException.class,
            () ->
                MlflowTracking.open(
                    MlflowConnection.of(uri, Map.of(MlflowConnection.ENV_TOKEN, TOKEN)),
                    fastOptions().build()));
    assertTrue(
        e.getMessage().contains("Cannot reach the MLflow tracking server at " + uri),
        e.getMessage());
    assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    assertFalse(e.getMessage().contains(TOKEN));
  }

  @Test
  void invalidHostHeaderIsExplainedWithTheServerOption() {
    try (RecordingProxy proxy = RecordingProxy.to(server().port())) {
      proxy.overrideHost("tracking.example.com");
      MlflowTrackingException e =
          assertThrows(
              MlflowTrackingException.class,
              () ->
                  MlflowTracking.open(
                      MlflowConnection.of(proxy.uri(), Map.of(MlflowConnection.ENV_TOKEN, TOKEN)),
                      fastOptions().build()));
      assertEquals(403, e.statusCode());
      assertTrue(e.getMessage().contains("Invalid Host header"), e.getMessage());
      assertTrue(e.getMessage().contains("--allowed-hosts"), e.getMessage());
      assertTrue(e.getMessage().contains("MLFLOW_SERVER_ALLOWED_HOSTS"), e.getMessage());
      assertFalse(e.getMessage().contains(TOKEN));
    }
  }

  @Test
  void bearerTokenFromTheEnvironmentIsSentOnTrackingAndArtifactRequests() throws IOException {
    try (RecordingProxy proxy = RecordingProxy.to(server().port());
        MlflowTracking tracking =
            MlflowTracking.open(
                MlflowConnection.of(proxy.uri(), Map.of(MlflowConnection.ENV_TOKEN, TOKEN)),
                fastOptions().build())) {
      String experiment =
          tracking.runs().getOrCreateExperiment(MlflowServerTestSupport.unique("auth"));
      String run = tracking.runs().createRun(experiment, "r", Map.of()).runId();
      tracking.writer().logMetric(run, "m", 1.0, 0);
      tracking.writer().flush(java.time.Duration.ofSeconds(30));
      tracking.artifacts().upload(run, Files.writeString(temp.resolve("a.txt"), "a"), "");

      assertFalse(proxy.requests().isEmpty());
      proxy
          .requests()
          .forEach(r -> assertEquals("Bearer " + TOKEN, r.header("Authorization"), r.path()));
      assertTrue(proxy.requests().stream().anyMatch(r -> r.method().equals("PUT")));
      assertTrue(proxy.count("/runs/log-batch") >= 1);
    }
  }

  @Test
  void basicCredentialsFromTheEnvironmentAreSentAsBasicAuth() {
    try (RecordingProxy proxy = RecordingProxy.to(server().port());
        MlflowTracking tracking =
            MlflowTracking.open(
                MlflowConnection.of(
                    proxy.uri(),
                    Map.of(
                        MlflowConnection.ENV_USERNAME, "alice",
                        MlflowConnection.ENV_PASSWORD, "pa:ss")),
                fastOptions().build())) {
      tracking.runs().findExperimentId("Default");
      String expected =
          "Basic "
              + Base64.getEncoder().encodeToString("alice:pa:ss".getBytes(StandardCharsets.UTF_8));
      assertFalse(proxy.requests().isEmpty());
      proxy.requests().forEach(r -> assertEquals(expected, r.header("Authorization")));
    }
  }
}
