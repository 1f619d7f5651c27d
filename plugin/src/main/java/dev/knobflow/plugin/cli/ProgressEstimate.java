package dev.knobflow.plugin.cli;

import dev.knobflow.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How far a tune has come and when it should end. A finished trial counts as one of the trial
 * target; in a multi-fidelity study a running trial also counts for the share of the largest budget
 * it has reached, so the estimate moves while long trials run and pruned trials do not make it
 * jump. Without a trial target the end is the timeout, if there is one.
 */
final class ProgressEstimate {

  private final long total;
  private final OptionalDouble maxBudget;
  private final Optional<Duration> timeout;
  private final Clock clock;
  private final long startNanos;
  private final Map<Integer, Double> runningShare = new HashMap<>();
  private int done;

  /**
   * @param total the trials this run aims for, or {@code Integer.MAX_VALUE} or less than 1 when
   *     unknown
   * @param maxBudget the scheduler's largest budget in a multi-fidelity study
   * @param timeout the run's timeout, if any
   */
  ProgressEstimate(long total, OptionalDouble maxBudget, Optional<Duration> timeout, Clock clock) {
    this.total = total > 0 && total < Integer.MAX_VALUE ? total : -1;
    this.maxBudget = maxBudget;
    this.timeout = timeout;
    this.clock = clock;
    this.startNanos = clock.nanoTime();
  }

  synchronized void started(int trial) {
    runningShare.putIfAbsent(trial, 0.0);
  }

  /** A running trial reached {@code step} of the budget. */
  synchronized void reported(int trial, long step) {
    if (maxBudget.isPresent() && maxBudget.getAsDouble() > 0) {
      runningShare.put(trial, Math.min(1.0, Math.max(0.0, step / maxBudget.getAsDouble())));
    }
  }

  synchronized void finished(int trial) {
    runningShare.remove(trial);
    done++;
  }

  synchronized int done() {
    return done;
  }

  synchronized int running() {
    return runningShare.size();
  }

  /** The trial target, when there is one. */
  Optional<Long> total() {
    return total > 0 ? Optional.of(total) : Optional.empty();
  }

  Duration elapsed() {
    return Duration.ofNanos(Math.max(0, clock.nanoTime() - startNanos));
  }

  /** The share of the trial target done, in [0, 1], when there is a target. */
  synchronized OptionalDouble fraction() {
    if (total <= 0) {
      return OptionalDouble.empty();
    }
    double partial = runningShare.values().stream().mapToDouble(Double::doubleValue).sum();
    return OptionalDouble.of(Math.min(1.0, (done + partial) / total));
  }

  /** The time left: by the rate so far toward the trial target, else until the timeout. */
  Optional<Duration> remaining() {
    Duration elapsed = elapsed();
    OptionalDouble fraction = fraction();
    Optional<Duration> byRate = Optional.empty();
    if (fraction.isPresent() && fraction.getAsDouble() > 0) {
      double f = fraction.getAsDouble();
      byRate = Optional.of(Duration.ofMillis(Math.round(elapsed.toMillis() * (1 - f) / f)));
    }
    Optional<Duration> byTimeout =
        timeout.map(t -> t.minus(elapsed)).map(d -> d.isNegative() ? Duration.ZERO : d);
    if (byRate.isPresent() && byTimeout.isPresent()) {
      return Optional.of(
          byRate.get().compareTo(byTimeout.get()) <= 0 ? byRate.get() : byTimeout.get());
    }
    return byRate.isPresent() ? byRate : byTimeout;
  }
}
