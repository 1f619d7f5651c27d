package dev.knobflow.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Clock} and {@link Sleeper} whose time moves only when a test says so. Shared with other
 * modules' tests through the time test-jar.
 *
 * <p>An {@link #autoAdvancing} clock treats a sleep as time passing at once (for single-threaded
 * retry loops); a {@link #manual} clock blocks a sleeping thread until {@link #advance} moves time
 * past its wake-up (for background loops such as heartbeats, which a test steps through).
 */
public final class FakeClock implements Clock, Sleeper {

  // Starts at the real time, so its instants compare sensibly with storages' own timestamps.
  private final Instant origin = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  private final boolean autoAdvance;
  private final List<Duration> sleeps = new ArrayList<>();
  private long nanos;

  private FakeClock(boolean autoAdvance) {
    this.autoAdvance = autoAdvance;
  }

  /** A clock whose sleeps return at once, advancing time by the slept duration. */
  public static FakeClock autoAdvancing() {
    return new FakeClock(true);
  }

  /** A clock whose sleeps block until {@link #advance} passes their wake-up time. */
  public static FakeClock manual() {
    return new FakeClock(false);
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized Instant now() {
    return origin.plusNanos(nanos);
  }

  /** Moves time forward, waking every sleeper whose wake-up has come. */
  public synchronized void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time does not go back: " + by);
    }
    nanos += by.toNanos();
    notifyAll();
  }

  @Override
  public synchronized void sleep(Duration duration) throws InterruptedException {
    sleeps.add(duration);
    long wake = nanos + Math.max(0, duration.toNanos());
    if (autoAdvance) {
      nanos = wake;
      notifyAll();
      return;
    }
    while (nanos < wake) {
      wait();
    }
  }

  /** Every duration slept so far, in order. */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** How many threads have started a sleep so far (finished or not). */
  public synchronized int sleepCount() {
    return sleeps.size();
  }

  /** Time since this clock was created. */
  public synchronized Duration elapsed() {
    return Duration.ofNanos(nanos);
  }
}
