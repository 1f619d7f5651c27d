package dev.knobflow.advisor.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.knobflow.advisor.Advice;
import dev.knobflow.advisor.AdviceAction;
import dev.knobflow.advisor.AdviceRequest;
import dev.knobflow.advisor.diagnostics.CurvePoint;
import dev.knobflow.advisor.diagnostics.DiagnosisKind;
import dev.knobflow.advisor.diagnostics.Evidence;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders consultations: Markdown and JSON for one, a Markdown summary for a study, and a short
 * plain-text summary (at most {@link #MAX_PLAIN_SUMMARY} characters) for an MLflow run description.
 * Text from the study and the model is escaped for Markdown tables and inline code.
 */
public final class AdviceReport {

  /** The most characters {@link #plainSummary(List)} returns. */
  public static final int MAX_PLAIN_SUMMARY = 8000;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AdviceReport() {}

  /**
   * @param c one consultation
   * @return a Markdown document
   */
  public static String markdown(Consultation c) {
    AdviceRequest r = c.request();
    Advice a = c.advice();
    Evidence e = r.diagnosis().evidence();
    StringBuilder md = new StringBuilder();
    md.append("# Advisor: trial ").append(r.trialNumber()).append(", step ").append(c.step());
    md.append("\n\n");
    if (!c.timestamp().isEmpty()) {
      md.append("_").append(escape(c.timestamp())).append("_\n\n");
    }
    md.append("**").append(escape(a.summary())).append("**\n\n");
    md.append("## Diagnosis\n\n");
    md.append("- Class: **")
        .append(r.diagnosis().kind())
        .append("** (")
        .append(r.diagnosis().direction().name().toLowerCase(Locale.ROOT))
        .append(" `")
        .append(code(r.curveLabel()))
        .append("`)\n");
    md.append("- Rule: `")
        .append(e.rule())
        .append("` over points ")
        .append(e.windowStart())
        .append("–")
        .append(e.windowEnd())
        .append(" of ")
        .append(r.diagnosis().pointCount())
        .append("\n");
    md.append("- Evidence: ").append(escape(e.explanation())).append("\n");
    if (!e.thresholds().isEmpty()) {
      md.append("- Thresholds: ").append(pairs(e.thresholds())).append("\n");
    }
    if (!e.measured().isEmpty()) {
      md.append("- Measured: ").append(pairs(e.measured())).append("\n");
    }
    md.append("\n## Curve\n\n").append(curveSummary(r)).append("\n\n");
    md.append("## Trial\n\n| parameter | value |\n|---|---|\n");
    r.params()
        .forEach(
            (k, v) ->
                md.append("| ")
                    .append(cell(k))
                    .append(" | ")
                    .append(cell(String.valueOf(v)))
                    .append(" |\n"));
    if (r.budget() != null) {
      md.append("\nBudget: ").append(num(r.budget())).append("\n");
    }
    md.append("\n## Actions\n\n| action | parameter | change | explanation |\n|---|---|---|---|\n");
    for (AdviceAction action : a.actions()) {
      md.append("| ")
          .append(action.kind())
          .append(" | ")
          .append(cell(parameter(action)))
          .append(" | ")
          .append(cell(change(action)))
          .append(" | ")
          .append(cell(action.explanation()))
          .append(" |\n");
    }
    if (!a.validationNotes().isEmpty()) {
      md.append("\nValidator notes:\n\n");
      a.validationNotes().forEach(n -> md.append("- ").append(escape(n)).append("\n"));
    }
    md.append("\n## Rationale\n\n").append(escape(a.rationale())).append("\n\n");
    md.append("- Confidence: ")
        .append(String.format(Locale.ROOT, "%.2f", a.confidence()))
        .append("\n");
    md.append("- Source: `").append(code(a.source().label())).append("`\n");
    if (a.fallbackReason() != null) {
      md.append("- Fallback reason: ").append(escape(a.fallbackReason())).append("\n");
    }
    return md.toString();
  }

  /**
   * @param c one consultation
   * @return the same content as {@link #markdown(Consultation)} as pretty-printed JSON
   */
  public static String json(Consultation c) {
    try {
      return MAPPER.writeValueAsString(jsonNode(c));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not render consultation JSON", e);
    }
  }

  static ObjectNode jsonNode(Consultation c) {
    AdviceRequest r = c.request();
    Advice a = c.advice();
    ObjectNode root = MAPPER.createObjectNode();
    root.put("trial", r.trialNumber());
    root.put("step", c.step());
    root.put("timestamp", c.timestamp());
    ObjectNode d = root.putObject("diagnosis");
    d.put("kind", r.diagnosis().kind().name());
    d.put("direction", r.diagnosis().direction().name());
    d.put("metric", r.curveLabel());
    d.put("points", r.diagnosis().pointCount());
    Evidence e = r.diagnosis().evidence();
    ObjectNode ev = d.putObject("evidence");
    ev.put("rule", e.rule());
    ev.put("window_start", e.windowStart());
    ev.put("window_end", e.windowEnd());
    ev.put("explanation", e.explanation());
    e.thresholds().forEach(ev.putObject("thresholds")::put);
    e.measured().forEach(ev.putObject("measured")::put);
    ArrayNode curve = root.putArray("curve");
    for (CurvePoint p : r.curve().points()) {
      ArrayNode pair = curve.addArray().add(p.step());
      if (Double.isFinite(p.value())) {
        pair.add(p.value());
      } else {
        pair.add(String.valueOf(p.value()));
      }
    }
    ObjectNode params = root.putObject("params");
    r.params().forEach((k, v) -> params.put(k, String.valueOf(v)));
    if (r.budget() != null) {
      root.put("budget", r.budget());
    }
    ObjectNode advice = root.putObject("advice");
    advice.put("summary", a.summary());
    ArrayNode actions = advice.putArray("actions");
    for (AdviceAction action : a.actions()) {
      ObjectNode node = actions.addObject().put("kind", action.kind().name());
      if (action instanceof AdviceAction.SetRange s) {
        node.put("parameter", s.parameter()).put("low", s.low()).put("high", s.high());
      } else if (action instanceof AdviceAction.FixValue f) {
        node.put("parameter", f.parameter()).put("value", String.valueOf(f.value()));
      }
      node.put("explanation", action.explanation());
    }
    advice.put("rationale", a.rationale());
    advice.put("confidence", a.confidence());
    advice.put("source", a.source().kind().name());
    if (a.source().model() != null) {
      advice.put("model", a.source().model());
    }
    advice.put("fallback_reason", a.fallbackReason());
    a.validationNotes().forEach(advice.putArray("validation_notes")::add);
    return root;
  }

  /**
   * @param consultations all consultations of a study, in order
   * @return a Markdown summary: counts per diagnosis and source, then one row per consultation
   */
  public static String studySummaryMarkdown(List<Consultation> consultations) {
    StringBuilder md = new StringBuilder("# Advisor summary\n\n");
    if (consultations.isEmpty()) {
      return md.append("No consultations.\n").toString();
    }
    md.append(consultations.size())
        .append(" consultation(s); ")
        .append(counts(consultations))
        .append(".\n\n");
    long fallbacks =
        consultations.stream().filter(c -> c.advice().fallbackReason() != null).count();
    if (fallbacks > 0) {
      md.append(fallbacks).append(" answered by the rules in place of the LLM.\n\n");
    }
    md.append("| trial | step | diagnosis | rule | actions | confidence | source |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (Consultation c : consultations) {
      md.append("| ")
          .append(c.request().trialNumber())
          .append(" | ")
          .append(c.step())
          .append(" | ")
          .append(c.request().diagnosis().kind())
          .append(" | `")
          .append(c.request().diagnosis().evidence().rule())
          .append("` | ")
          .append(cell(actionsShort(c.advice())))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.2f", c.advice().confidence()))
          .append(" | ")
          .append(
              cell(
                  c.advice().source().label()
                      + (c.advice().fallbackReason() == null ? "" : " (fallback)")))
          .append(" |\n");
    }
    return md.toString();
  }

  /**
   * @param consultations all consultations of a study
   * @return plain text for a run description, at most {@link #MAX_PLAIN_SUMMARY} characters
   */
  public static String plainSummary(List<Consultation> consultations) {
    StringBuilder sb = new StringBuilder("Advisor: ");
    if (consultations.isEmpty()) {
      return sb.append("no consultations.").toString();
    }
    sb.append(consultations.size())
        .append(" consultation(s), ")
        .append(counts(consultations))
        .append(".\n");
    String tail = "\n(more consultations omitted)";
    for (Consultation c : consultations) {
      String line =
          "Trial "
              + c.request().trialNumber()
              + " step "
              + c.step()
              + ": "
              + c.request().diagnosis().kind()
              + " -> "
              + oneLine(c.advice().summary())
              + " ["
              + c.advice().source().label()
              + (c.advice().fallbackReason() == null ? "" : ", fallback")
              + "]\n";
      if (sb.length() + line.length() + tail.length() > MAX_PLAIN_SUMMARY) {
        sb.append(tail);
        break;
      }
      sb.append(line);
    }
    return sb.length() > MAX_PLAIN_SUMMARY ? sb.substring(0, MAX_PLAIN_SUMMARY) : sb.toString();
  }

  private static String counts(List<Consultation> consultations) {
    Map<DiagnosisKind, Integer> counts = new EnumMap<>(DiagnosisKind.class);
    consultations.forEach(c -> counts.merge(c.request().diagnosis().kind(), 1, Integer::sum));
    StringBuilder sb = new StringBuilder();
    counts.forEach(
        (k, v) ->
            sb.append(sb.length() == 0 ? "" : ", ")
                .append(v)
                .append(" ")
                .append(k.name().toLowerCase(Locale.ROOT)));
    return sb.toString();
  }

  private static String curveSummary(AdviceRequest r) {
    List<CurvePoint> pts = r.curve().points();
    if (pts.isEmpty()) {
      return "No points.";
    }
    double best = Double.NaN;
    long bestStep = -1;
    for (CurvePoint p : pts) {
      if (Double.isFinite(p.value())
          && (Double.isNaN(best) || r.diagnosis().direction().isBetter(p.value(), best))) {
        best = p.value();
        bestStep = p.step();
      }
    }
    CurvePoint first = pts.get(0);
    CurvePoint last = pts.get(pts.size() - 1);
    return pts.size()
        + " points shown (of "
        + r.diagnosis().pointCount()
        + "): first "
        + num(first.value())
        + " at step "
        + first.step()
        + ", best "
        + num(best)
        + " at step "
        + bestStep
        + ", last "
        + num(last.value())
        + " at step "
        + last.step()
        + ".\n\n`"
        + sparkline(pts)
        + "`";
  }

  private static String sparkline(List<CurvePoint> pts) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (CurvePoint p : pts) {
      if (Double.isFinite(p.value())) {
        min = Math.min(min, p.value());
        max = Math.max(max, p.value());
      }
    }
    String bars = "▁▂▃▄▅▆▇█";
    StringBuilder sb = new StringBuilder();
    for (CurvePoint p : pts) {
      if (!Double.isFinite(p.value())) {
        sb.append('×');
      } else if (max <= min) {
        sb.append(bars.charAt(3));
      } else {
        int i = (int) Math.round((p.value() - min) / (max - min) * (bars.length() - 1));
        sb.append(bars.charAt(i));
      }
    }
    return sb.toString();
  }

  private static String parameter(AdviceAction a) {
    if (a instanceof AdviceAction.SetRange s) {
      return s.parameter();
    }
    if (a instanceof AdviceAction.FixValue f) {
      return f.parameter();
    }
    return "";
  }

  private static String change(AdviceAction a) {
    if (a instanceof AdviceAction.SetRange s) {
      return "[" + num(s.low()) + ", " + num(s.high()) + "]";
    }
    if (a instanceof AdviceAction.FixValue f) {
      return "= " + f.value();
    }
    return "";
  }

  private static String actionsShort(Advice a) {
    StringBuilder sb = new StringBuilder();
    for (AdviceAction action : a.actions()) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(action.kind());
      String p = parameter(action);
      if (!p.isEmpty()) {
        sb.append(' ').append(p).append(' ').append(change(action));
      }
    }
    return sb.toString();
  }

  private static String pairs(Map<String, Double> map) {
    StringBuilder sb = new StringBuilder();
    map.forEach(
        (k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" = ").append(num(v)));
    return sb.toString();
  }

  private static String num(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e12) {
      return String.valueOf((long) v);
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  /** Escapes Markdown control characters in running text. */
  static String escape(String s) {
    return s.replaceAll("([\\\\`*_\\[\\]<>|#])", "\\\\$1");
  }

  private static String cell(String s) {
    return escape(oneLine(s));
  }

  private static String code(String s) {
    return oneLine(s).replace("`", "'");
  }
}
