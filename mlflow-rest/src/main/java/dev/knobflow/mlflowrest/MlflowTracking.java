package dev.knobflow.mlflowrest;

import dev.knobflow.time.RetryPolicy;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Entry point of the tracking layer: one connection to an MLflow server with its {@link MlflowRuns}
 * (experiments and runs), {@link MlflowWriter} (buffered metrics, params, tags) and {@link
 * MlflowArtifacts} (HTTP uploads).
 *
 * <pre>{@code
 * try (MlflowTracking tracking = MlflowTracking.open(
 *     MlflowConnection.fromEnvironment(System.getenv()), WriterOptions.defaults())) {
 *   String experiment = tracking.runs().getOrCreateExperiment("my-study");
 *   RunRecord study = tracking.runs().createRun(experiment, "study", Map.of());
 *   RunRecord trial = tracking.runs().createChildRun(experiment, study.runId(), "trial-0", Map.of());
 *   tracking.writer().logParam(trial.runId(), "lr", "0.01");
 *   tracking.writer().logMetric(trial.runId(), "loss", 0.42, 1);
 *   tracking.writer().terminate(trial.runId(), RunOutcome.FINISHED);
 * }
 * }</pre>
 */
public final class MlflowTracking implements AutoCloseable {

  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final MlflowConnection connection;
  private final MlflowRestClient client;
  private final MlflowRuns runs;
  private final MlflowWriter writer;
  private final MlflowArtifacts artifacts;

  private MlflowTracking(MlflowConnection connection, WriterOptions options, Clock clock) {
    this.connection = connection;
    this.client = new MlflowRestClient(connection, CONNECT_TIMEOUT, HTTP_TIMEOUT);
    Retrier retrier = Retrier.of(options.retry(), connection);
    this.runs = new MlflowRuns(client, retrier, clock);
    this.writer = new MlflowWriter(new MlflowRestSink(client), connection, options, clock);
    this.artifacts =
        new MlflowArtifacts(
            connection,
            httpClient(connection),
            retrier,
            runId -> runs.getRun(runId).artifactUri(),
            HTTP_TIMEOUT);
  }

  /**
   * Connects and checks that the server answers (one quick request, no retries), so that a wrong
   * URI, a stopped server, bad credentials or a refused Host header fail here with a clear message.
   *
   * @throws MlflowTrackingException naming the URI and what to check
   */
  public static MlflowTracking open(MlflowConnection connection, WriterOptions options) {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(options, "options");
    MlflowTracking tracking = new MlflowTracking(connection, options, Clock.systemUTC());
    try {
      tracking.checkReachable();
    } catch (RuntimeException e) {
      tracking.closeQuietly();
      throw e;
    }
    return tracking;
  }

  /** {@link #open(MlflowConnection, WriterOptions)} with {@link WriterOptions#defaults()}. */
  public static MlflowTracking open(MlflowConnection connection) {
    return open(connection, WriterOptions.defaults());
  }

  /** The connection in use. */
  public MlflowConnection connection() {
    return connection;
  }

  /** Experiments and runs. */
  public MlflowRuns runs() {
    return runs;
  }

  /** Buffered metrics, params, tags and terminations. */
  public MlflowWriter writer() {
    return writer;
  }

  /** Artifact upload and listing. */
  public MlflowArtifacts artifacts() {
    return artifacts;
  }

  /** Flushes and closes the writer (see {@link MlflowWriter#close()}). */
  @Override
  public void close() {
    writer.close();
  }

  private void checkReachable() {
    Retrier.of(RetryPolicy.noRetry(), connection)
        .call(
            "connect to the tracking server",
            () -> client.get("experiments/search", "max_results", "1"));
  }

  private void closeQuietly() {
    try {
      writer.close();
    } catch (RuntimeException ignored) {
      // nothing was logged yet
    }
  }

  private static HttpClient httpClient(MlflowConnection connection) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL);
    if (connection.insecureTls()) {
      builder.sslContext(InsecureTls.trustAllContext());
    }
    return builder.build();
  }
}
