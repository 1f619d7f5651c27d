package dev.knobflow.optimizers.budget;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Limits on what a study may spend: any of GPU-hours, energy, CO2 (through {@link CostMeter}s the
 * plugin provides) and wall time. Everything is derived from the trials in storage, so several
 * workers on one storage share one budget.
 *
 * <pre>{@code
 * StudyBudget budget = StudyBudget.builder()
 *     .wall(Duration.ofHours(3))
 *     .limit(myEnergyMeter, 1.5)   // kWh
 *     .build();
 * Study study = Study.builder("demo").budget(budget)...build();
 * }</pre>
 *
 * <p>{@code Study.optimize} starts a trial only while, for every limit, the spent amount plus the
 * forecast cost of the trials running now and of one more stays within it. The forecast is the mean
 * cost of the finished trials; in multi-fidelity studies, of the finished trials at the lowest
 * budget level, where new trials start (promotions to higher levels are bounded by the hard limit).
 * When a limit is reached, running trials are asked to prune with the reason. Wall time counts from
 * the first trial's start.
 */
public final class StudyBudget {

  /** The key of the wall-time budget in statuses. */
  public static final String WALL_HOURS = "wall_hours";

  private final Map<CostMeter, Double> limits;
  private final Duration wall;
  private final Clock clock;

  private StudyBudget(Builder b) {
    this.limits = new LinkedHashMap<>(b.limits);
    this.wall = b.wall;
    this.clock = b.clock;
  }

  /** A builder with no limits and the system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether there is no limit at all. */
  public boolean isEmpty() {
    return limits.isEmpty() && wall == null;
  }

  /** The attribute a study stores its limits in, so that {@code show} can report them. */
  public static final String STUDY_ATTR = "budget";

  /** The limits by name ({@code wall_hours} for wall time), in the order of {@link #status}. */
  public Map<String, Double> limits() {
    Map<String, Double> out = new LinkedHashMap<>();
    limits.forEach((meter, limit) -> out.put(meter.name(), limit));
    if (wall != null) {
      out.put(WALL_HOURS, wall.toMillis() / 3.6e6);
    }
    return out;
  }

  /** Every limit's status, in the order they were added (wall time last). */
  public List<BudgetStatus> status(StudyView study) {
    return status(study.trials());
  }

  /** Every limit's status over {@code trials} (all of a study's trials). */
  public List<BudgetStatus> status(List<FrozenTrial> trials) {
    List<BudgetStatus> out = new ArrayList<>();
    int running = (int) trials.stream().filter(t -> t.state() == TrialState.RUNNING).count();
    for (Map.Entry<CostMeter, Double> e : limits.entrySet()) {
      CostMeter meter = e.getKey();
      double spent = 0;
      Map<Double, double[]> byLevel = new TreeMap<>(); // level -> {sum, count}
      for (FrozenTrial t : trials) {
        if (!t.state().isFinished()) {
          continue;
        }
        OptionalDouble c = meter.cost(t);
        if (c.isPresent()) {
          spent += c.getAsDouble();
          double level = Double.isNaN(t.budget()) ? Double.NEGATIVE_INFINITY : t.budget();
          double[] acc = byLevel.computeIfAbsent(level, k -> new double[2]);
          acc[0] += c.getAsDouble();
          acc[1]++;
        }
      }
      double forecast = entryLevelMean(byLevel);
      double committed = Double.isNaN(forecast) ? 0 : forecast * running;
      out.add(new BudgetStatus(meter.name(), e.getValue(), spent, committed, forecast));
    }
    if (wall != null) {
      Optional<Instant> first =
          trials.stream()
              .map(FrozenTrial::started)
              .filter(Objects::nonNull)
              .min(Instant::compareTo);
      double spentHours =
          first.map(f -> Duration.between(f, clock.instant()).toMillis() / 3.6e6).orElse(0.0);
      Map<Double, double[]> byLevel = new TreeMap<>();
      for (FrozenTrial t : trials) {
        if (t.state().isFinished() && t.duration().isPresent()) {
          double level = Double.isNaN(t.budget()) ? Double.NEGATIVE_INFINITY : t.budget();
          double[] acc = byLevel.computeIfAbsent(level, k -> new double[2]);
          acc[0] += t.duration().get().toMillis() / 3.6e6;
          acc[1]++;
        }
      }
      // Wall time passes for running trials anyway: only one more trial's length is forecast.
      out.add(
          new BudgetStatus(
              WALL_HOURS, wall.toMillis() / 3.6e6, spentHours, 0, entryLevelMean(byLevel)));
    }
    return out;
  }

  private static double entryLevelMean(Map<Double, double[]> byLevel) {
    if (byLevel.isEmpty()) {
      return Double.NaN;
    }
    double[] first = byLevel.values().iterator().next();
    return first[0] / first[1];
  }

  /** The reason no further trial may start, or empty when one may. */
  public Optional<String> refusal(StudyView study) {
    for (BudgetStatus s : status(study)) {
      if (!s.admitsAnother()) {
        return Optional.of(
            "budget "
                + s.name()
                + (s.exhausted() ? " exhausted: " : " would be exceeded: ")
                + s.describe());
      }
    }
    return Optional.empty();
  }

  /** The reason running trials must stop (a limit reached), or empty. */
  public Optional<String> exhaustion(StudyView study) {
    for (BudgetStatus s : status(study)) {
      if (s.exhausted()) {
        return Optional.of("budget " + s.name() + " exhausted: " + s.describe());
      }
    }
    return Optional.empty();
  }

  /** Builds a {@link StudyBudget}. */
  public static final class Builder {
    private final Map<CostMeter, Double> limits = new LinkedHashMap<>();
    private Duration wall;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** A limit on what {@code meter} counts; must be above 0. */
    public Builder limit(CostMeter meter, double amount) {
      Objects.requireNonNull(meter, "meter");
      if (!(amount > 0) || Double.isInfinite(amount)) {
        throw new IllegalArgumentException(
            "budget." + meter.name() + " must be a positive number, got " + amount);
      }
      limits.put(meter, amount);
      return this;
    }

    /** A limit on wall time from the first trial's start; must be positive. */
    public Builder wall(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("budget.wall must be a positive duration, got " + value);
      }
      this.wall = value;
      return this;
    }

    /** The clock wall time is read from (tests drive a fake one). */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    public StudyBudget build() {
      return new StudyBudget(this);
    }
  }
}
