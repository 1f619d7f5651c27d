package dev.knobflow.plugin.warmstart;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A finished trial of a past study: its parameters and objective values, in the order of the
 * study's objectives.
 *
 * @param params parameter values (numbers, strings or booleans; numeric strings as MLflow stores
 *     them are accepted for numeric distributions)
 * @param values objective values
 * @param number its trial number in the past study, or {@link #UNKNOWN_NUMBER}
 */
public record PastTrial(Map<String, Object> params, List<Double> values, int number) {

  /** The {@link #number} of a trial whose number is not known. */
  public static final int UNKNOWN_NUMBER = -1;

  public PastTrial {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(values, "values");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    values = Collections.unmodifiableList(new java.util.ArrayList<>(values));
    if (number < UNKNOWN_NUMBER) {
      throw new IllegalArgumentException("number must be >= 0 (or -1 if unknown), got " + number);
    }
  }

  /** A trial whose number is not known. */
  public PastTrial(Map<String, Object> params, List<Double> values) {
    this(params, values, UNKNOWN_NUMBER);
  }

  /** The same trial with its number in the past study. */
  public PastTrial withNumber(int trialNumber) {
    return new PastTrial(params, values, trialNumber);
  }

  /** A trial with one objective value. */
  public static PastTrial of(Map<String, Object> params, double value) {
    return new PastTrial(params, List.of(value));
  }

  /** A trial with several objective values. */
  public static PastTrial of(Map<String, Object> params, double... values) {
    return new PastTrial(params, java.util.Arrays.stream(values).boxed().toList());
  }
}
