package dev.knobflow.advisor.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.advisor.Advice;
import dev.knobflow.advisor.AdviceRequest;
import dev.knobflow.advisor.Fixtures;
import dev.knobflow.advisor.rules.RuleBasedAdvisor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdviceReportTest {

  private static Consultation diverged() {
    AdviceRequest request = Fixtures.request(Fixtures.diverging(), 3.0, 64);
    Advice advice =
        RuleBasedAdvisor.withDefaults()
            .advise(request)
            .withFallbackReason("HTTP 429 (rate limited)");
    return new Consultation(request, advice, "2025-01-01T00:00:00Z");
  }

  @Test
  void markdownShowsDiagnosisEvidenceActionsRationaleSourceAndFallback() {
    String md = AdviceReport.markdown(diverged());
    assertTrue(md.startsWith("# Advisor: trial 7, step 12"), md);
    assertTrue(md.contains("Class: **DIVERGING**"), md);
    assertTrue(md.contains("Rule: `"), md);
    assertTrue(md.contains("Thresholds: "), md);
    assertTrue(md.contains("| STOP_TRIAL |  |  | The curve diverged"), md);
    assertTrue(md.contains("| SET_RANGE | lr | \\[1.000e-05, 1\\] |"), md);
    assertTrue(md.contains("Confidence: 0.80"), md);
    assertTrue(md.contains("Source: `rules`"), md);
    assertTrue(md.contains("Fallback reason: HTTP 429 (rate limited)"), md);
  }

  @Test
  void jsonCarriesTheSameContent() throws Exception {
    JsonNode json = new ObjectMapper().readTree(AdviceReport.json(diverged()));
    assertEquals(7, json.get("trial").asInt());
    assertEquals("DIVERGING", json.at("/diagnosis/kind").asText());
    assertEquals("STOP_TRIAL", json.at("/advice/actions/0/kind").asText());
    assertEquals("lr", json.at("/advice/actions/1/parameter").asText());
    assertEquals(1.0, json.at("/advice/actions/1/high").asDouble(), 1e-12);
    assertEquals("RULES", json.at("/advice/source").asText());
    assertEquals("HTTP 429 (rate limited)", json.at("/advice/fallback_reason").asText());
    assertEquals(13, json.get("curve").size());
  }

  @Test
  void markdownEscapesTableBreakingText() {
    AdviceRequest request = Fixtures.request(Fixtures.healthy(), 1e-3, 64);
    Advice advice =
        Advice.fromRules(
            "a | b",
            List.of(new dev.knobflow.advisor.AdviceAction.NoAction("x | y\n# heading")),
            "r",
            0.5);
    String md = AdviceReport.markdown(new Consultation(request, advice, ""));
    assertTrue(md.contains("x \\| y \\# heading"), md);
    assertFalse(md.contains("\n# heading"));
  }

  @Test
  void studySummaryCountsDiagnosesAndFallbacks() {
    List<Consultation> all = List.of(diverged(), diverged());
    String md = AdviceReport.studySummaryMarkdown(all);
    assertTrue(md.contains("2 consultation(s); 2 diverging."), md);
    assertTrue(md.contains("2 answered by the rules in place of the LLM."), md);
    assertEquals(2, md.lines().filter(l -> l.startsWith("| 7 |")).count());
  }

  @Test
  void plainSummaryIsCappedAt8000Characters() {
    List<Consultation> many = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      many.add(diverged());
    }
    String text = AdviceReport.plainSummary(many);
    assertTrue(text.length() <= AdviceReport.MAX_PLAIN_SUMMARY, "length " + text.length());
    assertTrue(text.endsWith("(more consultations omitted)"));
    assertTrue(text.startsWith("Advisor: 500 consultation(s), 500 diverging."));
  }

  @Test
  void artifactPathsNameTrialAndStep() {
    assertEquals("advisor/trial-7-step-12.md", diverged().markdownArtifactPath());
    assertEquals("advisor/trial-7-step-12.json", diverged().jsonArtifactPath());
  }
}
