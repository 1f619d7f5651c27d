package dev.knobflow.plugin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.samplers.AutoSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.cmaes.CmaEsSampler;
import dev.knobflow.optimizers.samplers.gp.GpSampler;
import dev.knobflow.optimizers.samplers.nsga2.NsgaIISampler;
import dev.knobflow.optimizers.samplers.tpe.TpeSampler;
import dev.knobflow.optimizers.schedulers.bohb.BohbSampler;
import dev.knobflow.optimizers.schedulers.hyperband.BracketScheduler;
import dev.knobflow.optimizers.schedulers.hyperband.RungRanking;
import dev.knobflow.optimizers.schedulers.pruners.PatientPruner;
import dev.knobflow.optimizers.schedulers.pruners.PercentilePruner;
import dev.knobflow.optimizers.schedulers.pruners.ThresholdPruner;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The {@code sampler} types beyond random/grid/sobol and the {@code scheduler} section. */
class SamplerAndSchedulerSectionsTest {
  private static final Path BASE = Path.of("/studies/demo");

  /** One objective, so that the single-value pruners apply; SAMPLER and SCHEDULER are replaced. */
  private static final String ONE =
      """
      name: s
      storage: memory
      seed: 7
      objectives: [{name: loss, direction: minimize}]
      space:
        x: {type: float, low: 0, high: 1}
        k: {type: int, low: 1, high: 5}
      SAMPLER
      SCHEDULER
      trials: 10
      objective: {command: [echo, "{x}"]}
      """;

  private static final String TWO =
      ONE.replace(
          "[{name: loss, direction: minimize}]",
          "[{name: loss, direction: minimize}, {name: cost, direction: minimize}]");

  private static StudyConfig parse(String template, String sampler, String scheduler) {
    String yaml = template.replace("SAMPLER", sampler).replace("SCHEDULER", scheduler);
    return StudyFileParser.standard().parse(yaml, BASE, "study.yaml");
  }

  private static StudyFileException problems(String template, String sampler, String scheduler) {
    return assertThrows(StudyFileException.class, () -> parse(template, sampler, scheduler));
  }

  private static void assertProblem(StudyFileException e, String path, String... fragments) {
    String all = e.problems().stream().map(Problem::toString).collect(Collectors.joining("\n"));
    Problem p =
        e.problems().stream()
            .filter(x -> x.path().equals(path))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no problem at " + path + " in:\n" + all));
    for (String f : fragments) {
      assertTrue(p.message().contains(f), () -> "'" + f + "' not in " + p);
    }
  }

  private static SchedulerSection.Pair build(StudyConfig c) {
    return SchedulerSection.build(c, SamplerFactory.standard());
  }

  @Test
  void autoIsTheDefaultSamplerAndNoSchedulerTheDefaultScheduler() {
    StudyConfig c = parse(ONE, "", "");
    assertEquals("auto", c.sampler().type());
    assertEquals("none", c.scheduler().type());
    SchedulerSection.Pair pair = build(c);
    AutoSampler auto = assertInstanceOf(AutoSampler.class, pair.sampler());
    assertTrue(auto.describe().contains("seed=7"), auto.describe());
    assertEquals("none", pair.scheduler().describe());
  }

  @Test
  void nsga2ParsesItsKeysAndTakesTheStudySeed() {
    StudyConfig c =
        parse(
            TWO,
            "sampler: {type: nsga2, population_size: 20, crossover_probability: 0.8,"
                + " mutation_probability: 0.2, crossover_eta: 15, mutation_eta: 10}",
            "");
    NsgaIISampler s = assertInstanceOf(NsgaIISampler.class, build(c).sampler());
    assertEquals(20, s.populationSize());
    assertEquals(7, s.seed());
  }

  @Test
  void nsga2BadSettingsNameTheirPaths() {
    StudyFileException e =
        problems(
            TWO,
            "sampler: {type: nsga2, population_size: 3, crossover_probability: 1.5,"
                + " mutation_probabilty: 0.1}",
            "");
    assertProblem(e, "sampler.population_size", "at least 4", "got 3");
    assertProblem(e, "sampler.crossover_probability", "[0.0, 1.0]", "1.5");
    assertProblem(e, "sampler.mutation_probabilty", "did you mean 'mutation_probability'?");
  }

  @Test
  void tpeGpAndAutoParseTheirKeys() {
    StudyConfig tpe =
        parse(
            ONE,
            "sampler: {type: tpe, n_startup_trials: 4, n_ei_candidates: 12, multivariate: true,"
                + " group: true, constant_liar: false, prior_weight: 2}",
            "");
    TpeSampler t = assertInstanceOf(TpeSampler.class, build(tpe).sampler());
    assertEquals("tpe(seed=7, multivariate, group)", t.describe());

    StudyConfig gp =
        parse(ONE, "sampler: {type: gp, acquisition: ucb, kappa: 1.5, n_startup_trials: 3}", "");
    GpSampler g = assertInstanceOf(GpSampler.class, build(gp).sampler());
    assertEquals("gp(seed=7, acquisition=ucb, kappa=1.5)", g.describe());

    StudyConfig auto =
        parse(TWO, "sampler: {type: auto, gp_trials: 50, nsga2_population_size: 8}", "");
    AutoSampler a = assertInstanceOf(AutoSampler.class, build(auto).sampler());
    assertEquals("auto(seed=7, gpTrials=50, nsga2Population=8)", a.describe());
    StudyConfig autoCma = parse(ONE, "sampler: {type: auto, cmaes_min_dimensions: 30}", "");
    assertEquals(
        "auto(seed=7, gpTrials=200, cmaesMinDimensions=30)", build(autoCma).sampler().describe());
    assertProblem(
        problems(ONE, "sampler: {type: auto, cmaes_min_dimensions: 1}", ""),
        "sampler.cmaes_min_dimensions",
        "at least 2");
  }

  @Test
  void cmaesParsesItsKeysAndRefusesSeveralObjectives() {
    StudyConfig c =
        parse(
            ONE,
            "sampler: {type: cmaes, population_size: 12, sigma0: 0.2, restart_strategy: none,"
                + " with_margin: false, sampling: gaussian}",
            "");
    CmaEsSampler s = assertInstanceOf(CmaEsSampler.class, build(c).sampler());
    assertEquals(7, s.seed());
    assertEquals(
        "cmaes(population=12, sigma0=0.2, restart=none, margin=false, sampling=gaussian, seed=7)",
        s.describe());
    assertEquals(
        "cmaes(population=4+3ln(n), sigma0=0.16666666666666666, restart=ipop, inc_popsize=2,"
            + " margin=true, sampling=mirrored_orthogonal, seed=7)",
        build(parse(ONE, "sampler: {type: cmaes}", "")).sampler().describe());

    StudyFileException e =
        problems(
            ONE,
            "sampler: {type: cmaes, population_size: 1, sigma0: 2, restart_strategy: bipop,"
                + " inc_popsize: 1, sampling: antithetic}",
            "");
    assertProblem(e, "sampler.population_size", "at least 2");
    assertProblem(e, "sampler.sigma0", "(0, 1]", "2");
    assertProblem(e, "sampler.restart_strategy", "ipop, none", "bipop");
    assertProblem(e, "sampler.inc_popsize", "at least 2");
    assertProblem(e, "sampler.sampling", "mirrored_orthogonal, mirrored", "antithetic");
    assertProblem(problems(TWO, "sampler: {type: cmaes}", ""), "sampler", "one objective", "has 2");
  }

  @Test
  void modelBasedBadSettingsNameTheirPaths() {
    assertProblem(
        problems(ONE, "sampler: {type: tpe, n_ei_candidates: 0, multivariate: yes please}", ""),
        "sampler.n_ei_candidates",
        "at least 1");
    assertProblem(
        problems(ONE, "sampler: {type: gp, acquisition: eii}", ""),
        "sampler.acquisition",
        "ei, ucb, pi",
        "did you mean 'ei'?");
    assertProblem(
        problems(ONE, "sampler: {type: gp, n_startup_trials: 1}", ""),
        "sampler.n_startup_trials",
        "at least 2");
    assertProblem(
        problems(ONE, "sampler: {type: auto, nsga2_population_size: 2}", ""),
        "sampler.nsga2_population_size",
        "0 (off) or at least 4");
  }

  @Test
  void everyPrunerTypeParsesAndBuilds() {
    assertInstanceOf(
        PercentilePruner.class,
        build(parse(ONE, "", "scheduler: {type: median, warmup_steps: 2, startup_trials: 1}"))
            .scheduler());
    assertInstanceOf(
        PercentilePruner.class,
        build(parse(ONE, "", "scheduler: {type: percentile, percentile: 25}")).scheduler());
    assertInstanceOf(
        ThresholdPruner.class,
        build(parse(TWO, "", "scheduler: {type: threshold, upper: 10, interval_steps: 2}"))
            .scheduler());
    assertInstanceOf(
        PatientPruner.class,
        build(parse(ONE, "", "scheduler: {type: patient, patience: 2, min_delta: 0.1}"))
            .scheduler());
    StudyConfig wrapped =
        parse(
            ONE,
            "",
            "scheduler: {type: patient, patience: 2, wrapped: {type: percentile, percentile: 40}}");
    assertTrue(
        build(wrapped).scheduler().describe().contains("percentile"),
        build(wrapped).scheduler().describe());
    assertEquals("none", build(parse(ONE, "", "scheduler: none")).scheduler().describe());
  }

  @Test
  void everyBracketTypeParsesWithEtaThreeByDefault() {
    for (String type : new String[] {"successive_halving", "hyperband", "asha"}) {
      StudyConfig c =
          parse(TWO, "", "scheduler: {type: " + type + ", min_budget: 10, max_budget: 270}");
      BracketScheduler s = assertInstanceOf(BracketScheduler.class, build(c).scheduler());
      assertEquals(3.0, s.settings().eta());
      assertEquals(270.0, s.settings().maxBudget());
    }
    BracketScheduler hb =
        assertInstanceOf(
            BracketScheduler.class,
            build(parse(ONE, "", "scheduler: {type: hyperband, min_budget: 1, max_budget: 81}"))
                .scheduler());
    assertEquals(5, hb.cycle().size(), "s_max = 4 for 1..81 with eta 3");
    assertEquals(81, hb.cycle().get(0).configs());
  }

  @Test
  void badBudgetsAndEtaNameTheirPaths() {
    StudyFileException e =
        problems(ONE, "", "scheduler: {type: hyperband, min_budget: 81, max_budget: 81, eta: 1.5}");
    assertProblem(e, "scheduler.min_budget", "below scheduler.max_budget (81.0)", "got 81.0");
    assertProblem(e, "scheduler.eta", "at least 2", "1.5");
    assertProblem(
        problems(ONE, "", "scheduler: {type: asha, max_budget: 81}"),
        "scheduler.min_budget",
        "missing");
    assertProblem(
        problems(ONE, "", "scheduler: {type: hyperbnd, min_budget: 1, max_budget: 9}"),
        "scheduler.type",
        "did you mean 'hyperband'?");
    assertProblem(
        problems(ONE, "", "scheduler: {type: median, warmup_step: 3}"),
        "scheduler.warmup_step",
        "did you mean 'warmup_steps'?");
    assertProblem(
        problems(ONE, "", "scheduler: {type: percentile, percentile: 150}"),
        "scheduler.percentile",
        "[0.0, 100.0]");
    assertProblem(
        problems(ONE, "", "scheduler: {type: threshold, lower: 5, upper: 1}"),
        "scheduler.lower",
        "scheduler.upper (1.0)");
    assertProblem(
        problems(ONE, "", "scheduler: {type: patient, wrapped: {type: hyperband}}"),
        "scheduler.patience",
        "missing");
    assertProblem(
        problems(ONE, "", "scheduler: {type: patient, patience: 1, wrapped: {type: asha}}"),
        "scheduler.wrapped.type",
        "median, percentile, threshold");
  }

  @Test
  void rankByRanksBracketRungsByTheNamedObjectiveAndDefaultsToAllObjectives() {
    for (String type : new String[] {"successive_halving", "hyperband", "asha"}) {
      StudyConfig c =
          parse(
              TWO,
              "",
              "scheduler: {type: " + type + ", min_budget: 10, max_budget: 270, rank_by: cost}");
      BracketScheduler s = assertInstanceOf(BracketScheduler.class, build(c).scheduler());
      assertEquals(RungRanking.byObjective("cost"), s.ranking(), type);
    }
    BracketScheduler byDefault =
        assertInstanceOf(
            BracketScheduler.class,
            build(parse(TWO, "", "scheduler: {type: hyperband, min_budget: 10, max_budget: 270}"))
                .scheduler());
    assertTrue(byDefault.ranking().isAllObjectives());

    SchedulerSection.Pair bohb =
        build(
            parse(
                TWO, "", "scheduler: {type: bohb, min_budget: 9, max_budget: 243, rank_by: loss}"));
    assertEquals(
        RungRanking.byObjective("loss"),
        assertInstanceOf(BracketScheduler.class, bohb.scheduler()).ranking());
    assertEquals(
        RungRanking.byObjective("loss"),
        assertInstanceOf(BohbSampler.class, bohb.sampler()).ranking());
  }

  @Test
  void rankByAnUnknownObjectiveNamesThePathAndListsTheStudysObjectives() {
    assertProblem(
        problems(
            TWO, "", "scheduler: {type: hyperband, min_budget: 1, max_budget: 9, rank_by: cots}"),
        "scheduler.rank_by",
        "'cots' is not an objective",
        "loss, cost",
        "did you mean 'cost'?");
    assertProblem(
        problems(TWO, "", "scheduler: {type: asha, min_budget: 1, max_budget: 9, rank_by: [loss]}"),
        "scheduler.rank_by",
        "loss, cost",
        "a list");
    assertProblem(
        problems(ONE, "", "scheduler: {type: median, rank_by: loss}"),
        "scheduler.rank_by",
        "unknown key");
  }

  @Test
  void singleValuePrunersRefuseSeveralObjectives() {
    assertProblem(
        problems(TWO, "", "scheduler: {type: median}"),
        "scheduler.type",
        "2 objectives",
        "hyperband");
  }

  @Test
  void bohbSchedulerImpliesTheBohbSamplerWithItsKdeSettings() {
    StudyConfig c = parse(TWO, "", "scheduler: {type: bohb, min_budget: 9, max_budget: 243}");
    assertEquals("bohb", c.sampler().type());
    SchedulerSection.Pair pair = build(c);
    assertInstanceOf(BohbSampler.class, pair.sampler());
    assertEquals(
        243.0, assertInstanceOf(BracketScheduler.class, pair.scheduler()).settings().maxBudget());

    StudyConfig explicit =
        parse(
            TWO,
            "sampler: {type: bohb, random_fraction: 0.5, min_points_in_model: 4}",
            "scheduler: {type: bohb, min_budget: 9, max_budget: 243}");
    assertInstanceOf(BohbSampler.class, build(explicit).sampler());
  }

  @Test
  void bohbModelIsFactorizedByDefaultAndHpBandSterOnRequest() {
    String scheduler = "scheduler: {type: bohb, min_budget: 9, max_budget: 243}";
    Sampler byDefault = build(parse(TWO, "", scheduler)).sampler();
    assertFalse(byDefault.describe().contains("hpbandster"), byDefault.describe());
    Sampler faithful =
        build(parse(TWO, "sampler: {type: bohb, model: hpbandster}", scheduler)).sampler();
    assertTrue(faithful.describe().contains("hpbandster"), faithful.describe());
    assertProblem(
        problems(TWO, "sampler: {type: bohb, model: joint}", scheduler),
        "sampler.model",
        "factorized, hpbandster",
        "got 'joint'");
  }

  @Test
  void bohbHalvesMustComeTogether() {
    assertProblem(
        problems(TWO, "sampler: {type: bohb}", ""),
        "scheduler",
        "scheduler: {type: bohb, min_budget");
    assertProblem(
        problems(
            TWO,
            "sampler: {type: bohb}",
            "scheduler: {type: hyperband, min_budget: 1, max_budget: 9}"),
        "scheduler.type",
        "got 'hyperband'");
    assertProblem(
        problems(
            TWO, "sampler: {type: tpe}", "scheduler: {type: bohb, min_budget: 1, max_budget: 9}"),
        "sampler.type",
        "brings its own sampler",
        "got 'tpe'");
    assertProblem(
        problems(
            TWO,
            "sampler: {type: bohb, top_fraction: 1.5}",
            "scheduler: {type: bohb, min_budget: 1, max_budget: 9}"),
        "sampler.top_fraction",
        "(0, 1)");
  }

  @Test
  void pbtRankAtEqualBudgetTurnsOnLineageRankingAndLatestIsTheDefault() {
    String pbt = "scheduler: {type: pbt, population: 4, interval: 2";
    String equal = build(parse(ONE, "", pbt + ", rank_at: equal_budget}")).scheduler().describe();
    assertTrue(equal.contains("rank_at=equal_budget"), equal);
    for (String latest : List.of(pbt + "}", pbt + ", rank_at: latest}")) {
      String d = build(parse(ONE, "", latest)).scheduler().describe();
      assertTrue(d.startsWith("pbt(") && !d.contains("rank_at"), d);
    }
  }

  @Test
  void pbtRankAtNamesItsValuesAndRefusesSyncMode() {
    assertProblem(
        problems(
            ONE, "", "scheduler: {type: pbt, population: 4, interval: 2, rank_at: equal_budgt}"),
        "scheduler.rank_at",
        "must be latest",
        "or equal_budget",
        "got 'equal_budgt'",
        "did you mean 'equal_budget'");
    assertProblem(
        problems(
            ONE,
            "",
            "scheduler: {type: pbt, population: 4, interval: 2, mode: sync, rank_at: equal_budget}"),
        "scheduler.rank_at",
        "mode: async only",
        "remove rank_at or use mode: async");
    assertProblem(
        problems(ONE, "", "scheduler: {type: asha, min_budget: 1, max_budget: 9, rank_at: latest}"),
        "scheduler.rank_at",
        "unknown key");
    // latest is fine in sync mode.
    assertTrue(
        build(
                parse(
                    ONE,
                    "",
                    "scheduler: {type: pbt, population: 4, interval: 2, mode: sync, rank_at: latest}"))
            .scheduler()
            .describe()
            .contains("mode=sync"));
  }
}
