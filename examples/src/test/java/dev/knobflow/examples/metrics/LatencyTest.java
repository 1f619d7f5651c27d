package dev.knobflow.examples.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LatencyTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(3.0, Latency.median(new double[] {9, 1, 3}));
    assertEquals(2.5, Latency.median(new double[] {4, 1, 2, 3}));
  }

  @Test
  void runsWarmupsPlusRepeatsAndReturnsAPositiveMedian() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    double millis =
        new Latency(2, 5)
            .medianMillis(
                () -> {
                  calls.incrementAndGet();
                  Thread.sleep(1);
                });
    assertEquals(7, calls.get());
    assertTrue(millis >= 1.0, "slept 1 ms each time, median " + millis);
  }

  @Test
  void badCountsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Latency(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Latency(0, 0));
  }
}
