package dev.knobflow.greenmetrics.power;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Thread-safe ring buffer of the most recent samples of one device, plus live listeners.
 *
 * <p>Samples are kept in strictly increasing time order; an out-of-order or duplicate timestamp is
 * rejected. Memory is bounded by the capacity (two primitive arrays), so a store can run for the
 * lifetime of a machine. Meters that need more history than the capacity holds subscribe and
 * integrate as samples arrive (see {@code EnergyMeter}).
 */
public final class SampleStore {

  private final long[] nanos;
  private final double[] watts;
  private final List<SampleListener> listeners = new CopyOnWriteArrayList<>();
  private int next;
  private int size;
  private long appended;

  /** A store holding at most {@code capacity} samples (>= 2). */
  public SampleStore(int capacity) {
    if (capacity < 2) {
      throw new IllegalArgumentException("capacity must be >= 2, got " + capacity);
    }
    this.nanos = new long[capacity];
    this.watts = new double[capacity];
  }

  /**
   * Appends a sample and hands it to every listener.
   *
   * @return false (and stores nothing) when the sample is not later than the newest one
   */
  public synchronized boolean append(PowerSample sample) {
    if (size > 0 && sample.nanos() <= nanos[physical(size - 1)]) {
      return false;
    }
    nanos[next] = sample.nanos();
    watts[next] = sample.watts();
    next = (next + 1) % nanos.length;
    if (size < nanos.length) {
      size++;
    }
    appended++;
    for (SampleListener listener : listeners) {
      listener.onSample(sample);
    }
    return true;
  }

  /**
   * The stored samples with {@code fromNanos <= t <= toNanos}, plus the nearest stored sample
   * before {@code fromNanos} and the nearest after {@code toNanos} when present, so that callers
   * can interpolate at the window's edges. Oldest first.
   */
  public synchronized List<PowerSample> samples(long fromNanos, long toNanos) {
    if (toNanos < fromNanos) {
      throw new IllegalArgumentException("toNanos must be >= fromNanos");
    }
    List<PowerSample> result = new ArrayList<>();
    if (size == 0) {
      return result;
    }
    int first = Math.max(0, firstIndexAtOrAfter(fromNanos) - 1);
    for (int i = first; i < size; i++) {
      int p = physical(i);
      result.add(new PowerSample(nanos[p], watts[p]));
      if (nanos[p] > toNanos) {
        break;
      }
    }
    return result;
  }

  /** The newest sample, if any. */
  public synchronized Optional<PowerSample> latest() {
    if (size == 0) {
      return Optional.empty();
    }
    int p = physical(size - 1);
    return Optional.of(new PowerSample(nanos[p], watts[p]));
  }

  /**
   * Registers a listener. The newest stored sample (if any) is delivered first, atomically with the
   * registration, so the listener sees an unbroken sequence from that sample on.
   */
  public synchronized Subscription subscribe(SampleListener listener) {
    latest().ifPresent(listener::onSample);
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Number of samples currently held. */
  public synchronized int size() {
    return size;
  }

  /** Number of samples ever accepted (including those since overwritten). */
  public synchronized long appendedCount() {
    return appended;
  }

  public int capacity() {
    return nanos.length;
  }

  private int physical(int logical) {
    return Math.floorMod(next - size + logical, nanos.length);
  }

  private int firstIndexAtOrAfter(long t) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (nanos[physical(mid)] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
