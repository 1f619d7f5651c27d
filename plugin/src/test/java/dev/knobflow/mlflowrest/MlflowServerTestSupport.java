package dev.knobflow.mlflowrest;

import dev.knobflow.plugin.testing.MlflowTestServer;
import dev.knobflow.time.RetryPolicy;
import java.time.Duration;
import java.util.UUID;

/** Options and names shared by the tests against the real MLflow server. */
final class MlflowServerTestSupport {

  static final RetryPolicy FAST_RETRY =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(800), 2.0, 0.5);

  private MlflowServerTestSupport() {}

  static WriterOptions.Builder fastOptions() {
    return WriterOptions.builder()
        .retry(FAST_RETRY)
        .linger(Duration.ofMillis(50))
        .closeTimeout(Duration.ofSeconds(30));
  }

  static MlflowTracking open(String uri) {
    return MlflowTracking.open(MlflowConnection.of(uri), fastOptions().build());
  }

  static MlflowTestServer server() {
    return MlflowTestServer.shared();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
