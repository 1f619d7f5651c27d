package dev.knobflow.optimizers.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.gp.GpSampler;
import dev.knobflow.optimizers.samplers.nsga2.NsgaIISampler;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import dev.knobflow.optimizers.schedulers.bohb.Bohb;
import dev.knobflow.optimizers.schedulers.bohb.BohbSettings;
import dev.knobflow.optimizers.schedulers.hyperband.BudgetSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proposals (parameters and the sampler's stored attributes) of every model-based sampler for
 * fixed seeds on fixed problems, compared to the letter with {@code golden-proposals.txt}, which
 * was recorded from the code before the sampler SPI, GP split and dominance changes of issue 17. A
 * refactoring that changes one bit of one proposal fails here.
 *
 * <p>Re-recorded once for the repeat guard of issue 18: GP_SINGLE trials 16 and 17 had repeated
 * trials 15 and 12 (a corner of the box, lr and x at their upper bounds) and NSGA2_CONSTRAINED
 * trial 20 had repeated trial 15; those trials and the ones after them in GP_SINGLE changed, no
 * other line did.
 *
 * <p>To re-record a case after a deliberate change of behaviour, run with {@code
 * -Dgolden.write=true} (it rewrites the resource under {@code src/test/resources}) and say why in
 * the commit.
 */
class GoldenProposalsTest {

  private static final String RESOURCE = "golden-proposals.txt";

  private static final SearchSpace MIXED =
      SearchSpace.builder()
          .add("x", FloatDistribution.of(-2, 2))
          .add("lr", FloatDistribution.logOf(1e-4, 1))
          .add("n", IntDistribution.of(1, 8))
          .add("act", CategoricalDistribution.of("relu", "tanh", "gelu"))
          .build();

  private static final SearchSpace CUBE =
      SearchSpace.builder()
          .floatParam("x0", 0, 1)
          .floatParam("x1", 0, 1)
          .floatParam("x2", 0, 1)
          .floatParam("x3", 0, 1)
          .build();

  enum Case {
    GP_SINGLE(() -> GpSampler.seeded(11), 1, false, 30),
    GP_SINGLE_CONSTRAINED(() -> GpSampler.seeded(12), 1, true, 30),
    GP_TWO_OBJECTIVES_CONSTRAINED(() -> GpSampler.seeded(13), 2, true, 30),
    GP_THREE_OBJECTIVES(() -> GpSampler.seeded(14), 3, false, 30),
    GP_FOUR_OBJECTIVES_PAREGO(() -> GpSampler.seeded(15), 4, false, 25),
    TPE_SINGLE(() -> TpeSampler.seeded(21), 1, false, 40),
    TPE_MULTIVARIATE_CONSTRAINED(
        () -> TpeSampler.builder().seed(22).multivariate(true).build(), 1, true, 40),
    MOTPE_CONSTRAINED(() -> TpeSampler.seeded(23), 2, true, 40),
    NSGA2_CONSTRAINED(
        () -> NsgaIISampler.builder().seed(31).populationSize(8).build(), 2, true, 40),
    AUTO_SINGLE(() -> AutoSampler.seeded(41), 1, false, 30),
    SOBOL(() -> SobolSampler.seeded(51), 1, false, 12),
    BOHB(null, 1, false, 40);

    final Supplier<Sampler> sampler;
    final int objectives;
    final boolean constrained;
    final int trials;

    Case(Supplier<Sampler> sampler, int objectives, boolean constrained, int trials) {
      this.sampler = sampler;
      this.objectives = objectives;
      this.constrained = constrained;
      this.trials = trials;
    }
  }

  @ParameterizedTest
  @EnumSource(Case.class)
  void seededProposalsMatchTheRecordedOnes(Case c) throws IOException {
    List<String> actual = run(c);
    if (Boolean.getBoolean("golden.write")) {
      write(Map.of(c.name(), actual));
      return;
    }
    Map<String, List<String>> golden = read();
    List<String> expected = golden.get(c.name());
    assertNotNull(expected, "no golden proposals recorded for " + c);
    assertEquals(expected.size(), actual.size(), c + ": trial count");
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), c + ": trial " + i);
    }
  }

  /**
   * No recorded proposal repeats an earlier trial's configuration (the study's repeat guard). BOHB
   * is left out: its later rungs continue a configuration at a larger budget on purpose.
   */
  @ParameterizedTest
  @EnumSource(
      value = Case.class,
      mode = EnumSource.Mode.EXCLUDE,
      names = {"BOHB"})
  void recordedProposalsRepeatNoConfiguration(Case c) throws IOException {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String line : read().get(c.name())) {
      String params = line.substring(line.indexOf(' ') + 1, line.indexOf('}') + 1);
      assertTrue(seen.add(params), c + ": repeated configuration in " + line);
    }
  }

  private static List<String> run(Case c) {
    Study.Builder b = Study.builder("golden");
    List<Objective> objectives = new ArrayList<>();
    for (int j = 0; j < c.objectives; j++) {
      objectives.add(j == 1 ? Objective.maximize("f" + j) : Objective.minimize("f" + j));
    }
    b.objectives(objectives);
    if (c == Case.BOHB) {
      Bohb bohb = Bohb.create(BohbSettings.of(BudgetSettings.of(1, 9), 61));
      b.space(CUBE).sampler(bohb.sampler()).scheduler(bohb.scheduler());
    } else {
      b.space(c.objectives >= 3 || c == Case.NSGA2_CONSTRAINED ? CUBE : MIXED);
      b.sampler(c.sampler.get());
    }
    Study study = b.build();
    for (int i = 0; i < c.trials; i++) {
      Trial t = study.ask();
      double[] values = new double[c.objectives];
      for (int j = 0; j < c.objectives; j++) {
        values[j] = objective(t, j);
      }
      TrialResult result = TrialResult.of(values);
      if (c.constrained) {
        // Feasible on about half the space; infeasible trials of equal violation occur when
        // the violation saturates at 1.
        result = result.withConstraints(Math.min(1, first(t) - 0.25));
      }
      study.tell(t, result);
    }
    List<String> lines = new ArrayList<>();
    for (FrozenTrial t : study.trials()) {
      lines.add(t.number() + " " + format(new TreeMap<>(t.params())) + " " + attrs(t));
    }
    return lines;
  }

  private static double first(Trial t) {
    Object v = t.params().containsKey("x") ? t.params().get("x") : t.params().get("x0");
    return ((Number) v).doubleValue();
  }

  /** Smooth, distinct objectives of the trial's parameters (and budget, when scheduled). */
  private static double objective(Trial t, int j) {
    double s = 0;
    int k = 0;
    for (Map.Entry<String, Object> e : new TreeMap<>(t.params()).entrySet()) {
      double v =
          e.getValue() instanceof Number n
              ? (e.getKey().equals("lr") ? Math.log10(n.doubleValue()) : n.doubleValue())
              : e.getValue().toString().length();
      double target = 0.3 * (j + 1) + 0.1 * k++;
      s += (v - target) * (v - target) * (1 + j);
    }
    if (t.budget().isPresent()) {
      s += 1.0 / t.budget().getAsDouble();
    }
    return j == 1 ? -s : s;
  }

  private static String attrs(FrozenTrial t) {
    Map<String, Object> sorted = new TreeMap<>(t.systemAttrs());
    return format(sorted);
  }

  private static String format(Map<String, Object> values) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(e.getKey()).append('=').append(value(e.getValue()));
    }
    return out.append('}').toString();
  }

  private static String value(Object v) {
    if (v instanceof Double d) {
      return Double.toHexString(d);
    }
    if (v instanceof List<?> list) {
      List<String> parts = new ArrayList<>();
      for (Object o : list) {
        parts.add(value(o));
      }
      return parts.toString();
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((k, o) -> sorted.put(String.valueOf(k), o));
      return format(sorted);
    }
    return String.valueOf(v);
  }

  private static Map<String, List<String>> read() throws IOException {
    Map<String, List<String>> out = new TreeMap<>();
    try (InputStream in = GoldenProposalsTest.class.getResourceAsStream("/" + RESOURCE)) {
      if (in == null) {
        return out;
      }
      String current = null;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("# ")) {
          current = line.substring(2);
          out.put(current, new ArrayList<>());
        } else if (!line.isEmpty() && current != null) {
          out.get(current).add(line);
        }
      }
    }
    return out;
  }

  private static synchronized void write(Map<String, List<String>> golden) throws IOException {
    Path file = Path.of("src/test/resources", RESOURCE);
    Map<String, List<String>> merged = new TreeMap<>();
    if (Files.exists(file)) {
      String current = null;
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("# ")) {
          current = line.substring(2);
          merged.put(current, new ArrayList<>());
        } else if (!line.isEmpty() && current != null) {
          merged.get(current).add(line);
        }
      }
    }
    merged.putAll(golden);
    StringBuilder text = new StringBuilder();
    merged.forEach(
        (name, lines) -> {
          text.append("# ").append(name).append('\n');
          lines.forEach(l -> text.append(l).append('\n'));
        });
    Files.createDirectories(file.getParent());
    Files.writeString(file, text.toString());
  }
}
