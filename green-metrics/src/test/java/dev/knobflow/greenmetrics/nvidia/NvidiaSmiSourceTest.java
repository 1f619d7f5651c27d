package dev.knobflow.greenmetrics.nvidia;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.greenmetrics.energy.DeviceEnergy;
import dev.knobflow.greenmetrics.energy.EnergyMeter;
import dev.knobflow.greenmetrics.energy.EnergyReport;
import dev.knobflow.greenmetrics.energy.Measurement;
import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.PowerSourceException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nvidia-smi source against a fake nvidia-smi replaying real output shapes. */
class NvidiaSmiSourceTest {

  private static final Duration INTERVAL = Duration.ofMillis(50);

  @TempDir Path dir;

  private NvidiaSmiSource start(String fixture, Map<String, String> env, List<String> gpus)
      throws Exception {
    return start(fixture, env, gpus, Duration.ofSeconds(10));
  }

  private NvidiaSmiSource start(
      String fixture, Map<String, String> env, List<String> gpus, Duration stallTimeout)
      throws Exception {
    NvidiaSmiSource source =
        NvidiaSmiSource.create(
            NvidiaSmiConfig.builder()
                .executable(FakeNvidiaSmi.install(dir, fixture).toString())
                .interval(INTERVAL)
                .environment(env)
                .gpus(gpus)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .stopGrace(Duration.ofSeconds(1))
                .stallTimeout(stallTimeout)
                .build());
    source.start();
    return source;
  }

  /** A real process is awaited: a generous ceiling, never a timing bound. */
  private static final Duration CEILING = Duration.ofSeconds(60);

  /**
   * Measures {@code device} until {@code samples} readings have arrived inside the measurement
   * (however long the loaded machine takes), then stops.
   */
  private static DeviceEnergy measure(NvidiaSmiSource source, Device device, int samples) {
    Measurement m = EnergyMeter.of(List.of(source)).start(Set.of(device));
    long from = source.clock().nanoTime(); // after the start: every awaited sample is inside
    awaitSamplesSince(source, device, from, samples);
    DeviceEnergy e = m.stop().device(device.id()).orElseThrow();
    // A reading's time is nvidia-smi's own timestamp aligned to this clock, so the last awaited
    // one may lie a few milliseconds past the end of the measurement.
    assertTrue(e.sampleCount() >= samples - 1, "samples " + e.sampleCount());
    return e;
  }

  private static void awaitSamples(NvidiaSmiSource source, Device device, int count) {
    awaitSamplesSince(source, device, Long.MIN_VALUE, count);
  }

  private static void awaitSamplesSince(
      NvidiaSmiSource source, Device device, long from, int count) {
    await("at least " + count + " samples of " + device.id())
        .atMost(CEILING)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> source.samples(device, from, Long.MAX_VALUE).size() >= count);
  }

  @Test
  void h200PrefersInstantPowerOverTheOneSecondAverage() throws Exception {
    try (NvidiaSmiSource source = start("h200", Map.of(), List.of())) {
      assertTrue(source.instantPowerSupported());
      assertEquals(
          List.of(
              "--query-gpu=timestamp,index,uuid,power.draw,power.draw.instant,utilization.gpu,"
                  + "memory.used",
              "--format=csv,noheader,nounits",
              "-lms",
              "50"),
          source.samplerCommand().subList(1, 5));
      List<Device> devices = source.devices();
      assertEquals(List.of("gpu:0", "gpu:1"), devices.stream().map(Device::id).toList());
      assertEquals("GPU-5c1b9e5a-8f7e-2a3b-9c4d-1e2f3a4b5c6d", devices.get(0).uuid());
      assertEquals("NVIDIA H200", devices.get(0).name());
      awaitSamples(source, devices.get(0), 2);

      DeviceEnergy e = measure(source, devices.get(0), 6);
      assertEquals(318.20, e.averageWatts(), 1e-6, "power.draw.instant, not power.draw (250)");
      // How much of the interval the readings cover depends on the machine's load (gaps over
      // 150 ms count as uncovered); the gap rule itself is tested in EnergyIntegrationTest.
      assertTrue(e.coverage() > 0.0, "coverage " + e.coverage());
      assertEquals(0, source.garbageLineCount());
    }
  }

  @Test
  void concurrentTrialsOnTwoGpusShareOneProcessButNotTheirEnergy() throws Exception {
    try (NvidiaSmiSource source = start("h200", Map.of(), List.of())) {
      Device gpu0 = source.devices().get(0);
      Device gpu1 = source.devices().get(1);
      awaitSamples(source, gpu1, 2);
      EnergyMeter meter = EnergyMeter.of(List.of(source));
      Measurement a = meter.start(Set.of(gpu0));
      Measurement b = meter.start(Set.of(gpu1));
      long from = source.clock().nanoTime();
      awaitSamplesSince(source, gpu0, from, 4);
      awaitSamplesSince(source, gpu1, from, 4);
      EnergyReport ra = a.stop();
      EnergyReport rb = b.stop();
      assertEquals(318.20, ra.device("gpu:0").orElseThrow().averageWatts(), 1e-6);
      assertEquals(74.85, rb.device("gpu:1").orElseThrow().averageWatts(), 1e-6);
      assertTrue(ra.device("gpu:1").isEmpty() && rb.device("gpu:0").isEmpty());
    }
  }

  @Test
  void turingRowWithAbsentInstantPowerFallsBackToPowerDraw() throws Exception {
    try (NvidiaSmiSource source = start("turing", Map.of(), List.of())) {
      assertTrue(source.instantPowerSupported(), "the field is accepted, its cells are [N/A]");
      Device t4 = source.devices().get(0);
      awaitSamples(source, t4, 2);
      DeviceEnergy e = measure(source, t4, 4);
      assertEquals(68.50, e.averageWatts(), 1e-6);
      assertEquals(0, source.rowsWithoutPowerCount());
    }
  }

  @Test
  void driverRejectingInstantPowerIsProbedAndTheFieldDropped() throws Exception {
    try (NvidiaSmiSource source = start("old-driver", Map.of(), List.of())) {
      assertFalse(source.instantPowerSupported());
      assertFalse(source.samplerCommand().get(1).contains("power.draw.instant"));
      Device v100 = source.devices().get(0);
      assertEquals("Tesla V100-SXM2-16GB", v100.name());
      awaitSamples(source, v100, 2);
      assertEquals(201.40, measure(source, v100, 4).averageWatts(), 1e-6);
      assertEquals(0, source.garbageLineCount());
    }
  }

  @Test
  void migInstanceInCudaVisibleDevicesMetersItsParentGpu() throws Exception {
    Map<String, String> env =
        Map.of("CUDA_VISIBLE_DEVICES", "MIG-66666666-7777-8888-9999-000000000000");
    try (NvidiaSmiSource source = start("mig", env, List.of())) {
      List<Device> devices = source.devices();
      assertEquals(List.of("gpu:0"), devices.stream().map(Device::id).toList());
      awaitSamples(source, devices.get(0), 2);
      DeviceEnergy e = measure(source, devices.get(0), 4);
      assertEquals(182.50, e.averageWatts(), 1e-6);
      assertEquals(0, source.garbageLineCount(), "[N/A] utilization is not garbage");
    }
  }

  @Test
  void explicitUuidSelectionOverridesCudaVisibleDevices() throws Exception {
    Map<String, String> env = Map.of("CUDA_VISIBLE_DEVICES", "0");
    try (NvidiaSmiSource source =
        start("h200", env, List.of("GPU-7d2e4f6a-1b3c-4d5e-8f9a-0b1c2d3e4f5a"))) {
      assertEquals(List.of("gpu:1"), source.devices().stream().map(Device::id).toList());
    }
  }

  @Test
  void samplerThatDiesMidTrialIsRestartedAndTheTrialKeepsItsEnergy() throws Exception {
    try (NvidiaSmiSource source = start("dies", Map.of(), List.of())) {
      Device gpu = source.devices().get(0);
      EnergyMeter meter = EnergyMeter.of(List.of(source));
      Measurement m = meter.start(Set.of(gpu));
      await("the sampler's restart").atMost(CEILING).until(() -> source.restartCount() >= 1);
      assertEquals(1, source.restartCount(), "the first run dies after 8 readings");
      long restartedAt = source.clock().nanoTime();
      awaitSamplesSince(source, gpu, restartedAt, 4);
      DeviceEnergy e = m.stop().device("gpu:0").orElseThrow();
      assertEquals(412.0, e.averageWatts(), 1e-6);
      // The restarted fake waits 500 ms before its first reading, far beyond the 150 ms maximum
      // gap, so the restart always leaves an uncovered hole however fast the machine starts the new
      // process; how long the hole lasts depends on the machine's load, so only its existence and
      // samples from both runs are required.
      assertTrue(e.coverage() > 0.0 && e.coverage() < 1.0, "coverage " + e.coverage());
      assertTrue(e.sampleCount() >= 4, "the restarted run's samples count: " + e.sampleCount());
      assertTrue(source.failure().isEmpty());
      assertTrue(source.isSamplerAlive());
    }
  }

  @Test
  void silentlyHangingSamplerIsKilledAndRestarted() throws Exception {
    // The watchdog runs on real time, and a restarted python fake can take well over a second to
    // print its first row on a loaded machine: a generous stall timeout, or every restart is
    // killed as another stall.
    try (NvidiaSmiSource source = start("stalls", Map.of(), List.of(), Duration.ofSeconds(5))) {
      Device gpu = source.devices().get(0);
      await("the hanging sampler's restart")
          .atMost(CEILING)
          .until(() -> source.restartCount() >= 1);
      assertEquals(1, source.stallCount());
      long restartedAt = source.clock().nanoTime();
      awaitSamplesSince(source, gpu, restartedAt, 3);
    }
  }

  @Test
  void garbageAndAbsentCellsAreSkippedNeverCountedAsZeroWatts() throws Exception {
    try (NvidiaSmiSource source = start("garbage", Map.of(), List.of())) {
      Device gpu = source.devices().get(0);
      awaitSamples(source, gpu, 2);
      DeviceEnergy e = measure(source, gpu, 10);
      // Readings cycle 300, absent, 300 (instant deprecated -> power.draw), absent.
      assertEquals(300.0, e.averageWatts(), 1e-6, "absent readings are not 0 W");
      assertEquals(300.0, e.peakWatts(), 1e-6);
      assertTrue(e.coverage() > 0.0, "coverage " + e.coverage());
      assertTrue(source.garbageLineCount() >= 4, "garbage " + source.garbageLineCount());
      assertTrue(source.rowsWithoutPowerCount() >= 2, "absent " + source.rowsWithoutPowerCount());
      assertTrue(source.isSamplerAlive(), "garbage never stops the sampler");
    }
  }

  @Test
  void closeStopsTheSamplerProcess() throws Exception {
    NvidiaSmiSource source = start("h200", Map.of(), List.of());
    awaitSamples(source, source.devices().get(0), 1);
    assertTrue(source.isSamplerAlive());
    source.close();
    assertFalse(source.isSamplerAlive());
    int stored = source.samples(source.devices().get(0), Long.MIN_VALUE, Long.MAX_VALUE).size();
    // Checks that nothing happens: the pause cannot make a correct source fail.
    Thread.sleep(200);
    assertEquals(
        stored, source.samples(source.devices().get(0), Long.MIN_VALUE, Long.MAX_VALUE).size());
  }

  @Test
  void driverFailureIsReportedWithNvidiaSmisMessage() throws Exception {
    PowerSourceException e =
        assertThrows(PowerSourceException.class, () -> start("no-driver", Map.of(), List.of()));
    assertTrue(e.getMessage().contains("exit code 9"), e.getMessage());
    assertTrue(e.getMessage().contains("couldn't communicate with the NVIDIA driver"));
  }

  @Test
  void missingExecutableSaysHowToFixIt() {
    NvidiaSmiSource source =
        NvidiaSmiSource.create(
            NvidiaSmiConfig.builder()
                .executable(dir.resolve("no-such-nvidia-smi").toString())
                .build());
    PowerSourceException e = assertThrows(PowerSourceException.class, source::start);
    assertTrue(e.getMessage().contains("could not be run"), e.getMessage());
    assertTrue(e.getMessage().contains("configure the executable path"), e.getMessage());
  }
}
