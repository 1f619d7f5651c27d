package dev.knobflow.plugin.advice;

import dev.knobflow.advisor.diagnostics.DiagnosticsConfig;
import dev.knobflow.advisor.llm.LlmConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The study file's {@code advisor:} block, validated.
 *
 * @param mode report (default) or apply
 * @param roles parameter name -> role ({@code learning_rate}, {@code batch_size}, ...), for names
 *     the advisor cannot recognise by itself
 * @param diagnostics the curve diagnostics' thresholds
 * @param llm the LLM endpoint; empty for the rules alone
 */
public record AdvisorSpec(
    AdvisorMode mode,
    Map<String, String> roles,
    DiagnosticsConfig diagnostics,
    Optional<LlmConfig> llm) {

  public AdvisorSpec {
    Objects.requireNonNull(mode, "mode");
    roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    Objects.requireNonNull(diagnostics, "diagnostics");
    Objects.requireNonNull(llm, "llm");
  }

  /** Report mode, rules only, default thresholds. */
  public static AdvisorSpec defaults() {
    return new AdvisorSpec(
        AdvisorMode.REPORT, Map.of(), DiagnosticsConfig.defaults(), Optional.empty());
  }
}
