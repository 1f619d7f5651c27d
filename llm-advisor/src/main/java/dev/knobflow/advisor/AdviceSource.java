package dev.knobflow.advisor;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who produced an {@link Advice}.
 *
 * @param kind rules or an LLM
 * @param model the LLM's model name; {@code null} for rules
 */
public record AdviceSource(Kind kind, @Nullable String model) {

  /** Producer kinds. */
  public enum Kind {
    /** The deterministic {@code RuleBasedAdvisor}. */
    RULES,
    /** A language model through an OpenAI-compatible endpoint. */
    LLM
  }

  /** Validates that an LLM source names its model. */
  public AdviceSource {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.LLM && (model == null || model.isBlank())) {
      throw new IllegalArgumentException("an LLM advice source must name its model");
    }
  }

  /**
   * @return the rules source
   */
  public static AdviceSource rules() {
    return new AdviceSource(Kind.RULES, null);
  }

  /**
   * @param model model name
   * @return an LLM source
   */
  public static AdviceSource llm(String model) {
    return new AdviceSource(Kind.LLM, model);
  }

  /**
   * @return {@code rules} or {@code llm:<model>}
   */
  public String label() {
    return kind == Kind.RULES ? "rules" : "llm:" + model;
  }
}
