package dev.knobflow.plugin.energy;

import dev.knobflow.greenmetrics.carbon.CarbonIntensity;
import dev.knobflow.greenmetrics.energy.EnergyMeter;
import dev.knobflow.greenmetrics.energy.Measurement;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the energy of every evaluation of another objective: the meter starts just before the
 * inner {@link ObjectiveFunction#evaluate} and stops just after, on the devices of the trial's
 * {@link DeviceSlots.Slot}. The result gains the metrics of {@link EnergyMetrics} ({@code
 * energy_wh}, {@code co2_g}, {@code avg_power_w}, {@code peak_power_w}, {@code energy_coverage},
 * {@code gpu_<i>_energy_wh}, {@code cpu_<i>_energy_wh}), so storage and tracking get them, and
 * <em>measured objectives</em> ({@code energy_wh}, {@code co2_g}) get their values from the meter.
 *
 * <pre>{@code
 * PowerDetection detection = PowerSources.detect(DetectionConfig.defaults());
 * EnergyMeter meter = EnergyMeter.of(detection.requireAny());
 * ObjectiveFunction measured =
 *     EnergyMeasuredObjective.builder(myObjective, meter)
 *         .objectives(List.of("accuracy", "energy_wh"), Set.of("energy_wh"))
 *         .carbon(CarbonIntensity.forCountry("DEU"))
 *         .slots(DeviceSlots.assign(meter.devices(), 2))
 *         .build();
 * study.optimize(measured, OptimizeOptions.trials(20).withParallelism(2));
 * }</pre>
 *
 * <p>A wrapper (rather than a {@code StudyListener}) because only it brackets exactly the
 * evaluation and can put values into the {@link TrialResult}. The inner objective returns the other
 * objectives either by name or positionally (in the order of the objectives that are not measured,
 * or of all objectives). If it also reports a measured objective, the measured value wins with a
 * warning. A trial that fails still has its energy kept in the user attribute {@value
 * #ENERGY_ATTR}.
 */
public final class EnergyMeasuredObjective implements ObjectiveFunction, AutoCloseable {

  /** The trial user attribute holding the metered devices, sharing, and a failed trial's energy. */
  public static final String ENERGY_ATTR = "energy";

  private static final Logger LOG = LoggerFactory.getLogger(EnergyMeasuredObjective.class);

  private final ObjectiveFunction inner;
  private final EnergyMeter meter;
  private final CarbonIntensity carbon;
  private final DeviceSlots slots;
  private final List<String> objectiveNames;
  private final List<String> measured;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private EnergyMeasuredObjective(Builder b) {
    this.inner = b.inner;
    this.meter = b.meter;
    this.carbon = b.carbon;
    this.slots = b.slots != null ? b.slots : DeviceSlots.all(b.meter.devices());
    this.objectiveNames = List.copyOf(b.objectiveNames);
    this.measured = objectiveNames.stream().filter(b.measured::contains).toList();
    if (!objectiveNames.containsAll(b.measured)) {
      throw new IllegalArgumentException(
          "measured objectives " + b.measured + " must be among the objectives " + objectiveNames);
    }
  }

  /**
   * Adds energy metrics to {@code inner}'s results, metering every device of {@code meter}; no
   * objective is measured.
   */
  public static EnergyMeasuredObjective wrap(
      ObjectiveFunction inner, EnergyMeter meter, CarbonIntensity carbon) {
    return builder(inner, meter).carbon(carbon).build();
  }

  /** Starts describing a measured objective. */
  public static Builder builder(ObjectiveFunction inner, EnergyMeter meter) {
    return new Builder(inner, meter);
  }

  /** The device slots trials are metered on. */
  public DeviceSlots slots() {
    return slots;
  }

  @Override
  public TrialResult evaluate(Trial trial) throws Exception {
    DeviceSlots.Slot slot = slots.acquire(trial.number());
    Map<String, Object> attr = new LinkedHashMap<>();
    attr.put("devices", slot.deviceIds());
    attr.put("shared", slot.shared());
    TrialResult result;
    Map<String, Double> energy;
    try {
      Measurement m = meter.start(slot.devices());
      try {
        result = inner.evaluate(trial);
      } catch (Exception | Error e) {
        // A failed or pruned trial used energy too: keep it with the trial.
        attr.putAll(EnergyMetrics.of(m.stop(), carbon));
        saveAttr(trial, attr);
        throw e;
      }
      energy = EnergyMetrics.of(m.stop(), carbon);
    } finally {
      slots.release(trial.number());
    }
    saveAttr(trial, attr);
    if (result == null) {
      return null;
    }
    return merge(slot, result, energy);
  }

  private static void saveAttr(Trial trial, Map<String, Object> attr) {
    try {
      trial.setUserAttr(ENERGY_ATTR, attr);
    } catch (RuntimeException e) {
      LOG.warn("trial {}: cannot store the energy attribute: {}", trial.number(), e.getMessage());
    }
  }

  private TrialResult merge(DeviceSlots.Slot slot, TrialResult result, Map<String, Double> energy)
      throws EnergyNotMeasuredException {
    for (String name : measured) {
      if (!energy.containsKey(name)) {
        throw new EnergyNotMeasuredException(
            "objective '"
                + name
                + "' could not be measured: no power sample of "
                + slot.deviceIds()
                + " during the trial (energy_coverage 0)");
      }
    }
    Map<String, Double> metrics = new LinkedHashMap<>(result.metrics());
    for (String key : energy.keySet()) {
      if (metrics.containsKey(key) || result.named().containsKey(key)) {
        warnOnce(key, "the objective also reports '" + key + "'; the measured value is kept");
      }
    }
    metrics.putAll(energy);
    if (measured.isEmpty()) {
      Map<String, Double> named = new LinkedHashMap<>(result.named());
      energy.keySet().forEach(named::remove);
      return new TrialResult(result.values(), named, metrics, result.constraints());
    }
    Map<String, Double> named = new LinkedHashMap<>(result.named());
    if (!result.values().isEmpty()) {
      List<String> order = positionalNames(result.values().size());
      for (int i = 0; i < order.size(); i++) {
        named.put(order.get(i), result.values().get(i));
      }
    }
    for (String name : measured) {
      named.put(name, energy.get(name));
    }
    return new TrialResult(List.of(), named, metrics, result.constraints());
  }

  /** Names positional values: the unmeasured objectives, or all when every value is given. */
  private List<String> positionalNames(int count) throws EnergyNotMeasuredException {
    List<String> reported = new ArrayList<>(objectiveNames);
    reported.removeAll(measured);
    if (count == reported.size()) {
      return reported;
    }
    if (count == objectiveNames.size()) {
      measured.forEach(
          n -> warnOnce(n, "the objective also returns a value for '" + n + "'; measured wins"));
      return objectiveNames;
    }
    throw new EnergyNotMeasuredException(
        "the objective returned "
            + count
            + " values; expected "
            + reported.size()
            + " (for "
            + reported
            + "; "
            + measured
            + " are measured)");
  }

  private void warnOnce(String key, String message) {
    if (warned.add(key)) {
      LOG.warn("{}", message);
    }
  }

  /** Closes the inner objective (stopping running commands); the meter's sources stay open. */
  @Override
  public void close() throws Exception {
    if (inner instanceof AutoCloseable c) {
      c.close();
    }
  }

  /** A measured objective has no value (no power sample during the trial). */
  public static final class EnergyNotMeasuredException extends Exception {
    private static final long serialVersionUID = 1L;

    EnergyNotMeasuredException(String message) {
      super(message);
    }
  }

  /** Options of an {@link EnergyMeasuredObjective}. */
  public static final class Builder {
    private final ObjectiveFunction inner;
    private final EnergyMeter meter;
    private CarbonIntensity carbon = CarbonIntensity.worldDefault();
    private DeviceSlots slots;
    private List<String> objectiveNames = List.of();
    private Set<String> measured = Set.of();

    private Builder(ObjectiveFunction inner, EnergyMeter meter) {
      this.inner = Objects.requireNonNull(inner, "inner");
      this.meter = Objects.requireNonNull(meter, "meter");
    }

    /** Grams CO2e per kWh; default the world average, 475 g/kWh. */
    public Builder carbon(CarbonIntensity intensity) {
      this.carbon = Objects.requireNonNull(intensity, "intensity");
      return this;
    }

    /** Which devices each trial is metered on; default all of the meter's, for every trial. */
    public Builder slots(DeviceSlots deviceSlots) {
      this.slots = Objects.requireNonNull(deviceSlots, "deviceSlots");
      return this;
    }

    /**
     * The study's objectives in order, and which of them ({@code energy_wh}, {@code co2_g}) the
     * meter fills in.
     */
    public Builder objectives(List<String> names, Set<String> measuredNames) {
      for (String n : measuredNames) {
        if (!EnergyMetrics.MEASURABLE_OBJECTIVES.contains(n)) {
          throw new IllegalArgumentException(
              "only energy_wh and co2_g can be measured objectives, got '" + n + "'");
        }
      }
      this.objectiveNames = List.copyOf(names);
      this.measured = Set.copyOf(measuredNames);
      return this;
    }

    public EnergyMeasuredObjective build() {
      return new EnergyMeasuredObjective(this);
    }
  }
}
