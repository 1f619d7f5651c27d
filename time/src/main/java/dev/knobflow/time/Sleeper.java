package dev.knobflow.time;

import java.time.Duration;

/** The waiting seam: blocks the calling thread; tests pass one that advances a fake clock. */
@FunctionalInterface
public interface Sleeper {

  /** {@link Thread#sleep(long, int)}. */
  Sleeper SYSTEM =
      duration -> {
        if (duration.isNegative() || duration.isZero()) {
          return;
        }
        long nanos = duration.toNanos();
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
      };

  /**
   * Waits for {@code duration}.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;
}
