package dev.knobflow.greenmetrics.power;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One {@link SampleStore} per device, looked up by device id; used by source implementations. */
public final class SampleStores {

  /** Default history kept per device. */
  public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(10);

  private final Map<String, SampleStore> byId;
  private final Map<String, Device> devices;
  private final String sourceName;

  private SampleStores(String sourceName, Map<String, Device> devices, int capacity) {
    this.sourceName = sourceName;
    this.devices = devices;
    this.byId = new LinkedHashMap<>();
    for (String id : devices.keySet()) {
      byId.put(id, new SampleStore(capacity));
    }
  }

  /**
   * Stores for {@code devices}, each sized to hold {@code retention} of samples taken every {@code
   * interval}.
   */
  public static SampleStores of(
      String sourceName, Collection<Device> devices, Duration interval, Duration retention) {
    Map<String, Device> map = new LinkedHashMap<>();
    for (Device d : devices) {
      map.put(d.id(), d);
    }
    long capacity = Math.max(2, retention.toNanos() / Math.max(1, interval.toNanos()) + 1);
    return new SampleStores(sourceName, map, (int) Math.min(capacity, 10_000_000L));
  }

  public List<Device> devices() {
    return List.copyOf(devices.values());
  }

  /**
   * The store for {@code device}.
   *
   * @throws IllegalArgumentException naming the devices this source measures
   */
  public SampleStore get(Device device) {
    SampleStore store = byId.get(device.id());
    if (store == null) {
      throw new IllegalArgumentException(
          "Device '"
              + device.id()
              + "' is not measured by "
              + sourceName
              + "; it measures "
              + devices.keySet());
    }
    return store;
  }

  /** The store for a device id, or null when the id is not measured (used by parsers). */
  public @Nullable SampleStore getOrNull(String deviceId) {
    return byId.get(deviceId);
  }
}
