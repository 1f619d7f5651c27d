package dev.knobflow.greenmetrics.power;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base for sources that read a value on a fixed schedule (RAPL counters, constant power). A single
 * daemon thread calls {@link #poll(long)}; an exception in one poll is logged and the next poll
 * runs as usual.
 */
public abstract class PollingPowerSource implements PowerSource {

  private static final Logger LOG = LoggerFactory.getLogger(PollingPowerSource.class);

  private final Duration interval;
  private final NanoClock clock;
  private final Duration retention;
  private volatile SampleStores stores;
  private ScheduledExecutorService executor;
  private boolean closed;
  private long pollFailures;

  protected PollingPowerSource(Duration interval, NanoClock clock, Duration retention) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be > 0, got " + interval);
    }
    this.interval = interval;
    this.clock = clock;
    this.retention = retention;
  }

  /**
   * Opens the underlying readings and returns the devices measured.
   *
   * @throws PowerSourceException when the source is unavailable
   */
  protected abstract List<Device> open();

  /** Takes one reading and appends any resulting samples to {@link #stores()}. */
  protected abstract void poll(long nowNanos) throws Exception;

  @Override
  public final synchronized void start() {
    if (closed) {
      throw new IllegalStateException(name() + " is closed");
    }
    if (executor != null) {
      return;
    }
    List<Device> devices = open();
    stores = SampleStores.of(name(), devices, interval, retention);
    pollSafely();
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "knobflow-" + name() + "-poller");
              t.setDaemon(true);
              return t;
            });
    long period = interval.toNanos();
    executor.scheduleAtFixedRate(this::pollSafely, period, period, TimeUnit.NANOSECONDS);
  }

  private void pollSafely() {
    try {
      poll(clock.nanoTime());
    } catch (Exception e) {
      pollFailures++;
      // Rate-limit: first failure and then every 100th.
      if (pollFailures == 1 || pollFailures % 100 == 0) {
        LOG.warn("{} poll failed ({} failures so far): {}", name(), pollFailures, e.toString());
      }
    }
  }

  /** The per-device stores; valid after {@link #start()}. */
  protected final SampleStores stores() {
    SampleStores s = stores;
    if (s == null) {
      throw new IllegalStateException(name() + " is not started; call start() first");
    }
    return s;
  }

  @Override
  public List<Device> devices() {
    return stores().devices();
  }

  @Override
  public Duration samplingInterval() {
    return interval;
  }

  @Override
  public NanoClock clock() {
    return clock;
  }

  @Override
  public List<PowerSample> samples(Device device, long fromNanos, long toNanos) {
    return stores().get(device).samples(fromNanos, toNanos);
  }

  @Override
  public Subscription subscribe(Device device, SampleListener listener) {
    return stores().get(device).subscribe(listener);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (executor != null) {
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
