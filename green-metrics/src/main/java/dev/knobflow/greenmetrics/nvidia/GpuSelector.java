package dev.knobflow.greenmetrics.nvidia;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses which GPUs to meter: an explicit selection (indices or UUIDs) when given, else the GPUs
 * named by {@code CUDA_VISIBLE_DEVICES}, else all.
 *
 * <p>{@code CUDA_VISIBLE_DEVICES} follows CUDA's rules: a comma-separated list of indices, {@code
 * GPU-} UUIDs (unique prefixes allowed) or MIG instances ({@code MIG-GPU-<uuid>/<gi>/<ci>} or
 * {@code MIG-<uuid>}); parsing stops at the first entry that names no device; an empty value hides
 * every GPU. A MIG instance is metered through its parent GPU, because nvidia-smi reports power per
 * board. Indices are matched to nvidia-smi's (PCI bus) order, which equals CUDA's only with {@code
 * CUDA_DEVICE_ORDER=PCI_BUS_ID}; UUIDs avoid the ambiguity.
 */
public final class GpuSelector {

  private static final Logger LOG = LoggerFactory.getLogger(GpuSelector.class);

  /** The environment variable CUDA uses to restrict visible devices. */
  public static final String CUDA_VISIBLE_DEVICES = "CUDA_VISIBLE_DEVICES";

  private GpuSelector() {}

  /**
   * Selects GPUs.
   *
   * @param available GPUs found by the probe
   * @param explicit user selection (indices or UUIDs); empty for none
   * @param cudaVisibleDevices the variable's value, or null when unset
   * @param migParents lazily computed map from MIG instance UUID to parent GPU UUID (from {@code
   *     nvidia-smi -L}); only consulted for {@code MIG-<uuid>} entries
   * @throws IllegalArgumentException when an explicit entry matches no GPU, or nothing is left
   */
  public static List<GpuInfo> select(
      List<GpuInfo> available,
      List<String> explicit,
      @Nullable String cudaVisibleDevices,
      Supplier<Map<String, String>> migParents) {
    if (!explicit.isEmpty()) {
      Set<GpuInfo> chosen = new LinkedHashSet<>();
      for (String entry : explicit) {
        chosen.add(
            match(available, entry.trim(), migParents)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "gpus: '"
                                + entry
                                + "' matches no GPU; use an index or UUID of "
                                + available)));
      }
      return List.copyOf(chosen);
    }
    if (cudaVisibleDevices == null) {
      return List.copyOf(available);
    }
    Set<GpuInfo> chosen = new LinkedHashSet<>();
    for (String raw : cudaVisibleDevices.split(",", -1)) {
      String entry = raw.trim();
      Optional<GpuInfo> gpu =
          entry.isEmpty() ? Optional.empty() : match(available, entry, migParents);
      if (gpu.isEmpty()) {
        if (!entry.isEmpty()) {
          LOG.warn(
              "{} entry '{}' names no GPU; like CUDA, ignoring it and the entries after it",
              CUDA_VISIBLE_DEVICES,
              entry);
        }
        break;
      }
      chosen.add(gpu.get());
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException(
          CUDA_VISIBLE_DEVICES
              + "='"
              + cudaVisibleDevices
              + "' leaves no GPU visible; available GPUs: "
              + available);
    }
    return List.copyOf(chosen);
  }

  private static Optional<GpuInfo> match(
      List<GpuInfo> available, String entry, Supplier<Map<String, String>> migParents) {
    if (entry.matches("-?\\d+")) {
      int index = Integer.parseInt(entry);
      return available.stream().filter(g -> g.index() == index).findFirst();
    }
    String lower = entry.toLowerCase(Locale.ROOT);
    if (lower.startsWith("mig-gpu-")) {
      // Pre-R470 MIG syntax: MIG-GPU-<parent uuid>/<gi>/<ci>
      String parent = entry.substring(4).split("/", 2)[0];
      return byUuidPrefix(available, parent);
    }
    if (lower.startsWith("mig-")) {
      String parent = migParents.get().get(entry);
      return parent == null ? Optional.empty() : byUuidPrefix(available, parent);
    }
    String uuid = lower.startsWith("gpu-") ? entry : "GPU-" + entry;
    return byUuidPrefix(available, uuid);
  }

  private static Optional<GpuInfo> byUuidPrefix(List<GpuInfo> available, String prefix) {
    String p = prefix.toLowerCase(Locale.ROOT);
    List<GpuInfo> matches = new ArrayList<>();
    for (GpuInfo g : available) {
      if (g.uuid().toLowerCase(Locale.ROOT).startsWith(p)) {
        matches.add(g);
      }
    }
    return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
  }

  /** Parses {@code nvidia-smi -L} output into a map from MIG instance UUID to parent GPU UUID. */
  public static Map<String, String> parseMigParents(List<String> listOutput) {
    Map<String, String> parents = new java.util.LinkedHashMap<>();
    String parent = null;
    for (String line : listOutput) {
      String uuid = uuidIn(line);
      if (uuid == null) {
        continue;
      }
      if (line.stripLeading().startsWith("GPU ")) {
        parent = uuid;
      } else if (uuid.startsWith("MIG-") && parent != null) {
        parents.put(uuid, parent);
      }
    }
    return parents;
  }

  private static String uuidIn(String line) {
    int at = line.indexOf("UUID: ");
    if (at < 0) {
      return null;
    }
    int end = line.indexOf(')', at);
    return (end < 0 ? line.substring(at + 6) : line.substring(at + 6, end)).trim();
  }
}
