package dev.knobflow.advisor;

import java.util.Objects;

/** One concrete action of an {@link Advice}; every action explains itself in plain words. */
public sealed interface AdviceAction
    permits AdviceAction.StopTrial,
        AdviceAction.SetRange,
        AdviceAction.FixValue,
        AdviceAction.NoAction {

  /**
   * @return the action's kind
   */
  ActionKind kind();

  /**
   * @return why, including any adjustment the validator made
   */
  String explanation();

  /**
   * @param note text to append to the explanation
   * @return a copy with the note appended
   */
  AdviceAction withNote(String note);

  /**
   * Stop the diagnosed trial.
   *
   * @param explanation why
   */
  record StopTrial(String explanation) implements AdviceAction {
    /** Defaults a null explanation to empty. */
    public StopTrial {
      explanation = Objects.requireNonNullElse(explanation, "");
    }

    @Override
    public ActionKind kind() {
      return ActionKind.STOP_TRIAL;
    }

    @Override
    public StopTrial withNote(String note) {
      return new StopTrial(join(explanation, note));
    }
  }

  /**
   * Sample a numeric parameter only from {@code [low, high]} in later trials.
   *
   * @param parameter declared parameter name
   * @param low new lower bound
   * @param high new upper bound
   * @param explanation why
   */
  record SetRange(String parameter, double low, double high, String explanation)
      implements AdviceAction {
    /** Validates the name. */
    public SetRange {
      Objects.requireNonNull(parameter, "parameter");
      explanation = Objects.requireNonNullElse(explanation, "");
    }

    @Override
    public ActionKind kind() {
      return ActionKind.SET_RANGE;
    }

    @Override
    public SetRange withNote(String note) {
      return new SetRange(parameter, low, high, join(explanation, note));
    }
  }

  /**
   * Use one value for a parameter in later trials.
   *
   * @param parameter declared parameter name
   * @param value a {@link Double} for float parameters, a {@link Long} for int parameters, the
   *     declared choice's {@link String} for categorical ones
   * @param explanation why
   */
  record FixValue(String parameter, Object value, String explanation) implements AdviceAction {
    /** Validates the name and value. */
    public FixValue {
      Objects.requireNonNull(parameter, "parameter");
      Objects.requireNonNull(value, "value");
      explanation = Objects.requireNonNullElse(explanation, "");
    }

    @Override
    public ActionKind kind() {
      return ActionKind.FIX_VALUE;
    }

    @Override
    public FixValue withNote(String note) {
      return new FixValue(parameter, value, join(explanation, note));
    }
  }

  /**
   * Nothing to change.
   *
   * @param explanation why
   */
  record NoAction(String explanation) implements AdviceAction {
    /** Defaults a null explanation to empty. */
    public NoAction {
      explanation = Objects.requireNonNullElse(explanation, "");
    }

    @Override
    public ActionKind kind() {
      return ActionKind.NONE;
    }

    @Override
    public NoAction withNote(String note) {
      return new NoAction(join(explanation, note));
    }
  }

  private static String join(String explanation, String note) {
    if (note == null || note.isBlank()) {
      return explanation;
    }
    return explanation.isBlank() ? note : explanation + " " + note;
  }
}
