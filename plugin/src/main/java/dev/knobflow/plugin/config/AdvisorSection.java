package dev.knobflow.plugin.config;

import dev.knobflow.advisor.diagnostics.DiagnosticsConfig;
import dev.knobflow.advisor.llm.LlmConfig;
import dev.knobflow.advisor.rules.ParameterRole;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.plugin.advice.AdvisorMode;
import dev.knobflow.plugin.advice.AdvisorSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Reads the study file's {@code advisor:} block into an {@link AdvisorSpec}, reporting problems
 * with their paths ({@code advisor.mode}, {@code advisor.roles.my_lr}, {@code
 * advisor.diagnostics.spike_rtol}, {@code advisor.llm.base_url}).
 */
final class AdvisorSection {

  static final String KEY = "advisor";
  static final List<String> KEYS = List.of("mode", "roles", "diagnostics", "llm");
  static final List<String> MODES = List.of("report", "apply");
  static final List<String> LLM_KEYS =
      List.of("base_url", "model", "api_key_env", "timeout", "max_retries", "max_calls");

  private enum Kind {
    INT,
    NUMBER,
    OPTIONAL_NUMBER
  }

  private record Threshold(Kind kind, BiConsumer<DiagnosticsConfig.Builder, Object> set) {}

  private static final Map<String, Threshold> THRESHOLDS = thresholds();

  private AdvisorSection() {}

  /** The block, or empty when the file has none. */
  static Optional<AdvisorSpec> parse(Section top, SearchSpace space) {
    if (!top.has(KEY)) {
      return Optional.empty();
    }
    Optional<Section> section = top.section(KEY);
    if (section.isEmpty()) {
      return Optional.empty();
    }
    Section a = section.get();
    a.allowOnly(KEYS);
    int before = a.problems().size();
    AdvisorMode mode = AdvisorMode.REPORT;
    Optional<String> modeText = a.string("mode");
    if (modeText.isPresent()) {
      String m = modeText.get().toLowerCase(Locale.ROOT);
      if (MODES.contains(m)) {
        mode = AdvisorMode.valueOf(m.toUpperCase(Locale.ROOT));
      } else {
        a.problem(
            "mode",
            "must be report or apply, got '" + modeText.get() + "'" + Suggestions.hint(m, MODES));
      }
    }
    Map<String, String> roles = roles(a, space);
    DiagnosticsConfig diagnostics = diagnostics(a);
    Optional<LlmConfig> llm = llm(a);
    if (a.problems().size() > before) {
      return Optional.empty();
    }
    return Optional.of(new AdvisorSpec(mode, roles, diagnostics, llm));
  }

  private static Map<String, String> roles(Section a, SearchSpace space) {
    Map<String, String> roles = new LinkedHashMap<>();
    Optional<Section> section = a.section("roles");
    if (section.isEmpty()) {
      return roles;
    }
    Section r = section.get();
    List<String> allowed =
        Arrays.stream(ParameterRole.values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList();
    for (String param : r.keys()) {
      Optional<String> role = r.string(param);
      if (role.isEmpty()) {
        continue;
      }
      if (!space.isEmpty() && !space.distributions().containsKey(param)) {
        r.problem(
            param,
            "is not a parameter of space"
                + Suggestions.hint(param, space.distributions().keySet())
                + " (parameters: "
                + String.join(", ", space.distributions().keySet())
                + ")");
        continue;
      }
      try {
        ParameterRole.parse(role.get());
        roles.put(param, role.get());
      } catch (IllegalArgumentException e) {
        r.problem(
            param,
            "unknown role '"
                + role.get()
                + "'; allowed: "
                + String.join(", ", allowed)
                + Suggestions.hint(role.get(), allowed));
      }
    }
    return roles;
  }

  private static DiagnosticsConfig diagnostics(Section a) {
    Optional<Section> section = a.section("diagnostics");
    if (section.isEmpty()) {
      return DiagnosticsConfig.defaults();
    }
    Section d = section.get();
    d.allowOnly(THRESHOLDS.keySet());
    DiagnosticsConfig.Builder builder = DiagnosticsConfig.builder();
    int before = d.problems().size();
    for (String key : d.keys()) {
      Threshold t = THRESHOLDS.get(key);
      if (t == null) {
        continue;
      }
      Object value = null;
      switch (t.kind()) {
        case INT -> value = d.integer(key).map(Long::intValue).orElse(null);
        case NUMBER -> value = d.number(key).orElse(null);
        case OPTIONAL_NUMBER -> {
          if (d.raw(key) == null) {
            t.set().accept(builder, null);
            continue;
          }
          value = d.number(key).orElse(null);
        }
      }
      if (value != null) {
        t.set().accept(builder, value);
      }
    }
    if (d.problems().size() > before) {
      return DiagnosticsConfig.defaults();
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      d.problems().add(d.path(), e.getMessage());
      return DiagnosticsConfig.defaults();
    }
  }

  private static Optional<LlmConfig> llm(Section a) {
    Optional<Section> section = a.section("llm");
    if (section.isEmpty()) {
      return Optional.empty();
    }
    Section l = section.get();
    l.allowOnly(LLM_KEYS);
    int before = l.problems().size();
    Map<String, Object> values = new LinkedHashMap<>(l.asMap());
    if (l.raw("timeout") instanceof String text) {
      // Accept the study file's durations (30s, 2m) as well as plain seconds.
      l.duration("timeout").ifPresent(d -> values.put("timeout", seconds(d)));
    }
    for (String key : List.of("base_url", "model", "api_key_env")) {
      l.require(key, key.equals("api_key_env") ? "the NAME of the variable holding the key" : "");
    }
    if (l.problems().size() > before) {
      return Optional.empty();
    }
    try {
      return Optional.of(LlmConfig.fromMap(values));
    } catch (IllegalArgumentException e) {
      // LlmConfig names the key in its message (advisor.llm.<key> ...).
      String message = e.getMessage();
      String path = l.path();
      for (String key : LLM_KEYS) {
        if (message.startsWith("advisor.llm." + key)) {
          path = l.pathOf(key);
          message = message.substring(("advisor.llm." + key).length()).trim();
        }
      }
      l.problems().add(path, message);
      return Optional.empty();
    }
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static Map<String, Threshold> thresholds() {
    Map<String, Threshold> t = new LinkedHashMap<>();
    t.put("min_points", new Threshold(Kind.INT, (b, v) -> b.minPoints((Integer) v)));
    t.put(
        "divergence_threshold",
        new Threshold(Kind.OPTIONAL_NUMBER, (b, v) -> b.divergenceThreshold((Double) v)));
    t.put("spike_window", new Threshold(Kind.INT, (b, v) -> b.spikeWindow((Integer) v)));
    t.put("spike_rtol", new Threshold(Kind.NUMBER, (b, v) -> b.spikeRtol((Double) v)));
    t.put("spike_atol", new Threshold(Kind.OPTIONAL_NUMBER, (b, v) -> b.spikeAtol((Double) v)));
    t.put("spike_patience", new Threshold(Kind.INT, (b, v) -> b.spikePatience((Integer) v)));
    t.put(
        "lost_progress_window",
        new Threshold(Kind.INT, (b, v) -> b.lostProgressWindow((Integer) v)));
    t.put(
        "lost_progress_share",
        new Threshold(Kind.NUMBER, (b, v) -> b.lostProgressShare((Double) v)));
    t.put("min_progress_rtol", new Threshold(Kind.NUMBER, (b, v) -> b.minProgressRtol((Double) v)));
    t.put(
        "worse_than_start_rtol",
        new Threshold(Kind.NUMBER, (b, v) -> b.worseThanStartRtol((Double) v)));
    t.put("divergence_grace", new Threshold(Kind.INT, (b, v) -> b.divergenceGrace((Integer) v)));
    t.put(
        "divergence_patience",
        new Threshold(Kind.INT, (b, v) -> b.divergencePatience((Integer) v)));
    t.put("plateau_window", new Threshold(Kind.INT, (b, v) -> b.plateauWindow((Integer) v)));
    t.put("plateau_std", new Threshold(Kind.NUMBER, (b, v) -> b.plateauStd((Double) v)));
    t.put("plateau_grace", new Threshold(Kind.INT, (b, v) -> b.plateauGrace((Integer) v)));
    t.put(
        "plateau_min_improvement_rtol",
        new Threshold(Kind.OPTIONAL_NUMBER, (b, v) -> b.plateauMinImprovementRtol((Double) v)));
    t.put(
        "oscillation_window", new Threshold(Kind.INT, (b, v) -> b.oscillationWindow((Integer) v)));
    t.put(
        "oscillation_min_points",
        new Threshold(Kind.INT, (b, v) -> b.oscillationMinPoints((Integer) v)));
    t.put(
        "min_sign_change_share",
        new Threshold(Kind.NUMBER, (b, v) -> b.minSignChangeShare((Double) v)));
    t.put(
        "min_relative_amplitude",
        new Threshold(Kind.NUMBER, (b, v) -> b.minRelativeAmplitude((Double) v)));
    t.put("max_net_progress", new Threshold(Kind.NUMBER, (b, v) -> b.maxNetProgress((Double) v)));
    t.put("median_warmup", new Threshold(Kind.INT, (b, v) -> b.medianWarmup((Integer) v)));
    t.put("median_min_trials", new Threshold(Kind.INT, (b, v) -> b.medianMinTrials((Integer) v)));
    t.put(
        "median_margin_rtol", new Threshold(Kind.NUMBER, (b, v) -> b.medianMarginRtol((Double) v)));
    t.put("median_patience", new Threshold(Kind.INT, (b, v) -> b.medianPatience((Integer) v)));
    return java.util.Collections.unmodifiableMap(t);
  }
}
