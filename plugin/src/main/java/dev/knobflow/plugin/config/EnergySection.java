package dev.knobflow.plugin.config;

import dev.knobflow.greenmetrics.carbon.CarbonIntensity;
import dev.knobflow.greenmetrics.estimate.CpuPowerModel;
import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.plugin.energy.EnergyConfig;
import dev.knobflow.plugin.energy.EnergyMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the energy parts of a study file into an {@link EnergyConfig}: {@code energy:} (with its
 * CPU-time {@code estimate}), {@code carbon:} and {@code source: measured} on objectives. See
 * {@code docs/green-metrics-integration.md}.
 */
final class EnergySection {

  static final List<String> ENERGY_KEYS =
      List.of("enabled", "nvidia_smi", "rapl", "constant_watts", "estimate");
  static final List<String> ESTIMATE_KEYS = List.of("watts_per_core");
  static final List<String> NVIDIA_SMI_KEYS = List.of("interval", "gpus", "executable");
  static final List<String> CARBON_KEYS = List.of("country", "intensity_g_per_kwh");
  static final List<String> SOURCES = List.of("measured", "reported");

  private EnergySection() {}

  /** Reads {@code energy}, {@code carbon} and the objectives' {@code source} of {@code top}. */
  static EnergyConfig parse(Section top, Path baseDirectory) {
    EnergyConfig defaults = EnergyConfig.defaults();
    boolean enabled = true;
    Optional<EnergyConfig.NvidiaSmi> nvidiaSmi = defaults.nvidiaSmi();
    boolean rapl = true;
    Map<Device, Double> constantWatts = new LinkedHashMap<>();
    Optional<CpuPowerModel> estimate = Optional.empty();
    Optional<Section> energy = top.section("energy");
    if (energy.isPresent()) {
      Section e = energy.get();
      e.allowOnly(ENERGY_KEYS);
      enabled = e.bool("enabled").orElse(true);
      nvidiaSmi = nvidiaSmi(e, baseDirectory);
      rapl = e.bool("rapl").orElse(true);
      e.section("constant_watts").ifPresent(c -> constantWatts.putAll(constantWatts(c)));
      estimate = estimate(e);
    }
    CarbonIntensity carbon = CarbonIntensity.worldDefault();
    boolean carbonConfigured = false;
    Optional<Section> carbonSection = top.section("carbon");
    if (carbonSection.isPresent()) {
      Optional<CarbonIntensity> c = carbon(carbonSection.get());
      if (c.isPresent()) {
        carbon = c.get();
        carbonConfigured = true;
      }
    }
    List<String> measured = measuredObjectives(top);
    if (!enabled && !measured.isEmpty()) {
      top.problem(
          "energy.enabled",
          "is false, but objective"
              + (measured.size() == 1 ? " " : "s ")
              + measured
              + " declare source: measured; enable energy or drop source: measured");
      measured = List.of();
    }
    if (estimate.isPresent() && !measured.isEmpty()) {
      top.problem(
          "energy.estimate",
          "a CPU-time estimate is never used for objectives that declare source: measured ("
              + String.join(", ", measured)
              + "); drop estimate, or drop source: measured");
      estimate = Optional.empty();
    }
    return new EnergyConfig(
        enabled, nvidiaSmi, rapl, constantWatts, carbon, carbonConfigured, measured, estimate);
  }

  /**
   * {@code estimate: true} (the default figure), {@code false}, or {@code {watts_per_core: 12}}.
   */
  private static Optional<CpuPowerModel> estimate(Section e) {
    if (!e.has("estimate")) {
      return Optional.empty();
    }
    Object raw = e.raw("estimate");
    if (raw instanceof Boolean b) {
      return b ? Optional.of(CpuPowerModel.defaults()) : Optional.empty();
    }
    if (!(raw instanceof Map<?, ?>)) {
      e.problem(
          "estimate",
          "must be true, false or a mapping {watts_per_core: 10}, got " + Section.describe(raw));
      return Optional.empty();
    }
    Section s = e.section("estimate").orElseThrow();
    s.allowOnly(ESTIMATE_KEYS);
    Optional<Double> watts = s.number("watts_per_core");
    if (watts.isEmpty()) {
      return Optional.of(CpuPowerModel.defaults());
    }
    if (!(watts.get() > 0) || watts.get().isInfinite()) {
      s.problem(
          "watts_per_core", "must be watts > 0, got " + Section.describe(s.raw("watts_per_core")));
      return Optional.empty();
    }
    return Optional.of(CpuPowerModel.wattsPerCore(watts.get()));
  }

  private static Optional<EnergyConfig.NvidiaSmi> nvidiaSmi(Section e, Path baseDirectory) {
    EnergyConfig.NvidiaSmi defaults = EnergyConfig.NvidiaSmi.defaults();
    if (!e.has("nvidia_smi")) {
      return Optional.of(defaults);
    }
    Object raw = e.raw("nvidia_smi");
    if (raw instanceof Boolean b) {
      return b ? Optional.of(defaults) : Optional.empty();
    }
    if (!(raw instanceof Map<?, ?>)) {
      e.problem(
          "nvidia_smi",
          "must be true, false or a mapping {interval: 100ms, gpus: [0], executable: nvidia-smi},"
              + " got "
              + Section.describe(raw));
      return Optional.of(defaults);
    }
    Section n = e.section("nvidia_smi").orElseThrow();
    n.allowOnly(NVIDIA_SMI_KEYS);
    Duration interval = n.duration("interval").orElse(defaults.interval());
    if (interval.toMillis() < 1) {
      n.problem("interval", "must be at least 1ms, got " + Durations.format(interval));
      interval = defaults.interval();
    }
    List<String> gpus = new ArrayList<>();
    List<Object> given = n.list("gpus").orElse(List.of());
    for (int i = 0; i < given.size(); i++) {
      Object g = given.get(i);
      if (g instanceof Integer || g instanceof Long) {
        if (((Number) g).longValue() < 0) {
          n.problems().add(n.pathOf("gpus") + "[" + i + "]", "must be >= 0, got " + g);
        } else {
          gpus.add(String.valueOf(g));
        }
      } else if (g instanceof String s && !s.isBlank()) {
        gpus.add(s.trim());
      } else {
        n.problems()
            .add(
                n.pathOf("gpus") + "[" + i + "]",
                "must be a GPU index (0) or UUID (GPU-...), got " + Section.describe(g));
      }
    }
    String executable = n.string("executable").orElse(defaults.executable());
    if (executable.isBlank()) {
      n.problem("executable", "must not be blank");
      executable = defaults.executable();
    } else if (executable.contains("/")) {
      // A path, relative to the study file like every path in it; a bare name is looked up on PATH.
      executable = baseDirectory.resolve(executable).normalize().toString();
    }
    return Optional.of(new EnergyConfig.NvidiaSmi(interval, gpus, executable));
  }

  private static Map<Device, Double> constantWatts(Section c) {
    Map<Device, Double> out = new LinkedHashMap<>();
    for (String key : c.keys()) {
      Optional<Device> device = device(key);
      if (device.isEmpty()) {
        c.problem(
            key,
            "unknown device; use gpu:<index>, cpu:<package> or cpu:package-<package>, e.g. \"gpu:0\"");
        continue;
      }
      Optional<Double> watts = c.number(key);
      if (watts.isPresent() && !(watts.get() >= 0)) {
        c.problem(key, "must be watts >= 0, got " + Section.describe(c.raw(key)));
      } else if (watts.isPresent()) {
        out.put(device.get(), watts.get());
      }
    }
    if (c.keys().isEmpty()) {
      c.problems().add(c.path(), "give watts per device, e.g. {\"cpu:0\": 65}");
    }
    return out;
  }

  /** {@code gpu:0}, {@code cpu:0} (package 0) or {@code cpu:package-0}. */
  static Optional<Device> device(String id) {
    String t = id.trim();
    if (t.matches("cpu:\\d+")) {
      t = "cpu:package-" + t.substring(4);
    }
    try {
      return Optional.of(Device.parseId(t));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<CarbonIntensity> carbon(Section c) {
    c.allowOnly(CARBON_KEYS);
    boolean country = c.has("country");
    boolean value = c.has("intensity_g_per_kwh");
    if (country == value) {
      c.problems()
          .add(
              c.path(),
              country
                  ? "give either country or intensity_g_per_kwh, not both"
                  : "give country: <ISO alpha-3 code, e.g. DEU> or intensity_g_per_kwh: <number>");
      return Optional.empty();
    }
    if (country) {
      Optional<String> code = c.string("country");
      if (code.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(CarbonIntensity.forCountry(code.get()));
      } catch (IllegalArgumentException e) {
        c.problem("country", e.getMessage());
        return Optional.empty();
      }
    }
    Optional<Double> g = c.number("intensity_g_per_kwh");
    if (g.isPresent() && !(g.get() >= 0)) {
      c.problem("intensity_g_per_kwh", "must be grams CO2e per kWh >= 0, got " + g.get());
      return Optional.empty();
    }
    return g.map(CarbonIntensity::of);
  }

  /** The objectives with {@code source: measured}, checking each {@code source}. */
  private static List<String> measuredObjectives(Section top) {
    if (!(top.raw("objectives") instanceof List<?> items)) {
      return List.of();
    }
    List<String> measured = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof Map<?, ?> o) || !o.containsKey("source")) {
        continue;
      }
      String path = "objectives[" + i + "].source";
      Object source = o.get("source");
      if (!SOURCES.contains(String.valueOf(source))) {
        top.problems()
            .add(
                path,
                "must be measured or reported, got "
                    + Section.describe(source)
                    + Suggestions.hint(String.valueOf(source), SOURCES));
        continue;
      }
      if (source.equals("reported")) {
        continue;
      }
      Object name = o.get("name");
      if (!EnergyMetrics.MEASURABLE_OBJECTIVES.contains(String.valueOf(name))) {
        top.problems()
            .add(
                path,
                "only energy_wh and co2_g can be measured; '"
                    + name
                    + "' must be reported by the objective (drop source or use source: reported)");
        continue;
      }
      measured.add(String.valueOf(name));
    }
    return measured;
  }
}
