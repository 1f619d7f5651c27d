package dev.knobflow.mlflowrest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlflowWriterTakeMetricsTest {

  /** Records what the writer sends instead of sending it. */
  private static final class RecordingSink implements BatchSink {
    final List<String> sent = new ArrayList<>();

    @Override
    public synchronized void logBatch(
        String runId,
        List<PendingWrite.Metric> metrics,
        List<PendingWrite.Param> params,
        List<PendingWrite.Tag> tags) {
      metrics.forEach(m -> sent.add(runId + " metric " + m.key() + "@" + m.step()));
      tags.forEach(t -> sent.add(runId + " tag " + t.key()));
    }

    @Override
    public synchronized void terminate(PendingWrite.Terminate terminate) {
      sent.add(terminate.runId() + " end");
    }
  }

  @Test
  void bufferedMetricsOfOneRunAreTakenOutForTheCallersOwnRequestAndNotSentTwice() {
    RecordingSink sink = new RecordingSink();
    try (MlflowWriter writer =
        new MlflowWriter(
            sink,
            MlflowConnection.of("http://127.0.0.1:1"),
            WriterOptions.builder().linger(Duration.ofHours(1)).build(),
            Clock.systemUTC())) {
      writer.logMetric("study", "best/loss", 3.0, 10, 0);
      writer.setTags("study", Map.of("note", "x"));
      writer.logMetric("trial", "loss", 1.0, 11, 0);
      writer.logMetric("study", "best/loss", 2.0, 12, 1);

      List<MetricPoint> taken = writer.takeBufferedMetrics("study", 10);

      assertEquals(
          List.of(
              new MetricPoint("best/loss", 3.0, 10, 0), new MetricPoint("best/loss", 2.0, 12, 1)),
          taken);
      assertEquals(List.of(), writer.takeBufferedMetrics("study", 10));
      writer.flush(Duration.ofSeconds(30)); // returns: what was taken counts as done
      List<String> sent;
      synchronized (sink) {
        sent = new ArrayList<>(sink.sent);
      }
      sent.sort(String::compareTo);
      assertEquals(List.of("study tag note", "trial metric loss@0"), sent);
    }
  }
}
