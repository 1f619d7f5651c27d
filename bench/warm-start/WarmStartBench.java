import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.AutoSampler;
import dev.knobflow.optimizers.samplers.PriorObservation;
import dev.knobflow.plugin.warmstart.CsvTable;
import dev.knobflow.plugin.warmstart.MetaFeatures;
import dev.knobflow.plugin.warmstart.PastStudy;
import dev.knobflow.plugin.warmstart.PastTrial;
import dev.knobflow.plugin.warmstart.Table;
import dev.knobflow.plugin.warmstart.WarmStart;
import dev.knobflow.plugin.warmstart.WarmStartPlan;
import dev.knobflow.plugin.warmstart.WarmStartPriors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Warm start, leave one dataset out: for each dataset D and seed s, the other datasets are tuned
 * cold (SOURCE_TRIALS trials, seed s) and become D's past studies; D is then tuned cold, with the
 * warm-start plan enqueued, and with the plan as prior observations (use: prior), TRIALS trials
 * each, all with the default sampler (auto) seeded s. Prints one CSV line per (dataset, seed, mode,
 * trial): the best validation log loss so far. The objective is XGBoost (softmax, 30 rounds) on a
 * fixed stratified 70/30 split of each dataset.
 *
 * <p>Usage: java -cp CP WarmStartBench.java DATA_DIR SEEDS TRIALS SOURCE_TRIALS DATASET...
 */
public final class WarmStartBench {

  static final SearchSpace SPACE =
      SearchSpace.builder()
          .logFloatParam("eta", 0.005, 0.5)
          .intParam("max_depth", 1, 10)
          .floatParam("subsample", 0.5, 1.0)
          .floatParam("colsample_bytree", 0.3, 1.0)
          .logFloatParam("min_child_weight", 0.1, 20)
          .logFloatParam("lambda", 1e-3, 10)
          .build();

  static final int ROUNDS = 30;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int seeds = Integer.parseInt(args[1]);
    int trials = Integer.parseInt(args[2]);
    int sourceTrials = Integer.parseInt(args[3]);
    List<String> names = List.of(args).subList(4, args.length);
    Map<String, Dataset> data = new LinkedHashMap<>();
    Map<String, Map<String, Double>> meta = new LinkedHashMap<>();
    for (String name : names) {
      Table table = CsvTable.read(dir.resolve(name + ".csv"));
      data.put(name, Dataset.of(table));
      meta.put(name, MetaFeatures.defaults().compute(table, "target").asMap());
    }
    List<Objective> objectives = List.of(Objective.minimize("logloss"));
    System.out.println("dataset,seed,mode,trial,best");
    for (int seed = 0; seed < seeds; seed++) {
      // The sources depend on the seed: each seed tunes every dataset cold again.
      Map<String, PastStudy> sources = new LinkedHashMap<>();
      Map<String, List<Double>> coldCurves = new HashMap<>();
      for (String name : names) {
        int sourceSeed = 1000 + seed;
        Study study = study(name + "-source-" + seed, sourceSeed, List.of());
        study.optimize(data.get(name), OptimizeOptions.trials(sourceTrials));
        List<PastTrial> past = new ArrayList<>();
        for (FrozenTrial t : study.trials()) {
          if (t.state() == TrialState.COMPLETE) {
            past.add(new PastTrial(t.params(), t.values(), t.number()));
          }
        }
        sources.put(name, new PastStudy(name + "-source-" + seed, meta.get(name), objectives, past));
      }
      for (String held : names) {
        List<PastStudy> past = new ArrayList<>();
        sources.forEach((name, s) -> {
          if (!name.equals(held)) {
            past.add(s);
          }
        });
        WarmStartPlan plan = WarmStart.defaults().plan(meta.get(held), past, SPACE);
        List<PriorObservation> priors = WarmStartPriors.of(plan, SPACE, objectives).priors();

        Study cold = study(held + "-cold-" + seed, seed, List.of());
        cold.optimize(data.get(held), OptimizeOptions.trials(trials));
        print(held, seed, "cold", cold);

        Study enqueued = study(held + "-enqueue-" + seed, seed, List.of());
        WarmStart.apply(enqueued, plan);
        enqueued.optimize(data.get(held), OptimizeOptions.trials(trials));
        print(held, seed, "enqueue", enqueued);

        Study prior = study(held + "-prior-" + seed, seed, priors);
        prior.optimize(data.get(held), OptimizeOptions.trials(trials));
        print(held, seed, "prior", prior);
        System.err.printf(
            "seed %d %s: plan of %d from %s; %d priors%n",
            seed, held, plan.configurations().size(), past.size() + " studies", priors.size());
      }
    }
  }

  static Study study(String name, long seed, List<PriorObservation> priors) {
    return Study.builder(name)
        .objectives(Objective.minimize("logloss"))
        .space(SPACE)
        .sampler(AutoSampler.builder().seed(seed).priorObservations(priors).build())
        .build();
  }

  static void print(String dataset, int seed, String mode, Study study) {
    double best = Double.POSITIVE_INFINITY;
    for (FrozenTrial t : study.trials()) {
      if (t.state() == TrialState.COMPLETE) {
        best = Math.min(best, t.value());
      }
      System.out.printf(
          java.util.Locale.ROOT, "%s,%d,%s,%d,%.6f%n", dataset, seed, mode, t.number() + 1, best);
    }
  }

  /** A dataset split once (stratified, 70/30, fixed seed) and XGBoost's softmax on it. */
  record Dataset(DMatrix train, DMatrix test, float[] testLabels, int classes)
      implements ObjectiveFunction {

    static Dataset of(Table table) throws Exception {
      int target = table.columnIndex("target");
      int rows = table.rowCount();
      int features = table.columnNames().size() - 1;
      Map<Integer, List<Integer>> byClass = new LinkedHashMap<>();
      for (int r = 0; r < rows; r++) {
        int label = (int) Math.round(number(table.cell(r, target)));
        byClass.computeIfAbsent(label, k -> new ArrayList<>()).add(r);
      }
      List<Integer> trainRows = new ArrayList<>();
      List<Integer> testRows = new ArrayList<>();
      Random random = new Random(42);
      for (List<Integer> members : byClass.values()) {
        Collections.shuffle(members, random);
        int test = (int) Math.round(members.size() * 0.3);
        testRows.addAll(members.subList(0, test));
        trainRows.addAll(members.subList(test, members.size()));
      }
      int classes = byClass.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
      return new Dataset(
          matrix(table, trainRows, target, features),
          matrix(table, testRows, target, features),
          labels(table, testRows, target),
          classes);
    }

    private static double number(Object cell) {
      return cell instanceof Number n ? n.doubleValue() : Double.parseDouble(cell.toString());
    }

    private static float[] labels(Table table, List<Integer> rows, int target) {
      float[] labels = new float[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        labels[i] = (float) number(table.cell(rows.get(i), target));
      }
      return labels;
    }

    private static DMatrix matrix(Table table, List<Integer> rows, int target, int features)
        throws Exception {
      float[] values = new float[rows.size() * features];
      for (int i = 0; i < rows.size(); i++) {
        int c = 0;
        for (int column = 0; column < features + 1; column++) {
          if (column != target) {
            Object cell = table.cell(rows.get(i), column);
            values[i * features + c++] = cell == null ? Float.NaN : (float) number(cell);
          }
        }
      }
      DMatrix m = new DMatrix(values, rows.size(), features, Float.NaN);
      m.setLabel(labels(table, rows, target));
      return m;
    }

    @Override
    public TrialResult evaluate(Trial trial) throws Exception {
      Map<String, Object> params = new HashMap<>();
      params.put("objective", "multi:softprob");
      params.put("num_class", classes);
      params.put("nthread", 1);
      params.put("seed", 0);
      params.put("eta", trial.suggestFloat("eta", 0.005, 0.5, true));
      params.put("max_depth", (int) trial.suggestInt("max_depth", 1, 10));
      params.put("subsample", trial.suggestFloat("subsample", 0.5, 1.0));
      params.put("colsample_bytree", trial.suggestFloat("colsample_bytree", 0.3, 1.0));
      params.put("min_child_weight", trial.suggestFloat("min_child_weight", 0.1, 20, true));
      params.put("lambda", trial.suggestFloat("lambda", 1e-3, 10, true));
      Booster booster = XGBoost.train(train, params, ROUNDS, Map.of(), null, null);
      float[][] p = booster.predict(test);
      booster.dispose();
      double loss = 0;
      for (int i = 0; i < p.length; i++) {
        loss -= Math.log(Math.max(1e-15, p[i][(int) testLabels[i]]));
      }
      return TrialResult.of(loss / p.length);
    }
  }
}
