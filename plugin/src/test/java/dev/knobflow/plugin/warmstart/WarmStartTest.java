package dev.knobflow.plugin.warmstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WarmStartTest {

  private static final List<Objective> MAX_ACCURACY = List.of(Objective.maximize("accuracy"));

  private static final SearchSpace SPACE =
      SearchSpace.builder()
          .logFloatParam("learning_rate", 1e-4, 0.3)
          .intParam("max_depth", 2, 10)
          .categorical("booster", "gbtree", "dart")
          .add("subsample", FloatDistribution.stepped(0.5, 1.0, 0.1))
          .build();

  private static PastStudy study(String name, Map<String, Double> meta, PastTrial... trials) {
    return new PastStudy(name, meta, MAX_ACCURACY, List.of(trials));
  }

  private static Map<String, Object> params(Object... kv) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put((String) kv[i], kv[i + 1]);
    }
    return out;
  }

  /** A random 100-row subsample of iris with 5% multiplicative noise on every feature. */
  private static Table perturbedIrisSubsample() {
    CsvTable iris = CsvTable.read(MetaFeaturesTest.dataset("iris.csv"));
    SplittableRandom rng = new SplittableRandom(5);
    List<Integer> rows = new ArrayList<>();
    for (int r = 0; r < iris.rowCount(); r++) {
      rows.add(r);
    }
    java.util.Collections.shuffle(rows, new java.util.Random(5));
    List<List<?>> columns = new ArrayList<>();
    for (int c = 0; c < iris.columnNames().size(); c++) {
      List<Object> column = new ArrayList<>();
      for (int r : rows.subList(0, 100)) {
        double v = Double.parseDouble((String) iris.cell(r, c));
        boolean target = iris.columnNames().get(c).equals("target");
        column.add(target ? (Object) (long) v : v * (1 + 0.05 * rng.nextGaussian()));
      }
      columns.add(column);
    }
    return Table.of(iris.columnNames(), columns);
  }

  @Test
  void perturbedIrisSubsampleRanksTheIrisStudyFirst() {
    MetaFeatures mf = MetaFeatures.defaults();
    Map<String, Double> iris = mf.fromCsv(MetaFeaturesTest.dataset("iris.csv"), "target").asMap();
    Map<String, Double> cancer =
        mf.fromCsv(MetaFeaturesTest.dataset("breast_cancer.csv"), "target").asMap();
    Map<String, Double> current = mf.compute(perturbedIrisSubsample(), "target").asMap();
    List<PastStudy> past =
        List.of(
            study("breast-cancer-xgb", cancer, PastTrial.of(params("max_depth", 6), 0.97)),
            study("iris-xgb", iris, PastTrial.of(params("max_depth", 3), 0.96)));

    WarmStartPlan plan = WarmStart.builder().neighbours(1).build().plan(current, past, SPACE);

    assertEquals("iris-xgb", plan.ranking().get(0).study().name());
    assertTrue(plan.ranking().get(0).distance() < plan.ranking().get(1).distance() / 2);
    assertEquals(List.of(Map.of("max_depth", 3L)), plan.parameterMaps());
    assertTrue(
        plan.log().stream()
            .anyMatch(l -> l.contains("'breast-cancer-xgb'") && l.contains("not among")),
        plan.logText());
  }

  @Test
  void identicalMetaFeaturesHaveDistanceZeroAndMissingFeaturesArePenalised() {
    Map<String, Double> current = Map.of("rows", 1000.0, "features", 10.0, "class_entropy", 1.0);
    Map<String, Double> withoutEntropy = Map.of("rows", 1000.0, "features", 10.0);
    Map<String, Double> far = Map.of("rows", 100000.0, "features", 300.0, "class_entropy", 0.2);
    Map<String, Double> unrelated = Map.of("something_else", 1.0);
    List<RankedStudy> ranked =
        WarmStart.defaults()
            .rank(
                current,
                List.of(
                    study("far", far),
                    study("partial", withoutEntropy),
                    study("same", current),
                    study("unrelated", unrelated)));
    assertEquals(
        List.of("same", "partial", "far"), ranked.stream().map(r -> r.study().name()).toList());
    assertEquals(0.0, ranked.get(0).distance(), 0.0);
    // One of three features unmatched with penalty 0.5: sqrt(0.25 / 3).
    assertEquals(Math.sqrt(0.25 / 3), ranked.get(1).distance(), 1e-12);
    assertEquals(List.of("class_entropy"), ranked.get(1).unmatchedFeatures());
  }

  @Test
  void rowCountsAreComparedOnALogScale() {
    // 1k -> 10k is as far as 10k -> 100k on a log scale; linearly it would be ten times closer.
    Map<String, Double> current = Map.of("rows", 10000.0);
    List<RankedStudy> ranked =
        WarmStart.defaults()
            .rank(
                current,
                List.of(
                    study("small", Map.of("rows", 1000.0)),
                    study("big", Map.of("rows", 100000.0))));
    assertEquals(ranked.get(0).distance(), ranked.get(1).distance(), 0.01);
  }

  @Test
  void outOfRangeNumbersAreClampedAndReported() {
    Map<String, Double> meta = Map.of("rows", 100.0);
    PastStudy past =
        study(
            "old",
            meta,
            PastTrial.of(
                params(
                    "learning_rate", 0.9, "max_depth", 14.6, "booster", "dart", "subsample", 0.42),
                0.9));
    WarmStartPlan plan = WarmStart.defaults().plan(meta, List.of(past), SPACE);
    assertEquals(
        List.of(
            params("learning_rate", 0.3, "max_depth", 10L, "booster", "dart", "subsample", 0.5)),
        plan.parameterMaps());
    String log = plan.logText();
    assertTrue(log.contains("clamped learning_rate 0.9 -> 0.3"), log);
    assertTrue(log.contains("clamped max_depth 14.6 -> 10"), log);
    assertTrue(log.contains("clamped subsample 0.42 -> 0.5"), log);
  }

  @Test
  void offGridValuesSnapToTheStepAndInRangeValuesAreKeptExactly() {
    Map<String, Double> meta = Map.of("rows", 100.0);
    SearchSpace space =
        SearchSpace.builder()
            .add("n", IntDistribution.stepped(0, 100, 10))
            .add("frac", FloatDistribution.stepped(0.0, 1.0, 0.1))
            .build();
    PastStudy past = study("old", meta, PastTrial.of(params("n", 37, "frac", 0.3), 1.0));
    WarmStartPlan plan = WarmStart.defaults().plan(meta, List.of(past), space);
    assertEquals(List.of(params("n", 40L, "frac", 0.3)), plan.parameterMaps());
    assertFalse(plan.logText().contains("clamped frac"), plan.logText());
  }

  @Test
  void unknownParamsAndForeignChoicesAreSkippedAndMissingOnesLeftForTheSampler() {
    Map<String, Double> meta = Map.of("rows", 100.0);
    PastStudy past =
        study(
            "old",
            meta,
            PastTrial.of(
                params("learning_rate", 0.05, "booster", "gblinear", "n_estimators", 500), 0.9));
    WarmStartPlan plan = WarmStart.defaults().plan(meta, List.of(past), SPACE);
    assertEquals(List.of(params("learning_rate", 0.05)), plan.parameterMaps());
    String log = plan.logText();
    assertTrue(log.contains("skipped n_estimators=500 (not in the search space)"), log);
    assertTrue(
        log.contains("skipped booster=gblinear (not one of the choices [gbtree, dart])"), log);
    assertTrue(log.contains("left for the sampler [max_depth, booster, subsample]"), log);
  }

  @Test
  void parameterStringsAsMlflowStoresThemAreParsed() {
    Map<String, Double> meta = Map.of("rows", 100.0);
    SearchSpace space =
        SearchSpace.builder()
            .floatParam("lr", 0.0, 1.0)
            .intParam("depth", 1, 8)
            .categorical("shuffle", true, false)
            .categorical("layers", 1, 2, 3)
            .build();
    PastStudy past =
        study(
            "old",
            meta,
            PastTrial.of(
                params("lr", "0.25", "depth", "4", "shuffle", "true", "layers", "2"), 0.9));
    WarmStartPlan plan = WarmStart.defaults().plan(meta, List.of(past), space);
    assertEquals(
        List.of(params("lr", 0.25, "depth", 4L, "shuffle", true, "layers", 2L)),
        plan.parameterMaps());
  }

  @Test
  void singleObjectiveTakesTheBestTrialsByDirection() {
    Map<String, Double> meta = Map.of("rows", 100.0);
    PastStudy maximise =
        study(
            "max",
            meta,
            PastTrial.of(params("max_depth", 2), 0.70),
            PastTrial.of(params("max_depth", 3), 0.95),
            PastTrial.of(params("max_depth", 4), 0.80));
    WarmStartPlan plan =
        WarmStart.builder().configurationsPerStudy(2).build().plan(meta, List.of(maximise), SPACE);
    assertEquals(List.of(Map.of("max_depth", 3L), Map.of("max_depth", 4L)), plan.parameterMaps());

    PastStudy minimise =
        new PastStudy(
            "min", meta, List.of(Objective.minimize("loss")), maximise.bestOrParetoTrials());
    plan =
        WarmStart.builder().configurationsPerStudy(1).build().plan(meta, List.of(minimise), SPACE);
    assertEquals(List.of(Map.of("max_depth", 2L)), plan.parameterMaps());
  }

  @Test
  void multiObjectiveTakesOnlyParetoOptimalTrials() {
    Map<String, Double> meta = Map.of("rows", 100.0);
    PastStudy past =
        new PastStudy(
            "mo",
            meta,
            List.of(Objective.maximize("accuracy"), Objective.minimize("latency_ms")),
            List.of(
                PastTrial.of(params("max_depth", 2), 0.80, 5.0),
                PastTrial.of(params("max_depth", 5), 0.85, 20.0), // dominated by depth 6
                PastTrial.of(params("max_depth", 6), 0.90, 12.0),
                PastTrial.of(params("max_depth", 9), 0.95, 40.0),
                PastTrial.of(params("max_depth", 7), Double.NaN, 1.0)));
    WarmStartPlan plan = WarmStart.defaults().plan(meta, List.of(past), SPACE);
    assertEquals(
        List.of(Map.of("max_depth", 9L), Map.of("max_depth", 6L), Map.of("max_depth", 2L)),
        plan.parameterMaps());
    assertTrue(plan.logText().contains("ignored 1 dominated trial"), plan.logText());
    assertTrue(plan.logText().contains("skipped a trial with values [NaN, 1.0]"), plan.logText());
  }

  @Test
  void identicalConfigurationsAreEnqueuedOnce() {
    Map<String, Double> meta = Map.of("rows", 100.0);
    PastStudy a = study("a", meta, PastTrial.of(params("max_depth", 12), 0.9));
    PastStudy b = study("b", Map.of("rows", 120.0), PastTrial.of(params("max_depth", 10.0), 0.8));
    WarmStartPlan plan = WarmStart.defaults().plan(meta, List.of(a, b), SPACE);
    assertEquals(List.of(Map.of("max_depth", 10L)), plan.parameterMaps());
    assertEquals("a", plan.configurations().get(0).sourceStudy());
    assertTrue(plan.logText().contains("same as an earlier configuration"), plan.logText());
  }

  @Test
  void onlyTheNearestKStudiesContribute() {
    Map<String, Double> meta = Map.of("rows", 100.0);
    List<PastStudy> past = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      past.add(
          study(
              "s" + i,
              Map.of("rows", 100.0 * (i + 1)),
              PastTrial.of(params("max_depth", 2 + i), 1.0)));
    }
    WarmStartPlan plan = WarmStart.builder().neighbours(2).build().plan(meta, past, SPACE);
    assertEquals(List.of(Map.of("max_depth", 2L), Map.of("max_depth", 3L)), plan.parameterMaps());
    assertEquals(5, plan.ranking().size());
  }

  @Test
  void applyEnqueuesThePlanOnTheStudy() {
    Map<String, Double> meta = Map.of("rows", 100.0);
    PastStudy past =
        study(
            "old",
            meta,
            PastTrial.of(
                params("learning_rate", 0.01, "max_depth", 4, "booster", "dart", "subsample", 0.8),
                0.9));
    WarmStartPlan plan = WarmStart.defaults().plan(meta, List.of(past), SPACE);
    Study study = Study.builder("new").objectives(MAX_ACCURACY).space(SPACE).seed(1).build();
    assertEquals(1, WarmStart.apply(study, plan));
    Trial trial = study.ask();
    assertEquals(new HashMap<>(plan.parameterMaps().get(0)), new HashMap<>(trial.params()));
  }

  @Test
  void eachEnqueuedTrialNamesThePastTrialItCameFromByItsNumber() {
    Map<String, Double> meta = Map.of("rows", 100.0);
    PastStudy past =
        study(
            "old",
            meta,
            PastTrial.of(params("max_depth", 2), 0.70).withNumber(0),
            PastTrial.of(params("max_depth", 3), 0.95).withNumber(17),
            PastTrial.of(params("max_depth", 4), 0.80).withNumber(5));
    WarmStartPlan plan =
        WarmStart.builder().configurationsPerStudy(2).build().plan(meta, List.of(past), SPACE);
    assertEquals(
        List.of("old/17", "old/5"),
        plan.configurations().stream().map(PlannedConfiguration::source).toList());
    assertTrue(plan.log().contains("study 'old' trial 17: taken {max_depth=3}"), plan.logText());
    Study study = Study.builder("new").objectives(MAX_ACCURACY).space(SPACE).seed(1).build();
    WarmStart.apply(study, plan);
    Trial first = study.ask();
    assertEquals(3L, first.params().get("max_depth"));
    assertEquals("old/17", attrOf(study, first.number()));
    Trial second = study.ask();
    assertEquals("old/5", attrOf(study, second.number()));
  }

  private static Object attrOf(Study study, int number) {
    return study.trials().get(number).systemAttrs().get(WarmStart.SOURCE_ATTR);
  }

  @Test
  void aTrialWithoutANumberIsLabelledByItsRankNotAsATrialNumber() {
    Map<String, Double> meta = Map.of("rows", 100.0);
    PastStudy past = study("old", meta, PastTrial.of(params("max_depth", 3), 0.95));
    WarmStartPlan plan = WarmStart.defaults().plan(meta, List.of(past), SPACE);
    assertEquals("old", plan.configurations().get(0).source());
    assertTrue(plan.log().contains("study 'old' best #1: taken {max_depth=3}"), plan.logText());
  }
}
