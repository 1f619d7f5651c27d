package dev.knobflow.plugin.energy;

import dev.knobflow.greenmetrics.PowerDetection;
import dev.knobflow.greenmetrics.PowerSources;
import dev.knobflow.greenmetrics.energy.EnergyMeter;
import dev.knobflow.greenmetrics.estimate.CpuPowerModel;
import dev.knobflow.greenmetrics.power.Device;
import dev.knobflow.greenmetrics.power.PowerSource;
import dev.knobflow.greenmetrics.power.PowerSourceException;
import dev.knobflow.greenmetrics.power.Subscription;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.Trial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The energy measuring of one study run: detects and starts the power sources once, assigns devices
 * to worker slots, wraps the objective in an {@link EnergyMeasuredObjective}, and closes the
 * sources at the end. What the study runner and the CLI use; Java users may use it too, or build an
 * {@link EnergyMeasuredObjective} themselves.
 */
public final class EnergySession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EnergySession.class);

  /** How long the start waits for the first sample of every device. */
  static final Duration FIRST_SAMPLE_WAIT = Duration.ofSeconds(5);

  private final EnergyConfig config;
  private final List<PowerSource> sources;
  private final Optional<EnergyMeter> meter;
  private final Optional<DeviceSlots> slots;
  private final String status;
  private final Optional<CpuPowerModel> estimate;
  private final int parallelism;

  private EnergySession(
      EnergyConfig config,
      List<PowerSource> sources,
      Optional<EnergyMeter> meter,
      Optional<DeviceSlots> slots,
      String status) {
    this(config, sources, meter, slots, status, Optional.empty(), 1);
  }

  private EnergySession(
      EnergyConfig config,
      List<PowerSource> sources,
      Optional<EnergyMeter> meter,
      Optional<DeviceSlots> slots,
      String status,
      Optional<CpuPowerModel> estimate,
      int parallelism) {
    this.config = config;
    this.sources = List.copyOf(sources);
    this.meter = meter;
    this.slots = slots;
    this.status = status;
    this.estimate = estimate;
    this.parallelism = parallelism;
  }

  /**
   * Starts measuring as {@code config} says, for trials run {@code parallelism} at a time.
   *
   * @param environment where {@code CUDA_VISIBLE_DEVICES} is read (normally {@code
   *     System.getenv()})
   * @throws PowerSourceException when the config declares a measured objective and no power source
   *     is available; the message lists what was tried and why each failed
   */
  public static EnergySession start(
      EnergyConfig config, int parallelism, Map<String, String> environment) {
    Objects.requireNonNull(config, "config");
    if (!config.enabled()) {
      LOG.info("energy: not measured (energy.enabled is false)");
      return new EnergySession(
          config, List.of(), Optional.empty(), Optional.empty(), "not measured (disabled)");
    }
    PowerDetection detection = PowerSources.detect(config.detection(environment));
    if (detection.isEmpty()) {
      if (!config.measuredObjectives().isEmpty()) {
        detection.requireAny(); // throws, listing what was tried
      }
      if (config.estimate().isPresent()) {
        CpuPowerModel model = config.estimate().get();
        LOG.warn(
            "energy: no power source, so energy is estimated from each trial's CPU time x {} W"
                + " per core ({}); an estimate, not a measurement. Tried:\n{}",
            model.wattsPerCore(),
            model.source(),
            detection.summary());
        return new EnergySession(
            config,
            List.of(),
            Optional.empty(),
            Optional.empty(),
            "estimated from CPU time x "
                + new java.math.BigDecimal(model.wattsPerCore())
                    .round(new java.math.MathContext(4))
                    .stripTrailingZeros()
                    .toPlainString()
                + " W per core ("
                + model.source()
                + "), not measured",
            Optional.of(model),
            parallelism);
      }
      LOG.info(
          "energy: unavailable, trials get no energy metrics (no power source). Tried:\n{}",
          detection.summary());
      return new EnergySession(
          config,
          List.of(),
          Optional.empty(),
          Optional.empty(),
          "unavailable (no power source; see the log)");
    }
    List<PowerSource> sources = detection.sources();
    if (config.estimate().isPresent()) {
      LOG.info("energy: a power source measures this machine; the CPU-time estimate is not used");
    }
    try {
      EnergyMeter meter = EnergyMeter.of(sources);
      DeviceSlots slots = DeviceSlots.assign(meter.devices(), parallelism);
      awaitFirstSamples(sources, FIRST_SAMPLE_WAIT);
      LOG.info("energy: measuring with\n{}", detection.summary());
      if (sources.stream().anyMatch(s -> s.name().equals("constant"))) {
        LOG.warn(
            "energy: assumed constant power is an estimate (energy = configured watts x trial"
                + " time), not a measurement");
      }
      LOG.info("energy: {}", slots.describe());
      LOG.info(
          "energy: carbon intensity {} g CO2e/kWh ({}){}",
          config.carbon().gramsPerKwh(),
          config.carbon().source(),
          config.carbonConfigured()
              ? ""
              : "; the default, set carbon: {country: DEU} or {intensity_g_per_kwh: 350}");
      Set<String> names = new HashSet<>();
      sources.forEach(
          s -> names.add(s.name().equals("constant") ? "constant power (an estimate)" : s.name()));
      return new EnergySession(
          config,
          sources,
          Optional.of(meter),
          Optional.of(slots),
          "measured by " + String.join(", ", new java.util.TreeSet<>(names)));
    } catch (RuntimeException e) {
      sources.forEach(PowerSource::close);
      throw e;
    }
  }

  /**
   * Waits until every device has a sample, so the first trial is covered from its start (a freshly
   * started nvidia-smi takes a moment to print its first row).
   */
  private static void awaitFirstSamples(List<PowerSource> sources, Duration max) {
    List<Subscription> subscriptions = new ArrayList<>();
    int devices = sources.stream().mapToInt(s -> s.devices().size()).sum();
    CountDownLatch latch = new CountDownLatch(devices);
    try {
      for (PowerSource s : sources) {
        for (Device d : s.devices()) {
          AtomicBoolean seen = new AtomicBoolean();
          subscriptions.add(
              s.subscribe(
                  d,
                  sample -> {
                    if (seen.compareAndSet(false, true)) {
                      latch.countDown();
                    }
                  }));
        }
      }
      if (!latch.await(max.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "energy: not every device had a power sample after {} ms; early trials may be only"
                + " partly covered (see energy_coverage)",
            max.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      subscriptions.forEach(Subscription::close);
    }
  }

  /** Whether trials are metered. */
  public boolean isMeasuring() {
    return meter.isPresent();
  }

  /** Whether trials get a CPU-time energy estimate (nothing measures them). */
  public boolean isEstimating() {
    return estimate.isPresent();
  }

  /** One phrase for summaries: {@code measured by nvidia-smi}, {@code unavailable (...)}. */
  public String status() {
    return status;
  }

  /** The device slots, when measuring. */
  public Optional<DeviceSlots> slots() {
    return slots;
  }

  /**
   * {@code objective} with energy metering around each evaluation, with the CPU-time estimate where
   * nothing measures and {@code energy.estimate} is on, or {@code objective} itself.
   *
   * @param objectiveNames the study's objectives in order
   */
  public ObjectiveFunction wrap(ObjectiveFunction objective, List<String> objectiveNames) {
    if (meter.isEmpty() && estimate.isPresent()) {
      TrialCpuTime cpuTime =
          objective instanceof TrialCpuTime.Provider p
              ? p.cpuTime()
              : TrialCpuTime.jvm(parallelism);
      return EstimatedEnergyObjective.builder(objective, cpuTime)
          .power(estimate.get())
          .carbon(config.carbon())
          .build();
    }
    if (meter.isEmpty()) {
      return objective;
    }
    return EnergyMeasuredObjective.builder(objective, meter.get())
        .carbon(config.carbon())
        .slots(slots.get())
        .objectives(objectiveNames, Set.copyOf(config.measuredObjectives()))
        .build();
  }

  /**
   * Extra environment for a running trial's command: {@code CUDA_VISIBLE_DEVICES} with its slot's
   * GPUs when GPUs are divided between parallel trials; empty otherwise.
   */
  public Map<String, String> environmentFor(Trial trial) {
    return slots
        .flatMap(s -> s.slotOf(trial.number()))
        .flatMap(DeviceSlots.Slot::cudaVisibleDevices)
        .map(v -> Map.of("CUDA_VISIBLE_DEVICES", v))
        .orElse(Map.of());
  }

  /** Stops the power sources (the nvidia-smi process, RAPL polling). */
  @Override
  public void close() {
    for (PowerSource s : sources) {
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.warn("energy: closing {} failed: {}", s.name(), e.toString());
      }
    }
  }
}
