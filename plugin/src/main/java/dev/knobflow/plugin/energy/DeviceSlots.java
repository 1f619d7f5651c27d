package dev.knobflow.plugin.energy;

import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.DeviceKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * Which devices each running trial uses and is metered on.
 *
 * <p>With parallelism N and G measured GPUs, G >= N > 1: each of N worker slots owns the GPUs
 * {@code j} with {@code j mod N = slot} (and its command gets them in {@code
 * CUDA_VISIBLE_DEVICES}), so parallel trials get only their own GPUs' energy; CPU packages are
 * shared by all slots. With fewer GPUs than parallel trials no assignment is possible: every trial
 * is metered on every device and its energy is <em>shared</em> (overlapping trials count the same
 * joules). With parallelism 1 the one slot owns every device.
 */
public final class DeviceSlots {

  /**
   * The devices of one worker slot.
   *
   * @param index the slot number (0-based)
   * @param devices what the trial is metered on
   * @param cudaVisibleDevices the value to give its command (GPU UUIDs, else indices); empty when
   *     the slot has no GPU of its own
   * @param shared whether other concurrent trials are metered on some of the same devices
   */
  public record Slot(
      int index, List<Device> devices, Optional<String> cudaVisibleDevices, boolean shared) {
    public Slot {
      devices = List.copyOf(devices);
      Objects.requireNonNull(cudaVisibleDevices, "cudaVisibleDevices");
    }

    /** Device ids, e.g. {@code [gpu:0, cpu:package-0]}. */
    public List<String> deviceIds() {
      return devices.stream().map(Device::id).toList();
    }
  }

  private final List<Slot> slots;
  private final Slot overflow;
  private final ConcurrentLinkedQueue<Slot> free = new ConcurrentLinkedQueue<>();
  private final Map<Integer, Slot> byTrial = new ConcurrentHashMap<>();

  private DeviceSlots(List<Slot> slots, Slot overflow) {
    this.slots = List.copyOf(slots);
    this.overflow = overflow;
    free.addAll(slots);
  }

  /** Every trial metered on all {@code devices}; shared only when trials overlap in time. */
  public static DeviceSlots all(List<Device> devices) {
    return assign(devices, 1);
  }

  /** Assigns {@code devices} to {@code parallelism} worker slots as described above. */
  public static DeviceSlots assign(List<Device> devices, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    Comparator<Device> byIndex = Comparator.comparingInt(Device::index).thenComparing(Device::id);
    List<Device> gpus =
        devices.stream().filter(d -> d.kind() == DeviceKind.GPU).sorted(byIndex).toList();
    List<Device> others =
        devices.stream().filter(d -> d.kind() != DeviceKind.GPU).sorted(byIndex).toList();
    List<Device> sorted = new ArrayList<>(gpus);
    sorted.addAll(others);
    Slot everything = new Slot(0, sorted, Optional.empty(), parallelism > 1);
    if (parallelism == 1 || gpus.size() < parallelism) {
      // One slot for all: a trial beyond the pool never waits, it shares.
      // A single slot keeps CUDA_VISIBLE_DEVICES as the user set it: nothing is divided.
      return new DeviceSlots(List.of(), everything);
    }
    List<Slot> slots = new ArrayList<>();
    for (int s = 0; s < parallelism; s++) {
      List<Device> own = new ArrayList<>();
      for (int j = s; j < gpus.size(); j += parallelism) {
        own.add(gpus.get(j));
      }
      Optional<String> cuda = cudaVisible(own);
      own.addAll(others);
      slots.add(new Slot(s, own, cuda, !others.isEmpty()));
    }
    return new DeviceSlots(slots, new Slot(-1, sorted, Optional.empty(), true));
  }

  private static Optional<String> cudaVisible(List<Device> gpus) {
    if (gpus.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        gpus.stream()
            .map(d -> d.uuid().isEmpty() ? Integer.toString(d.index()) : d.uuid())
            .collect(Collectors.joining(",")));
  }

  /** Whether GPUs are divided between worker slots. */
  public boolean isAssigned() {
    return !slots.isEmpty();
  }

  /** The worker slots (empty when every trial uses every device). */
  public List<Slot> slots() {
    return slots;
  }

  /**
   * Takes a free slot for a starting trial; when none is free (more concurrent trials than
   * planned), the trial is metered on every device, marked shared.
   */
  public Slot acquire(int trialNumber) {
    Slot s = free.poll();
    if (s == null) {
      s = overflow;
    }
    byTrial.put(trialNumber, s);
    return s;
  }

  /** The slot a running trial holds, if any. */
  public Optional<Slot> slotOf(int trialNumber) {
    return Optional.ofNullable(byTrial.get(trialNumber));
  }

  /** Returns a finished trial's slot. */
  public void release(int trialNumber) {
    Slot s = byTrial.remove(trialNumber);
    if (s != null && s != overflow) {
      free.add(s);
    }
  }

  /** One line for the log. */
  public String describe() {
    if (slots.isEmpty()) {
      return overflow.shared()
          ? "every trial is metered on all devices "
              + overflow.deviceIds()
              + "; parallel trials share their energy (fewer GPUs than parallel trials)"
          : "each trial is metered on " + overflow.deviceIds();
    }
    return slots.stream()
            .map(s -> "slot " + s.index() + ": " + s.deviceIds())
            .collect(Collectors.joining(", "))
        + (slots.get(0).shared() ? " (CPU packages are shared by parallel trials)" : "");
  }
}
