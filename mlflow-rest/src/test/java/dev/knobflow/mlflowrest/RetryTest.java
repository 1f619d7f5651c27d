package dev.knobflow.mlflowrest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.time.RetryPolicy;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {

  private static final MlflowConnection CONNECTION =
      MlflowConnection.of("http://127.0.0.1:1").withCredentials(MlflowCredentials.bearer("tok-x"));

  private final List<Duration> sleeps = new ArrayList<>();
  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(500), 2.0, 0.5);
  private final Retrier retrier = new Retrier(policy, CONNECTION, sleeps::add, () -> 0.0);

  @Test
  void delaysGrowExponentiallyUpToTheCapAndJitterOnlyShortensThem() {
    assertEquals(Duration.ofMillis(100), policy.delayBeforeRetry(1, 0.0));
    assertEquals(Duration.ofMillis(200), policy.delayBeforeRetry(2, 0.0));
    assertEquals(Duration.ofMillis(400), policy.delayBeforeRetry(3, 0.0));
    assertEquals(Duration.ofMillis(500), policy.delayBeforeRetry(4, 0.0));
    assertEquals(Duration.ofMillis(250), policy.delayBeforeRetry(4, 1.0));
  }

  @Test
  void serverErrorsRateLimitsAndConnectionFailuresAreRetriedThenSucceed() {
    AtomicInteger calls = new AtomicInteger();
    List<RuntimeException> failures =
        List.of(
            new MlflowHttpException(503, "Service Unavailable", "{}"),
            new MlflowHttpException(429, "Too Many Requests", "{}"),
            new MlflowClientException(new ConnectException("Connection refused")));

    String result =
        retrier.call(
            "op",
            () -> {
              int n = calls.getAndIncrement();
              if (n < failures.size()) {
                throw failures.get(n);
              }
              return "ok";
            });

    assertEquals("ok", result);
    assertEquals(4, calls.get());
    assertEquals(
        List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)), sleeps);
    assertEquals(3, retrier.retries());
  }

  @Test
  void clientErrorsAreNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    MlflowTrackingException e =
        assertThrows(
            MlflowTrackingException.class,
            () ->
                retrier.call(
                    "log-batch",
                    () -> {
                      calls.incrementAndGet();
                      throw new MlflowHttpException(
                          400,
                          "Bad Request",
                          "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Changing param values is not allowed\"}");
                    }));

    assertEquals(1, calls.get());
    assertEquals(400, e.statusCode());
    assertEquals("INVALID_PARAMETER_VALUE", e.errorCode());
    assertTrue(e.getMessage().contains("Changing param values is not allowed"), e.getMessage());
  }

  @Test
  void attemptsAreBoundedAndTheLastFailureIsDescribedWithoutSecrets() {
    AtomicInteger calls = new AtomicInteger();
    MlflowTrackingException e =
        assertThrows(
            MlflowTrackingException.class,
            () ->
                retrier.call(
                    "create run",
                    () -> {
                      calls.incrementAndGet();
                      throw new MlflowClientException(new ConnectException("refused tok-x"));
                    }));

    assertEquals(5, calls.get());
    assertEquals(4, sleeps.size());
    assertTrue(
        e.getMessage().startsWith("Cannot reach the MLflow tracking server at http://127.0.0.1:1"));
    assertTrue(!e.getMessage().contains("tok-x"));
  }

  @Test
  void invalidHostHeaderIsExplained() {
    MlflowTrackingException e =
        MlflowFailures.describeHttp(
            "log-batch",
            MlflowConnection.of("http://mlflow.internal:5000"),
            403,
            "Invalid Host header - possible DNS rebinding attack detected",
            null);

    assertTrue(e.getMessage().contains("--allowed-hosts 'mlflow.internal:5000'"), e.getMessage());
  }

  @Test
  void invalidPoliciesAreRejectedNamingTheField() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 2, 0))
            .getMessage()
            .contains("maxAttempts"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.5))
            .getMessage()
            .contains("jitter"));
  }
}
