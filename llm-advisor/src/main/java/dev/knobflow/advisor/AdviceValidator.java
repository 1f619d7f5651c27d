package dev.knobflow.advisor;

import dev.knobflow.advisor.space.ParameterSpec;
import dev.knobflow.advisor.space.ParameterSpec.CategoricalParameter;
import dev.knobflow.advisor.space.ParameterSpec.FloatParameter;
import dev.knobflow.advisor.space.ParameterSpec.IntParameter;
import dev.knobflow.advisor.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Makes any advice safe to use against the declared search space, whoever produced it: unknown
 * parameters are dropped, ranges are clamped into the declared bounds with {@code low < high} (and
 * so positive for log-scaled parameters), integer bounds are rounded inwards, fixed values are
 * clamped or must be a declared choice, at most one action per parameter and one stop are kept, and
 * free text is stripped of control characters and capped. Every change is explained on the action
 * it touched and in {@link Advice#validationNotes()}.
 */
public final class AdviceValidator {

  /** Longest summary kept. */
  public static final int MAX_SUMMARY = 300;

  /** Longest rationale kept. */
  public static final int MAX_RATIONALE = 2000;

  /** Longest action explanation kept. */
  public static final int MAX_EXPLANATION = 600;

  private final SearchSpace space;

  private AdviceValidator(SearchSpace space) {
    this.space = Objects.requireNonNull(space, "space");
  }

  /**
   * @param space the declared search space
   * @return a validator for it
   */
  public static AdviceValidator of(SearchSpace space) {
    return new AdviceValidator(space);
  }

  /**
   * @param advice advice from any source
   * @return the advice with only valid, in-space actions
   */
  public Advice validate(Advice advice) {
    List<String> notes = new ArrayList<>(advice.validationNotes());
    List<AdviceAction> kept = new ArrayList<>();
    Set<String> touched = new HashSet<>();
    boolean stopKept = false;
    for (AdviceAction action : advice.actions()) {
      AdviceAction cleaned = withCleanExplanation(action);
      switch (cleaned.kind()) {
        case STOP_TRIAL -> {
          if (!stopKept) {
            kept.add(cleaned);
            stopKept = true;
          } else {
            notes.add("Dropped a duplicate STOP_TRIAL.");
          }
        }
        case NONE -> kept.add(cleaned);
        case SET_RANGE ->
            setRange((AdviceAction.SetRange) cleaned, touched, notes).ifPresent(kept::add);
        case FIX_VALUE ->
            fixValue((AdviceAction.FixValue) cleaned, touched, notes).ifPresent(kept::add);
        default -> throw new IllegalStateException("unhandled action kind " + cleaned.kind());
      }
    }
    boolean hasReal = kept.stream().anyMatch(a -> a.kind() != ActionKind.NONE);
    List<AdviceAction> result = new ArrayList<>();
    for (AdviceAction a : kept) {
      if (a.kind() != ActionKind.NONE || (!hasReal && result.isEmpty())) {
        result.add(a);
      }
    }
    if (result.isEmpty()) {
      result.add(new AdviceAction.NoAction("No valid action remained after validation."));
    }
    return new Advice(
        clean(advice.summary(), MAX_SUMMARY),
        result,
        clean(advice.rationale(), MAX_RATIONALE),
        advice.confidence(),
        advice.source(),
        advice.fallbackReason(),
        notes);
  }

  private Optional<AdviceAction> setRange(
      AdviceAction.SetRange action, Set<String> touched, List<String> notes) {
    String name = action.parameter();
    Optional<ParameterSpec> declared = space.find(name);
    if (declared.isEmpty()) {
      notes.add("Dropped SET_RANGE for unknown parameter '" + quote(name) + "'.");
      return Optional.empty();
    }
    if (!touched.add(name)) {
      notes.add("Dropped a second action for parameter '" + name + "'.");
      return Optional.empty();
    }
    double low = action.low();
    double high = action.high();
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      notes.add("Dropped SET_RANGE for '" + name + "': bounds must be finite numbers.");
      return Optional.empty();
    }
    List<String> changes = new ArrayList<>();
    if (low > high) {
      double t = low;
      low = high;
      high = t;
      changes.add("swapped low and high");
    }
    double declaredLow;
    double declaredHigh;
    boolean integer;
    if (declared.get() instanceof FloatParameter f) {
      declaredLow = f.low();
      declaredHigh = f.high();
      integer = false;
    } else if (declared.get() instanceof IntParameter i) {
      declaredLow = i.low();
      declaredHigh = i.high();
      integer = true;
    } else {
      notes.add("Dropped SET_RANGE for categorical parameter '" + name + "'.");
      return Optional.empty();
    }
    if (low < declaredLow) {
      changes.add("raised low from " + num(low) + " to the declared low " + num(declaredLow));
      low = declaredLow;
    }
    if (high > declaredHigh) {
      changes.add("lowered high from " + num(high) + " to the declared high " + num(declaredHigh));
      high = declaredHigh;
    }
    if (low > declaredHigh || high < declaredLow) {
      notes.add(
          "Dropped SET_RANGE for '"
              + name
              + "': it lies outside the declared range ["
              + num(declaredLow)
              + ", "
              + num(declaredHigh)
              + "].");
      return Optional.empty();
    }
    if (integer) {
      double roundedLow = Math.ceil(low);
      double roundedHigh = Math.floor(high);
      if (roundedLow != low || roundedHigh != high) {
        changes.add("rounded to integers");
      }
      low = roundedLow;
      high = roundedHigh;
    }
    if (!(low < high)) {
      notes.add(
          "Dropped SET_RANGE for '"
              + name
              + "': the range ["
              + num(low)
              + ", "
              + num(high)
              + "] is empty after clamping to the declared space.");
      return Optional.empty();
    }
    AdviceAction.SetRange result = new AdviceAction.SetRange(name, low, high, action.explanation());
    if (!changes.isEmpty()) {
      String note = "(Validator: " + String.join("; ", changes) + ".)";
      notes.add("SET_RANGE '" + name + "': " + String.join("; ", changes) + ".");
      return Optional.of(result.withNote(note));
    }
    return Optional.of(result);
  }

  private Optional<AdviceAction> fixValue(
      AdviceAction.FixValue action, Set<String> touched, List<String> notes) {
    String name = action.parameter();
    Optional<ParameterSpec> declared = space.find(name);
    if (declared.isEmpty()) {
      notes.add("Dropped FIX_VALUE for unknown parameter '" + quote(name) + "'.");
      return Optional.empty();
    }
    if (!touched.add(name)) {
      notes.add("Dropped a second action for parameter '" + name + "'.");
      return Optional.empty();
    }
    if (declared.get() instanceof CategoricalParameter c) {
      String value = String.valueOf(action.value());
      if (!c.choices().contains(value)) {
        notes.add(
            "Dropped FIX_VALUE for '"
                + name
                + "': '"
                + quote(value)
                + "' is not a declared choice.");
        return Optional.empty();
      }
      return Optional.of(new AdviceAction.FixValue(name, value, action.explanation()));
    }
    Double number = toNumber(action.value());
    if (number == null || !Double.isFinite(number)) {
      notes.add("Dropped FIX_VALUE for '" + name + "': the value is not a finite number.");
      return Optional.empty();
    }
    double low;
    double high;
    boolean integer = declared.get() instanceof IntParameter;
    if (declared.get() instanceof FloatParameter f) {
      low = f.low();
      high = f.high();
    } else {
      IntParameter i = (IntParameter) declared.get();
      low = i.low();
      high = i.high();
    }
    double value = Math.max(low, Math.min(high, integer ? Math.rint(number) : number));
    Object typed = integer ? (Object) (long) value : (Object) value;
    AdviceAction.FixValue result = new AdviceAction.FixValue(name, typed, action.explanation());
    if (value != number) {
      String change =
          "clamped/rounded "
              + num(number)
              + " to "
              + num(value)
              + " within ["
              + num(low)
              + ", "
              + num(high)
              + "]";
      notes.add("FIX_VALUE '" + name + "': " + change + ".");
      return Optional.of(result.withNote("(Validator: " + change + ".)"));
    }
    return Optional.of(result);
  }

  private static AdviceAction withCleanExplanation(AdviceAction action) {
    String text = clean(action.explanation(), MAX_EXPLANATION);
    return switch (action.kind()) {
      case STOP_TRIAL -> new AdviceAction.StopTrial(text);
      case NONE -> new AdviceAction.NoAction(text);
      case SET_RANGE -> {
        AdviceAction.SetRange r = (AdviceAction.SetRange) action;
        yield new AdviceAction.SetRange(r.parameter(), r.low(), r.high(), text);
      }
      case FIX_VALUE -> {
        AdviceAction.FixValue f = (AdviceAction.FixValue) action;
        yield new AdviceAction.FixValue(f.parameter(), f.value(), text);
      }
    };
  }

  private static Double toNumber(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Removes control characters (keeping newlines), collapses runs of blank lines and caps length.
   *
   * @param text any text
   * @param max the most characters kept
   * @return the cleaned text
   */
  static String clean(String text, int max) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), max));
    for (int i = 0; i < text.length() && sb.length() < max; i++) {
      char ch = text.charAt(i);
      if (ch == '\n' || ch == '\t' || !Character.isISOControl(ch)) {
        sb.append(ch == '\t' ? ' ' : ch);
      }
    }
    if (text.length() > max && sb.length() >= max) {
      sb.setLength(max - 1);
      sb.append('…');
    }
    return sb.toString().strip();
  }

  private static String quote(String text) {
    return clean(text, 60).replace("'", "’").replace("\n", " ");
  }

  private static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
