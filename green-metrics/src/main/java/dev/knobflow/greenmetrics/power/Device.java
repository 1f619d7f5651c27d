package dev.knobflow.greenmetrics.power;

import java.util.Objects;

/**
 * One measured piece of hardware.
 *
 * @param id stable identifier such as {@code gpu:0} or {@code cpu:package-0}
 * @param kind GPU or CPU
 * @param index the vendor's index (nvidia-smi index, RAPL package number)
 * @param uuid the vendor's unique id (GPU UUID such as {@code GPU-5c1b...}); empty when the
 *     hardware has none
 * @param name a human-readable name (e.g. {@code NVIDIA H200}, {@code package-0})
 */
public record Device(String id, DeviceKind kind, int index, String uuid, String name) {

  public Device {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(uuid, "uuid (use an empty string when there is none)");
    Objects.requireNonNull(name, "name");
    if (id.isBlank()) {
      throw new IllegalArgumentException("Device id must not be blank");
    }
    if (index < 0) {
      throw new IllegalArgumentException("Device index must be >= 0, got " + index);
    }
  }

  /** A GPU with id {@code gpu:<index>}. */
  public static Device gpu(int index, String uuid, String name) {
    return new Device("gpu:" + index, DeviceKind.GPU, index, uuid, name);
  }

  /** A CPU package with id {@code cpu:package-<index>}. */
  public static Device cpuPackage(int index) {
    return new Device("cpu:package-" + index, DeviceKind.CPU, index, "", "package-" + index);
  }

  /**
   * Parses a device id of the form {@code gpu:N} or {@code cpu:package-N} (as used in
   * configuration, e.g. for constant-power fallbacks).
   *
   * @throws IllegalArgumentException naming the allowed forms
   */
  public static Device parseId(String id) {
    Objects.requireNonNull(id, "id");
    String trimmed = id.trim();
    try {
      if (trimmed.startsWith("gpu:")) {
        return gpu(Integer.parseInt(trimmed.substring(4)), "", "gpu " + trimmed.substring(4));
      }
      if (trimmed.startsWith("cpu:package-")) {
        return cpuPackage(Integer.parseInt(trimmed.substring("cpu:package-".length())));
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "Unknown device id '" + id + "'; allowed forms are gpu:<index> and cpu:package-<index>");
  }
}
