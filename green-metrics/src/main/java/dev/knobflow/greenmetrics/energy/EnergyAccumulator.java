package dev.knobflow.greenmetrics.energy;

import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.PowerSample;
import dev.knobflow.greenmetrics.power.SampleListener;

/**
 * Streaming trapezoidal integration of one device's power over {@code [start, end]}.
 *
 * <p>Samples arrive in time order. Each pair of consecutive samples no further apart than {@code
 * maxGapNanos} contributes the trapezoid of the part of their segment that lies inside the window,
 * with the power linearly interpolated at the window's edges; longer gaps are uncovered and add no
 * energy. At the window's edges, where no sample lies beyond the edge, the nearest sample's power
 * is held flat when it is within {@code maxGapNanos} of the edge. Memory is constant, so a
 * measurement can last for days.
 *
 * <p>The end may be set after samples started arriving, but before any sample later than the end is
 * delivered.
 */
final class EnergyAccumulator implements SampleListener {

  private final long start;
  private final long maxGap;
  private long end = Long.MAX_VALUE;
  private boolean finished;
  private PowerSample prev;
  private double joules;
  private long covered;
  private double peak = Double.NaN;
  private int count;

  EnergyAccumulator(long startNanos, long maxGapNanos) {
    if (maxGapNanos <= 0) {
      throw new IllegalArgumentException("maxGapNanos must be > 0");
    }
    this.start = startNanos;
    this.maxGap = maxGapNanos;
  }

  /** Integrates a complete, time-ordered list of samples over {@code [start, end]}. */
  static DeviceEnergy integrate(
      Device device, Iterable<PowerSample> samples, long start, long end, long maxGapNanos) {
    EnergyAccumulator acc = new EnergyAccumulator(start, maxGapNanos);
    acc.setEnd(end);
    for (PowerSample s : samples) {
      acc.onSample(s);
    }
    return acc.finish(device);
  }

  @Override
  public synchronized void onSample(PowerSample s) {
    if (finished || (prev != null && s.nanos() <= prev.nanos())) {
      return;
    }
    if (s.nanos() >= start && s.nanos() <= end) {
      count++;
      peak = max(peak, s.watts());
    }
    if (prev == null) {
      headFrom(s);
    } else if (s.nanos() - prev.nanos() <= maxGap) {
      trapezoid(prev, s);
    } else if (prev.nanos() < start) {
      // The sample before the window is too old to interpolate from: treat s as the first.
      headFrom(s);
    }
    prev = s;
    notifyAll();
  }

  /** Fixes the window's end; must precede delivery of samples later than it. */
  synchronized void setEnd(long endNanos) {
    if (endNanos < start) {
      throw new IllegalArgumentException("end must not be before start");
    }
    end = endNanos;
  }

  /** Waits until a sample at or after {@code t} has arrived or the deadline (nanoTime) passes. */
  synchronized boolean awaitSampleAtOrAfter(long t, long deadlineSystemNanos)
      throws InterruptedException {
    while (prev == null || prev.nanos() < t) {
      long left = deadlineSystemNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000), 0);
    }
    return true;
  }

  /** Closes the window (holding the last sample flat to the end if close enough) and reports. */
  synchronized DeviceEnergy finish(Device device) {
    if (end == Long.MAX_VALUE) {
      throw new IllegalStateException("setEnd must be called before finish");
    }
    if (!finished && prev != null && prev.nanos() < end && end - prev.nanos() <= maxGap) {
      long lo = Math.max(prev.nanos(), start);
      add(prev.watts(), prev.watts(), lo, end);
    }
    finished = true;
    long window = end - start;
    double coverage = window > 0 ? (double) covered / window : (prev != null ? 1.0 : 0.0);
    double average = covered > 0 ? joules / (covered / 1e9) : Double.NaN;
    return new DeviceEnergy(device, joules, average, peak, count, coverage);
  }

  private void headFrom(PowerSample first) {
    if (first.nanos() > start && first.nanos() - start <= maxGap) {
      add(first.watts(), first.watts(), start, Math.min(first.nanos(), end));
    }
  }

  private void trapezoid(PowerSample a, PowerSample b) {
    long lo = Math.max(a.nanos(), start);
    long hi = Math.min(b.nanos(), end);
    if (hi > lo) {
      add(interpolate(a, b, lo), interpolate(a, b, hi), lo, hi);
    }
  }

  private void add(double wattsLo, double wattsHi, long lo, long hi) {
    if (hi <= lo) {
      return;
    }
    joules += (wattsLo + wattsHi) / 2.0 * ((hi - lo) / 1e9);
    covered += hi - lo;
    peak = max(peak, Math.max(wattsLo, wattsHi));
  }

  private static double interpolate(PowerSample a, PowerSample b, long t) {
    double f = (double) (t - a.nanos()) / (b.nanos() - a.nanos());
    return a.watts() + f * (b.watts() - a.watts());
  }

  private static double max(double current, double candidate) {
    return Double.isNaN(current) ? candidate : Math.max(current, candidate);
  }
}
