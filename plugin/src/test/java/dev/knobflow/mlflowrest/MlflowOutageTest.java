package dev.knobflow.mlflowrest;

import static dev.knobflow.mlflowrest.MlflowServerTestSupport.fastOptions;
import static dev.knobflow.mlflowrest.MlflowServerTestSupport.server;
import static dev.knobflow.mlflowrest.MlflowServerTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.plugin.testing.MlflowTestServer;
import dev.knobflow.plugin.testing.RecordingProxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("mlflow")
class MlflowOutageTest {

  @AfterEach
  void serverIsBack() {
    server().start();
  }

  @Test
  void writesMadeWhileTheServerIsDownAreDeliveredInOrderAfterRestart() throws Exception {
    MlflowTestServer server = server();
    try (MlflowTracking tracking =
        MlflowTracking.open(MlflowConnection.of(server.trackingUri()), fastOptions().build())) {
      String experiment = tracking.runs().getOrCreateExperiment(unique("outage"));
      String run = tracking.runs().createRun(experiment, "trial", Map.of()).runId();
      tracking.writer().logMetric(run, "loss", 100.0, 0);
      tracking.writer().flush(Duration.ofSeconds(30));

      server.stop();
      for (int step = 1; step <= 300; step++) {
        tracking.writer().logMetric(run, "loss", 100.0 - step / 10.0, step);
      }
      tracking.writer().setTag(run, "state", "RUNNING");
      tracking.writer().setTag(run, "state", "COMPLETE");
      tracking.writer().terminate(run, RunOutcome.FINISHED);

      MlflowTrackingException timeout =
          assertThrows(
              MlflowTrackingException.class,
              () -> tracking.writer().flush(Duration.ofMillis(1500)));
      assertTrue(
          timeout.getMessage().contains("303 tracking writes not yet delivered"),
          timeout.getMessage());
      assertEquals(303, tracking.writer().stats().pending());

      server.start();
      tracking.writer().flush(Duration.ofSeconds(90));

      assertEquals(301, tracking.runs().metricHistory(run, "loss").size());
      RunRecord stored = tracking.runs().getRun(run);
      assertEquals("COMPLETE", stored.tags().get("state"));
      assertEquals("FINISHED", stored.status());
      assertEquals(0, tracking.writer().stats().pending());
      assertEquals(0, tracking.writer().stats().failed());
    }
  }

  @Test
  void fullBufferMakesLoggingFailLoudlyInsteadOfDropping() {
    try (RecordingProxy proxy = RecordingProxy.to(server().port())) {
      MlflowTracking tracking =
          MlflowTracking.open(
              MlflowConnection.of(proxy.uri()),
              fastOptions()
                  .bufferCapacity(50)
                  .enqueueTimeout(Duration.ofMillis(300))
                  .closeTimeout(Duration.ofMillis(500))
                  .build());
      String experiment = tracking.runs().getOrCreateExperiment(unique("full"));
      String run = tracking.runs().createRun(experiment, "trial", Map.of()).runId();
      proxy.failNext(Integer.MAX_VALUE, 503);
      for (int step = 0; step < 50; step++) {
        tracking.writer().logMetric(run, "m", step, step);
      }
      MlflowTrackingException full =
          assertThrows(
              MlflowTrackingException.class, () -> tracking.writer().logMetric(run, "m", 50, 50));
      assertTrue(full.getMessage().contains("Tracking buffer full: 50 writes"), full.getMessage());

      MlflowTrackingException closing =
          assertThrows(MlflowTrackingException.class, tracking::close);
      assertTrue(
          closing.getMessage().contains("50 tracking writes undelivered"), closing.getMessage());
    }
  }
}
