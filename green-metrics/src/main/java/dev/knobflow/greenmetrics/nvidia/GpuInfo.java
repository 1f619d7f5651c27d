package dev.knobflow.greenmetrics.nvidia;

import java.util.Objects;

/**
 * A GPU as listed by the nvidia-smi probe.
 *
 * @param index nvidia-smi index (PCI bus order)
 * @param uuid {@code GPU-...} UUID
 * @param name product name, e.g. {@code NVIDIA H200}
 */
public record GpuInfo(int index, String uuid, String name) {
  public GpuInfo {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return index + " (" + uuid + ", " + name + ")";
  }
}
