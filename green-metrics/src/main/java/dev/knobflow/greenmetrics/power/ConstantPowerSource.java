package dev.knobflow.greenmetrics.power;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An explicitly configured, assumed power draw per device (e.g. a GPU's TDP) for machines where
 * nothing can be measured. Never chosen automatically: the user states the watts.
 */
public final class ConstantPowerSource extends PollingPowerSource {

  /** Default time between two synthetic samples. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

  private final Map<Device, Double> watts;

  private ConstantPowerSource(Map<Device, Double> watts, Duration interval, NanoClock clock) {
    super(interval, clock, Duration.ofMinutes(1));
    this.watts = watts;
  }

  /**
   * A source that reports {@code wattsByDevice} for each device.
   *
   * @throws IllegalArgumentException when the map is empty or a value is not a finite number >= 0
   */
  public static ConstantPowerSource of(Map<Device, Double> wattsByDevice) {
    return of(wattsByDevice, DEFAULT_INTERVAL, NanoClock.SYSTEM);
  }

  /** As {@link #of(Map)}, with an explicit interval and clock. */
  public static ConstantPowerSource of(
      Map<Device, Double> wattsByDevice, Duration interval, NanoClock clock) {
    if (wattsByDevice.isEmpty()) {
      throw new IllegalArgumentException("constant power: at least one device with watts needed");
    }
    Map<Device, Double> copy = new LinkedHashMap<>();
    wattsByDevice.forEach(
        (device, w) -> {
          if (w == null || !Double.isFinite(w) || w < 0) {
            throw new IllegalArgumentException(
                "constant power for " + device.id() + " must be a finite number >= 0, got " + w);
          }
          copy.put(device, w);
        });
    return new ConstantPowerSource(copy, interval, clock);
  }

  @Override
  public String name() {
    return "constant";
  }

  @Override
  protected List<Device> open() {
    return new ArrayList<>(watts.keySet());
  }

  @Override
  protected void poll(long nowNanos) {
    watts.forEach((device, w) -> stores().get(device).append(new PowerSample(nowNanos, w)));
  }
}
