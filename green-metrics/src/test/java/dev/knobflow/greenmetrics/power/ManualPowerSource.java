package dev.knobflow.greenmetrics.power;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A source whose samples and clock the test drives by hand. */
public final class ManualPowerSource implements PowerSource {

  private final AtomicLong now = new AtomicLong();
  private final SampleStores stores;
  private final Duration interval;

  public ManualPowerSource(List<Device> devices, Duration interval) {
    this.interval = interval;
    this.stores = SampleStores.of("manual", devices, interval, Duration.ofMinutes(1));
  }

  /** Advances the clock to {@code nanos} and records a sample there for {@code device}. */
  public void emit(Device device, long nanos, double watts) {
    now.accumulateAndGet(nanos, Math::max);
    stores.get(device).append(new PowerSample(nanos, watts));
  }

  public void setTime(long nanos) {
    now.set(nanos);
  }

  @Override
  public String name() {
    return "manual";
  }

  @Override
  public void start() {}

  @Override
  public List<Device> devices() {
    return stores.devices();
  }

  @Override
  public Duration samplingInterval() {
    return interval;
  }

  @Override
  public NanoClock clock() {
    return now::get;
  }

  @Override
  public List<PowerSample> samples(Device device, long fromNanos, long toNanos) {
    return stores.get(device).samples(fromNanos, toNanos);
  }

  @Override
  public Subscription subscribe(Device device, SampleListener listener) {
    return stores.get(device).subscribe(listener);
  }

  @Override
  public void close() {}
}
