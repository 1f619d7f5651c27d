package dev.knobflow.advisor.report;

import dev.knobflow.advisor.Advice;
import dev.knobflow.advisor.AdviceRequest;
import java.util.Objects;

/**
 * One advisor consultation: what was asked and what came back.
 *
 * @param request the request (with diagnosis and downsampled curve)
 * @param advice the validated advice
 * @param timestamp when it happened, ISO-8601 as the caller formats it (kept as text so reports are
 *     reproducible)
 */
public record Consultation(AdviceRequest request, Advice advice, String timestamp) {

  /** Validates the fields. */
  public Consultation {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(advice, "advice");
    timestamp = Objects.requireNonNullElse(timestamp, "");
  }

  /**
   * @return the step of the curve's last point, used in artifact names
   */
  public long step() {
    return request.curve().lastStep();
  }

  /**
   * @return the suggested artifact path, {@code advisor/trial-<n>-step-<s>.md}
   */
  public String markdownArtifactPath() {
    return "advisor/trial-" + request.trialNumber() + "-step-" + step() + ".md";
  }

  /**
   * @return the suggested artifact path, {@code advisor/trial-<n>-step-<s>.json}
   */
  public String jsonArtifactPath() {
    return "advisor/trial-" + request.trialNumber() + "-step-" + step() + ".json";
  }
}
