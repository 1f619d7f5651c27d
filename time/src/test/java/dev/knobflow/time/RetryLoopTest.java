package dev.knobflow.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryLoopTest {

  private final FakeClock clock = FakeClock.autoAdvancing();

  @Test
  void transientFailuresAreRetriedWithGrowingCappedDelays() throws IOException {
    RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(300), 2, 0);
    AtomicInteger calls = new AtomicInteger();
    String result =
        policy
            .loop(clock, clock)
            .call(
                IOException.class,
                () -> {
                  if (calls.incrementAndGet() < 4) {
                    throw new IOException("down");
                  }
                  return "ok";
                },
                e -> true,
                (n, d, e) -> {});
    assertEquals("ok", result);
    assertEquals(4, calls.get());
    assertEquals(
        List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300)),
        clock.sleeps());
  }

  @Test
  void theLastFailureIsThrownWhenAttemptsRunOut() {
    RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(10), 1, 0);
    List<Integer> told = new ArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                policy
                    .loop(clock, clock)
                    .call(
                        IOException.class,
                        () -> {
                          throw new IOException("attempt " + calls.incrementAndGet());
                        },
                        e -> true,
                        (n, d, e) -> told.add(n)));
    assertEquals("attempt 3", thrown.getMessage());
    assertEquals(List.of(1, 2), told);
  }

  @Test
  void aFailureThatIsNotRetryableIsThrownAtOnce() {
    IllegalStateException bug = new IllegalStateException("bug");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                RetryPolicy.defaults()
                    .loop(clock, clock)
                    .call(
                        RuntimeException.class,
                        () -> {
                          throw bug;
                        },
                        e -> !(e instanceof IllegalStateException),
                        (n, d, e) -> {}));
    assertSame(bug, thrown);
    assertTrue(clock.sleeps().isEmpty());
  }

  @Test
  void anUncheckedExceptionOfAnotherTypePassesThrough() {
    assertThrows(
        ArithmeticException.class,
        () ->
            RetryPolicy.defaults()
                .loop(clock, clock)
                .call(
                    IOException.class,
                    () -> {
                      throw new ArithmeticException();
                    },
                    e -> true,
                    (n, d, e) -> {}));
    assertTrue(clock.sleeps().isEmpty());
  }

  @Test
  void aTimeLimitedPolicyStopsRetryingOnceItsTimeIsSpent() {
    RetryPolicy policy =
        RetryPolicy.within(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(4));
    AtomicInteger calls = new AtomicInteger();
    assertThrows(
        IOException.class,
        () ->
            policy
                .loop(clock, clock)
                .call(
                    IOException.class,
                    () -> {
                      calls.incrementAndGet();
                      throw new IOException();
                    },
                    e -> true,
                    (n, d, e) -> {}));
    // Waits 1, 2, 4, 4 s: at 11 s no retry starts.
    assertEquals(5, calls.get());
    assertEquals(Duration.ofSeconds(11), clock.elapsed());
  }

  @Test
  void jitterShortensADelayByAtMostItsFraction() {
    RetryPolicy policy =
        new RetryPolicy(3, Duration.ofMillis(1000), Duration.ofMillis(1000), 2, 0.5);
    assertEquals(Duration.ofMillis(1000), policy.delayBeforeRetry(1, 0.0));
    assertEquals(Duration.ofMillis(750), policy.delayBeforeRetry(1, 0.5));
    assertEquals(Duration.ofMillis(500), policy.delayBeforeRetry(1, 1.0));
  }

  @Test
  void interruptionWhileWaitingThrowsTheLastFailureAndKeepsTheFlag() {
    Sleeper interrupted =
        d -> {
          throw new InterruptedException();
        };
    IOException failure = new IOException("down");
    try {
      IOException thrown =
          assertThrows(
              IOException.class,
              () ->
                  RetryPolicy.defaults()
                      .loop(clock, interrupted)
                      .call(
                          IOException.class,
                          () -> {
                            throw failure;
                          },
                          e -> true,
                          (n, d, e) -> {}));
      assertSame(failure, thrown);
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void pollReturnsTheFirstValueThatIsDone() throws InterruptedException {
    AtomicInteger probes = new AtomicInteger();
    int value =
        RetryPolicy.within(Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofMillis(500))
            .loop(clock, clock)
            .poll(probes::incrementAndGet, v -> v == 3);
    assertEquals(3, value);
    assertEquals(List.of(Duration.ofMillis(20), Duration.ofMillis(40)), clock.sleeps());
  }

  @Test
  void pollReturnsTheLastValueWhenTimeRunsOut() throws InterruptedException {
    AtomicInteger probes = new AtomicInteger();
    int value =
        RetryPolicy.within(Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(100))
            .loop(clock, clock)
            .poll(probes::incrementAndGet, v -> false);
    assertEquals(11, value);
    assertEquals(Duration.ofSeconds(1), clock.elapsed());
  }

  @Test
  void aManualClockHoldsASleeperUntilTimeIsAdvanced() throws Exception {
    FakeClock manual = FakeClock.manual();
    Thread sleeper =
        new Thread(
            () -> {
              try {
                manual.sleep(Duration.ofSeconds(5));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    sleeper.start();
    org.awaitility.Awaitility.await().until(() -> manual.sleepCount() == 1);
    manual.advance(Duration.ofSeconds(4));
    assertTrue(sleeper.isAlive());
    manual.advance(Duration.ofSeconds(1));
    sleeper.join(60_000);
    assertTrue(!sleeper.isAlive());
  }
}
