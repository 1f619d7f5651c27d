package dev.knobflow.greenmetrics.rapl;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.PowerSample;
import dev.knobflow.greenmetrics.power.PowerSourceException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RAPL through a fake powercap tree. */
class RaplSourceTest {

  private static final long S = 1_000_000_000L;
  private static final long MAX_RANGE = 262_143_328_850L; // a real package's max_energy_range_uj
  // Long enough that the scheduled poll never runs during a test; polls are driven by hand.
  private static final Duration INTERVAL = Duration.ofSeconds(10);

  @TempDir Path root;
  private final AtomicLong clock = new AtomicLong();

  @BeforeEach
  void powercapTree() throws IOException {
    zone("intel-rapl:0", "package-0", 1_000_000L);
    zone("intel-rapl:0:0", "core", 5L); // a sub-zone: ignored
    zone("intel-rapl:1", "package-1", MAX_RANGE - 10_000_000L);
    zone("intel-rapl:2", "psys", 7L); // platform zone: ignored
  }

  private void zone(String dir, String name, long energy) throws IOException {
    Path z = Files.createDirectories(root.resolve(dir));
    Files.writeString(z.resolve("name"), name + "\n");
    Files.writeString(z.resolve("max_energy_range_uj"), MAX_RANGE + "\n");
    Files.writeString(z.resolve("energy_uj"), energy + "\n");
  }

  private void energy(String dir, long microjoules) throws IOException {
    Files.writeString(root.resolve(dir).resolve("energy_uj"), microjoules + "\n");
  }

  private RaplSource source(RaplConfig.FileReader reader) {
    return RaplSource.create(new RaplConfig(root, INTERVAL, clock::get, reader));
  }

  @Test
  void counterDeltasBecomeAveragePowerAtTheIntervalMidpoint() throws Exception {
    try (RaplSource source = source(RaplConfig.FileReader.FILES)) {
      source.start();
      assertEquals(List.of(Device.cpuPackage(0), Device.cpuPackage(1)), source.devices());
      clock.set(10 * S);
      energy("intel-rapl:0", 1_000_000L + 650_000_000L); // 650 J in 10 s
      energy("intel-rapl:1", MAX_RANGE - 10_000_000L + 400_000_000L - MAX_RANGE); // wraps
      source.poll(clock.get());
      List<PowerSample> p0 = source.samples(Device.cpuPackage(0), 0, Long.MAX_VALUE);
      assertEquals(List.of(new PowerSample(5 * S, 65.0)), p0);
      List<PowerSample> p1 = source.samples(Device.cpuPackage(1), 0, Long.MAX_VALUE);
      assertEquals(1, p1.size());
      assertEquals(40.0, p1.get(0).watts(), 1e-9, "wrap-around corrected: 400 J in 10 s");
    }
  }

  @Test
  void permissionErrorExplainsHowToGrantReadAccess() {
    RaplConfig.FileReader deniesEnergy =
        file -> {
          if (file.getFileName().toString().equals("energy_uj")) {
            throw new AccessDeniedException(file.toString());
          }
          return Files.readString(file);
        };
    try (RaplSource source = source(deniesEnergy)) {
      RaplAccessException e = assertThrows(RaplAccessException.class, source::start);
      assertTrue(e.getMessage().contains("intel-rapl:0/energy_uj"), e.getMessage());
      assertTrue(e.getMessage().contains("CVE-2020-8694"), e.getMessage());
      assertTrue(
          e.getMessage().contains("sudo chmod a+r /sys/class/powercap/intel-rapl:*/energy_uj"));
      assertTrue(e.getMessage().contains("udev"));
    }
  }

  @Test
  void missingPowercapDirectoryIsUnavailable() {
    RaplSource source =
        RaplSource.create(RaplConfig.of(root.resolve("missing"), Duration.ofMillis(100)));
    PowerSourceException e = assertThrows(PowerSourceException.class, source::start);
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void treeWithoutPackageZonesIsUnavailable() throws IOException {
    Path other = Files.createDirectories(root.resolve("amd"));
    PowerSourceException e =
        assertThrows(
            PowerSourceException.class,
            () -> RaplSource.create(RaplConfig.of(other, INTERVAL)).start());
    assertTrue(e.getMessage().contains("no package zone"), e.getMessage());
  }

  @Test
  void realTimePollingFeedsTheStore() throws Exception {
    try (RaplSource source = RaplSource.create(RaplConfig.of(root, Duration.ofMillis(20)))) {
      source.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  source.samples(Device.cpuPackage(0), Long.MIN_VALUE, Long.MAX_VALUE).size() >= 3);
      List<PowerSample> samples =
          source.samples(Device.cpuPackage(0), Long.MIN_VALUE, Long.MAX_VALUE);
      assertTrue(samples.stream().allMatch(s -> s.watts() == 0.0), "counter did not move: 0 W");
    }
  }
}
