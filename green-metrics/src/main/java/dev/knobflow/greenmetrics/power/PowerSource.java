package dev.knobflow.greenmetrics.power;

import java.time.Duration;
import java.util.List;

/**
 * A producer of timestamped power samples for one or more devices.
 *
 * <p>A source is meant to be long-lived and shared: one instance (e.g. one {@code nvidia-smi}
 * process) serves every concurrent trial of the JVM; meters select the devices they need. All
 * methods are thread-safe.
 */
public interface PowerSource extends AutoCloseable {

  /** Short name for logs and error messages, e.g. {@code nvidia-smi}. */
  String name();

  /**
   * Starts sampling. Idempotent.
   *
   * @throws PowerSourceException when the source is unavailable on this machine, with a message
   *     explaining why
   */
  void start();

  /** The devices this source measures (known after {@link #start()}). */
  List<Device> devices();

  /** The nominal time between two samples of one device. */
  Duration samplingInterval();

  /** The clock the sample timestamps are on. */
  NanoClock clock();

  /**
   * Stored samples of {@code device} within {@code [fromNanos, toNanos]}, plus the nearest stored
   * sample on each side (see {@link SampleStore#samples(long, long)}).
   *
   * @throws IllegalArgumentException when the device is not one of {@link #devices()}
   */
  List<PowerSample> samples(Device device, long fromNanos, long toNanos);

  /**
   * Subscribes to the live samples of {@code device}; the newest stored sample is delivered first.
   *
   * @throws IllegalArgumentException when the device is not one of {@link #devices()}
   */
  Subscription subscribe(Device device, SampleListener listener);

  /** Stops sampling and releases processes and threads. Idempotent. */
  @Override
  void close();
}
