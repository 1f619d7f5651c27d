package dev.knobflow.mlflowrest;

import static dev.knobflow.mlflowrest.MlflowServerTestSupport.fastOptions;
import static dev.knobflow.mlflowrest.MlflowServerTestSupport.server;
import static dev.knobflow.mlflowrest.MlflowServerTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.plugin.testing.RecordingProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("mlflow")
class MlflowWriterServerTest {

  private RecordingProxy proxy;
  private MlflowTracking tracking;
  private String experimentId;

  @BeforeEach
  void connect() {
    proxy = RecordingProxy.to(server().port());
    tracking = MlflowTracking.open(MlflowConnection.of(proxy.uri()), fastOptions().build());
    experimentId = tracking.runs().getOrCreateExperiment(unique("writer"));
    proxy.reset();
  }

  @AfterEach
  void disconnect() {
    tracking.close();
    proxy.close();
  }

  @Test
  void twoThousandFiveHundredMetricsTravelInThreeLogBatchRequests() {
    String run = tracking.runs().createRun(experimentId, "many-metrics", Map.of()).runId();
    tracking.close();
    // A linger longer than the test: only full batches and the final flush send requests.
    tracking =
        MlflowTracking.open(
            MlflowConnection.of(proxy.uri()), fastOptions().linger(Duration.ofSeconds(30)).build());
    proxy.reset();
    WriterStats before = tracking.writer().stats();
    for (int step = 0; step < 2500; step++) {
      tracking.writer().logMetric(run, "loss", 1.0 / (step + 1), 1_000L + step, step);
    }
    tracking.writer().flush(Duration.ofSeconds(60));

    assertEquals(3, proxy.count("/runs/log-batch"), "log-batch requests on the wire");
    // The counter includes attempts repeated after a transient failure (on a loaded machine a
    // fresh connection to the proxy is now and then reset before the request reaches it).
    WriterStats after = tracking.writer().stats();
    assertEquals(
        3,
        (after.requests() - after.retries()) - (before.requests() - before.retries()),
        "writer's first attempts");
    List<MetricPoint> history = tracking.runs().metricHistory(run, "loss");
    assertEquals(2500, history.size());
    for (int step = 0; step < 2500; step++) {
      assertEquals(step, history.get(step).step());
      assertEquals(1.0 / (step + 1), history.get(step).value(), 1e-12);
      assertEquals(1_000L + step, history.get(step).timestamp());
    }
  }

  @Test
  void paramsAndTagsGoAtMostOneHundredPerRequest() {
    String run = tracking.runs().createRun(experimentId, "many-params", Map.of()).runId();
    proxy.reset();
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < 150; i++) {
      params.put("p" + i, "v" + i);
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < 90; i++) {
      tags.put("t" + i, "w" + i);
    }
    tracking.writer().logParams(run, params);
    tracking.writer().setTags(run, tags);
    tracking.writer().flush(Duration.ofSeconds(60));

    assertEquals(3, proxy.count("/runs/log-batch"), "240 params+tags need 3 requests of <= 100");
    RunRecord stored = tracking.runs().getRun(run);
    assertEquals(params, filter(stored.params(), "p"));
    assertEquals(tags, filter(stored.tags(), "t"));
  }

  @Test
  void metricStepsAndSeveralKeysRoundTrip() {
    String run = tracking.runs().createRun(experimentId, "steps", Map.of()).runId();
    for (int step = 0; step < 10; step++) {
      tracking.writer().logMetrics(run, Map.of("acc", step / 10.0, "loss", 10.0 - step), step);
    }
    tracking.writer().flush(Duration.ofSeconds(30));

    List<MetricPoint> acc = tracking.runs().metricHistory(run, "acc");
    List<MetricPoint> loss = tracking.runs().metricHistory(run, "loss");
    assertEquals(10, acc.size());
    assertEquals(10, loss.size());
    for (int step = 0; step < 10; step++) {
      assertEquals(step, acc.get(step).step());
      assertEquals(step / 10.0, acc.get(step).value(), 1e-12);
      assertEquals(10.0 - step, loss.get(step).value(), 1e-12);
    }
    assertEquals(0.9, tracking.runs().getRun(run).metrics().get("acc"), 1e-12);
  }

  @Test
  void oversizedParamIsTruncatedWithMarkerAndAccepted() {
    String run = tracking.runs().createRun(experimentId, "long-param", Map.of()).runId();
    tracking.writer().logParam(run, "long", "x".repeat(7000));
    tracking.writer().flush(Duration.ofSeconds(30));

    String stored = tracking.runs().getRun(run).params().get("long");
    assertEquals(6000, stored.length());
    assertTrue(stored.endsWith(MlflowLimits.TRUNCATION_MARKER));
  }

  @Test
  void refusedParamChangeIsIsolatedReportedAndTheRestDelivered() {
    String run = tracking.runs().createRun(experimentId, "param-change", Map.of()).runId();
    tracking.writer().logParam(run, "lr", "0.1");
    tracking.writer().flush(Duration.ofSeconds(30));

    tracking.writer().logParam(run, "lr", "0.2");
    for (int i = 0; i < 7; i++) {
      tracking.writer().logParam(run, "other" + i, "ok");
    }
    MlflowTrackingException refused =
        assertThrows(
            MlflowTrackingException.class, () -> tracking.writer().flush(Duration.ofSeconds(30)));

    assertTrue(refused.getMessage().contains("param lr"), refused.getMessage());
    assertEquals(1, tracking.writer().failures().size());
    assertEquals("param lr", tracking.writer().failures().get(0).what());
    RunRecord stored = tracking.runs().getRun(run);
    assertEquals("0.1", stored.params().get("lr"));
    for (int i = 0; i < 7; i++) {
      assertEquals("ok", stored.params().get("other" + i));
    }
    tracking.writer().flush(Duration.ofSeconds(5)); // already reported: no second throw
  }

  @Test
  void injectedServerErrorsAreRetriedWithoutLosingWrites() {
    String run = tracking.runs().createRun(experimentId, "flaky", Map.of()).runId();
    long retriesBefore = tracking.writer().stats().retries();
    proxy.reset();
    // The transport never repeats a request itself: each of the four 503s reaches our backoff.
    proxy.failNext(4, 503);
    for (int step = 0; step < 20; step++) {
      tracking.writer().logMetric(run, "m", step, step);
    }
    tracking.writer().flush(Duration.ofSeconds(30));

    assertEquals(20, tracking.runs().metricHistory(run, "m").size());
    assertEquals(4, tracking.writer().stats().retries() - retriesBefore);
    assertEquals(5, proxy.count("/runs/log-batch"), "4 refused + 1 delivered");
  }

  @Test
  void rateLimitedRequestsAreRetried() {
    String run = tracking.runs().createRun(experimentId, "rate-limited", Map.of()).runId();
    proxy.failNext(1, 429);
    tracking.writer().setTag(run, "state", "COMPLETE");
    tracking.writer().flush(Duration.ofSeconds(30));

    assertEquals("COMPLETE", tracking.runs().getRun(run).tags().get("state"));
  }

  @Test
  void terminationIsAppliedAfterTheRunsEarlierWrites() {
    String run = tracking.runs().createRun(experimentId, "ordered", Map.of()).runId();
    tracking.writer().logMetric(run, "m", 1.0, 0);
    tracking.writer().setDescription(run, "# Trial 0\nDone.");
    tracking.writer().terminate(run, RunOutcome.KILLED);
    tracking.writer().flush(Duration.ofSeconds(30));

    RunRecord stored = tracking.runs().getRun(run);
    assertEquals("KILLED", stored.status());
    assertTrue(stored.endTime() > 0);
    assertEquals("# Trial 0\nDone.", stored.tags().get(MlflowTags.NOTE));
    assertEquals(1.0, stored.metrics().get("m"));
  }

  private static Map<String, String> filter(Map<String, String> map, String prefix) {
    Map<String, String> result = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>(map.keySet());
    keys.stream().filter(k -> k.matches(prefix + "\\d+")).forEach(k -> result.put(k, map.get(k)));
    return result;
  }

  @Test
  void everyWriteIsCountedDeliveredOnceFlushed() {
    String run = tracking.runs().createRun(experimentId, "stats", Map.of()).runId();
    WriterStats before = tracking.writer().stats();
    tracking.writer().logParam(run, "a", "1");
    tracking.writer().logMetric(run, "m", 2.0, 0);
    tracking.writer().flush(Duration.ofSeconds(30));
    WriterStats after = tracking.writer().stats();

    assertEquals(2, after.accepted() - before.accepted());
    assertEquals(2, after.delivered() - before.delivered());
    assertEquals(0, after.pending());
    assertFalse(after.failed() > before.failed());
  }
}
