package dev.knobflow.advisor;

import dev.knobflow.advisor.diagnostics.Curve;
import dev.knobflow.advisor.diagnostics.Diagnosis;
import dev.knobflow.advisor.space.Objective;
import dev.knobflow.advisor.space.SearchSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything an advisor sees about one diagnosed trial. Build with {@link #builder()}.
 *
 * @param objectives the study's objectives and directions
 * @param space the declared search space
 * @param bestValues the study's best value so far per objective name (may be empty)
 * @param trialCount how many trials the study has so far
 * @param trialNumber the diagnosed trial's number
 * @param params the trial's parameter values by name ({@link Number}, {@link String} or {@link
 *     Boolean})
 * @param budget the budget (resource) a multi-fidelity scheduler gave the trial; {@code null} if
 *     none
 * @param curveLabel the name of the monitored metric, e.g. {@code val_loss}
 * @param curve the trial's curve, downsampled to at most {@link Builder#curveCap(int)} points
 * @param diagnosis the diagnosis of the full curve
 */
public record AdviceRequest(
    List<Objective> objectives,
    SearchSpace space,
    Map<String, Double> bestValues,
    int trialCount,
    int trialNumber,
    Map<String, Object> params,
    @Nullable Double budget,
    String curveLabel,
    Curve curve,
    Diagnosis diagnosis) {

  /** Validates and copies. */
  public AdviceRequest {
    objectives = List.copyOf(objectives);
    if (objectives.isEmpty()) {
      throw new IllegalArgumentException("objectives must name at least one objective");
    }
    Objects.requireNonNull(space, "space");
    bestValues = Collections.unmodifiableMap(new LinkedHashMap<>(bestValues));
    if (trialCount < 0 || trialNumber < 0) {
      throw new IllegalArgumentException(
          "trialCount and trialNumber must be >= 0; got " + trialCount + ", " + trialNumber);
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    params.forEach(
        (name, value) -> {
          if (!(value instanceof Number || value instanceof String || value instanceof Boolean)) {
            throw new IllegalArgumentException(
                "param '" + name + "' must be a Number, String or Boolean; got " + value);
          }
          copy.put(name, value);
        });
    params = Collections.unmodifiableMap(copy);
    curveLabel = Objects.requireNonNullElse(curveLabel, "objective");
    Objects.requireNonNull(curve, "curve");
    Objects.requireNonNull(diagnosis, "diagnosis");
  }

  /**
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder for {@link AdviceRequest}. */
  public static final class Builder {
    private final List<Objective> objectives = new ArrayList<>();
    private SearchSpace space;
    private final Map<String, Double> bestValues = new LinkedHashMap<>();
    private int trialCount;
    private int trialNumber;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private @Nullable Double budget;
    private String curveLabel;
    private Curve curve;
    private int curveCap = Curve.DEFAULT_DOWNSAMPLE_CAP;
    private Diagnosis diagnosis;

    private Builder() {}

    /**
     * @param objective one objective (call once per objective) @return this
     */
    public Builder objective(Objective objective) {
      objectives.add(objective);
      return this;
    }

    /**
     * @param value the declared space @return this
     */
    public Builder space(SearchSpace value) {
      space = value;
      return this;
    }

    /**
     * @param objective objective name @param value the study's best value @return this
     */
    public Builder bestValue(String objective, double value) {
      bestValues.put(objective, value);
      return this;
    }

    /**
     * @param value trials in the study so far @return this
     */
    public Builder trialCount(int value) {
      trialCount = value;
      return this;
    }

    /**
     * @param value the trial's number @return this
     */
    public Builder trialNumber(int value) {
      trialNumber = value;
      return this;
    }

    /**
     * @param name parameter name @param value its value in this trial @return this
     */
    public Builder param(String name, Object value) {
      params.put(name, value);
      return this;
    }

    /**
     * @param values all parameter values @return this
     */
    public Builder params(Map<String, ?> values) {
      params.putAll(values);
      return this;
    }

    /**
     * @param value the trial's budget, or null @return this
     */
    public Builder budget(@Nullable Double value) {
      budget = value;
      return this;
    }

    /**
     * @param value monitored metric name @return this
     */
    public Builder curveLabel(String value) {
      curveLabel = value;
      return this;
    }

    /**
     * @param value the full curve; downsampled on build @return this
     */
    public Builder curve(Curve value) {
      curve = value;
      return this;
    }

    /**
     * @param value most curve points kept (default 50, at least 5) @return this
     */
    public Builder curveCap(int value) {
      curveCap = value;
      return this;
    }

    /**
     * @param value the diagnosis of the full curve @return this
     */
    public Builder diagnosis(Diagnosis value) {
      diagnosis = value;
      return this;
    }

    /**
     * @return the request
     * @throws IllegalArgumentException or NullPointerException naming a missing or bad field
     */
    public AdviceRequest build() {
      Objects.requireNonNull(curve, "curve");
      return new AdviceRequest(
          objectives,
          space,
          bestValues,
          trialCount,
          trialNumber,
          params,
          budget,
          curveLabel,
          curve.downsample(curveCap),
          diagnosis);
    }
  }
}
