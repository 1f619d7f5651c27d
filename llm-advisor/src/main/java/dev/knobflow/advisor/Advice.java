package dev.knobflow.advisor;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link Advisor} recommends for one diagnosed trial.
 *
 * @param summary one line
 * @param actions concrete actions; never empty ({@link AdviceAction.NoAction} when nothing to do)
 * @param rationale why, in a few sentences
 * @param confidence in {@code [0, 1]}
 * @param source who produced it
 * @param fallbackReason why the LLM was not used or failed, when the rules answered in its place;
 *     {@code null} otherwise
 * @param validationNotes what {@link AdviceValidator} changed or dropped, in plain words
 */
public record Advice(
    String summary,
    List<AdviceAction> actions,
    String rationale,
    double confidence,
    AdviceSource source,
    @Nullable String fallbackReason,
    List<String> validationNotes) {

  /** Validates and copies. */
  public Advice {
    summary = Objects.requireNonNullElse(summary, "");
    rationale = Objects.requireNonNullElse(rationale, "");
    actions = List.copyOf(actions);
    if (actions.isEmpty()) {
      actions = List.of(new AdviceAction.NoAction("No action proposed."));
    }
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in [0, 1]; got " + confidence);
    }
    Objects.requireNonNull(source, "source");
    validationNotes = List.copyOf(validationNotes);
  }

  /**
   * Advice from the rules without fallback or notes.
   *
   * @param summary one line
   * @param actions the actions
   * @param rationale why
   * @param confidence in [0, 1]
   * @return the advice
   */
  public static Advice fromRules(
      String summary, List<AdviceAction> actions, String rationale, double confidence) {
    return new Advice(
        summary, actions, rationale, confidence, AdviceSource.rules(), null, List.of());
  }

  /**
   * @param reason why the rules answered instead of the LLM
   * @return a copy carrying the reason
   */
  public Advice withFallbackReason(String reason) {
    return new Advice(summary, actions, rationale, confidence, source, reason, validationNotes);
  }

  /**
   * @return whether any action stops the trial
   */
  public boolean stopsTrial() {
    return actions.stream().anyMatch(a -> a.kind() == ActionKind.STOP_TRIAL);
  }
}
