package dev.knobflow.greenmetrics.nvidia;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class TimestampAlignerTest {

  private static final LocalDateTime T0 = LocalDateTime.of(2025, 1, 15, 10, 22, 33, 0);
  private static final long MS = 1_000_000L;

  @Test
  void usesTheSmallestDeliveryDelaySoBufferedLinesKeepTheirReadingTimes() {
    TimestampAligner aligner = new TimestampAligner(1_000 * MS);
    long base = 5_000_000_000L;
    // Reading at T0 arrives 50 ms late, reading at T0+100ms arrives 10 ms late.
    long first = aligner.align(T0, base + 50 * MS);
    long second = aligner.align(T0.plusNanos(100 * MS), base + 110 * MS);
    // A burst: readings at +200 and +300 ms both arrive at +390 ms.
    long third = aligner.align(T0.plusNanos(200 * MS), base + 390 * MS);
    long fourth = aligner.align(T0.plusNanos(300 * MS), base + 390 * MS);
    assertEquals(base + 50 * MS, first);
    assertEquals(base + 110 * MS, second);
    assertEquals(base + 210 * MS, third);
    assertEquals(base + 310 * MS, fourth);
  }

  @Test
  void wallClockJumpBackwardsIsRelearned() {
    TimestampAligner aligner = new TimestampAligner(1_000 * MS);
    aligner.align(T0, 1_000 * MS);
    // The wall clock is stepped back one hour (e.g. DST end): the delay grows by an hour.
    long mapped = aligner.align(T0.plusNanos(100 * MS).minusHours(1), 1_100 * MS);
    assertEquals(1_100 * MS, mapped);
    long next = aligner.align(T0.plusNanos(200 * MS).minusHours(1), 1_205 * MS);
    assertEquals(1_200 * MS, next);
  }

  @Test
  void missingTimestampUsesTheReceiveTime() {
    assertEquals(42L, new TimestampAligner(MS).align(null, 42L));
  }
}
