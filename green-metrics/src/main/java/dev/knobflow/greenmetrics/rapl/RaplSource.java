package dev.knobflow.greenmetrics.rapl;

import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.PollingPowerSource;
import dev.knobflow.greenmetrics.power.PowerSample;
import dev.knobflow.greenmetrics.power.PowerSourceException;
import dev.knobflow.greenmetrics.power.SampleStores;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU package power from Intel RAPL energy counters ({@code
 * /sys/class/powercap/intel-rapl:N/energy_uj}, zones whose {@code name} is {@code package-N}).
 *
 * <p>The counters are cumulative microjoules that wrap at {@code max_energy_range_uj}; each poll
 * turns the difference to the previous reading into the average power over the poll interval,
 * stamped at the interval's midpoint.
 */
public final class RaplSource extends PollingPowerSource {

  private static final Pattern ZONE = Pattern.compile("intel-rapl:(\\d+)");
  private static final Pattern PACKAGE = Pattern.compile("package-(\\d+)");

  private final RaplConfig config;
  private final List<Zone> zones = new ArrayList<>();

  private RaplSource(RaplConfig config) {
    super(config.interval(), config.clock(), SampleStores.DEFAULT_RETENTION);
    this.config = config;
  }

  /** A source with the given settings; call {@link #start()} before use. */
  public static RaplSource create(RaplConfig config) {
    return new RaplSource(config);
  }

  @Override
  public String name() {
    return "intel-rapl";
  }

  @Override
  protected List<Device> open() {
    Path root = config.powercapRoot();
    if (!Files.isDirectory(root)) {
      throw new PowerSourceException(
          "Intel RAPL: "
              + root
              + " does not exist (no powercap support, or not an Intel/Linux host)");
    }
    List<Path> dirs;
    try (Stream<Path> list = Files.list(root)) {
      dirs =
          list.filter(p -> ZONE.matcher(p.getFileName().toString()).matches())
              .sorted(Comparator.comparing(p -> p.getFileName().toString()))
              .toList();
    } catch (IOException e) {
      throw new PowerSourceException("Intel RAPL: cannot list " + root + ": " + e.getMessage(), e);
    }
    List<Device> devices = new ArrayList<>();
    zones.clear();
    long now = config.clock().nanoTime();
    for (Path dir : dirs) {
      String name = readText(dir.resolve("name"));
      Matcher m = PACKAGE.matcher(name);
      if (!m.matches()) {
        continue;
      }
      Device device = Device.cpuPackage(Integer.parseInt(m.group(1)));
      long max = readLong(dir.resolve("max_energy_range_uj"));
      long energy = readLong(dir.resolve("energy_uj"));
      zones.add(new Zone(device, dir.resolve("energy_uj"), max, energy, now));
      devices.add(device);
    }
    if (devices.isEmpty()) {
      throw new PowerSourceException(
          "Intel RAPL: no package zone (intel-rapl:N with name package-N) under " + root);
    }
    return devices;
  }

  @Override
  protected void poll(long nowNanos) throws IOException {
    for (Zone zone : zones) {
      if (nowNanos - zone.lastNanos < samplingInterval().toNanos() / 4) {
        continue; // too short to resolve: RAPL counters update about once per millisecond
      }
      long energy = readLong(zone.energyFile);
      long delta = energy - zone.lastEnergy;
      if (delta < 0) {
        // The counter wrapped at max_energy_range_uj.
        delta += zone.maxRange;
      }
      long elapsed = nowNanos - zone.lastNanos;
      if (elapsed > 0 && delta >= 0) {
        double watts = (delta * 1e-6) / (elapsed * 1e-9);
        stores().get(zone.device).append(new PowerSample(zone.lastNanos + elapsed / 2, watts));
      }
      zone.lastEnergy = energy;
      zone.lastNanos = nowNanos;
    }
  }

  private String readText(Path file) {
    try {
      return config.reader().read(file).trim();
    } catch (AccessDeniedException e) {
      throw new RaplAccessException(file.toString(), e);
    } catch (IOException e) {
      throw new PowerSourceException("Intel RAPL: cannot read " + file + ": " + e, e);
    }
  }

  private long readLong(Path file) {
    String text = readText(file);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new PowerSourceException("Intel RAPL: " + file + " holds '" + text + "', not a number");
    }
  }

  /** Per-package counter state; touched only by the polling thread after open. */
  private static final class Zone {
    final Device device;
    final Path energyFile;
    final long maxRange;
    long lastEnergy;
    long lastNanos;

    Zone(Device device, Path energyFile, long maxRange, long lastEnergy, long lastNanos) {
      this.device = device;
      this.energyFile = energyFile;
      this.maxRange = maxRange;
      this.lastEnergy = lastEnergy;
      this.lastNanos = lastNanos;
    }
  }
}
