package dev.knobflow.greenmetrics;

import dev.knobflow.greenmetrics.nvidia.NvidiaSmiSource;
import dev.knobflow.greenmetrics.power.ConstantPowerSource;
import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.PowerSource;
import dev.knobflow.greenmetrics.rapl.RaplSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Finds and starts the power sources available on this machine. */
public final class PowerSources {

  private PowerSources() {}

  /**
   * Tries nvidia-smi, then Intel RAPL, then (only when configured) constant power for devices
   * neither measures. Never throws for an unavailable source: the result records why.
   */
  public static PowerDetection detect(DetectionConfig config) {
    List<PowerSource> sources = new ArrayList<>();
    List<PowerDetection.Attempt> attempts = new ArrayList<>();
    if (config.nvidiaSmi().isPresent()) {
      tryStart(NvidiaSmiSource.create(config.nvidiaSmi().get()), sources, attempts);
    } else {
      attempts.add(new PowerDetection.Attempt("nvidia-smi", false, "disabled by configuration"));
    }
    if (config.rapl().isPresent()) {
      tryStart(RaplSource.create(config.rapl().get()), sources, attempts);
    } else {
      attempts.add(new PowerDetection.Attempt("intel-rapl", false, "disabled by configuration"));
    }
    Set<String> measured = new HashSet<>();
    sources.forEach(s -> s.devices().forEach(d -> measured.add(d.id())));
    Map<Device, Double> assumed = new LinkedHashMap<>();
    config
        .constantWatts()
        .forEach(
            (d, w) -> {
              if (!measured.contains(d.id())) {
                assumed.put(d, w);
              }
            });
    if (config.constantWatts().isEmpty()) {
      attempts.add(
          new PowerDetection.Attempt(
              "constant", false, "not configured (set watts per device to use assumed power)"));
    } else if (assumed.isEmpty()) {
      attempts.add(
          new PowerDetection.Attempt(
              "constant", false, "configured devices are all measured; assumed power unused"));
    } else {
      tryStart(ConstantPowerSource.of(assumed), sources, attempts);
    }
    return new PowerDetection(sources, attempts);
  }

  private static void tryStart(
      PowerSource source, List<PowerSource> sources, List<PowerDetection.Attempt> attempts) {
    try {
      source.start();
      sources.add(source);
      String devices =
          source.devices().stream()
              .map(d -> d.id() + (d.name().isEmpty() ? "" : " (" + d.name() + ")"))
              .collect(Collectors.joining(", "));
      attempts.add(new PowerDetection.Attempt(source.name(), true, "measures " + devices));
    } catch (RuntimeException e) {
      source.close();
      attempts.add(
          new PowerDetection.Attempt(source.name(), false, String.valueOf(e.getMessage())));
    }
  }
}
