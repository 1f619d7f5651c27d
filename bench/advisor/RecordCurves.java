import dev.knobflow.examples.data.Split;
import dev.knobflow.examples.data.Splits;
import dev.knobflow.examples.data.Table;
import dev.knobflow.examples.djl.MlpConfig;
import dev.knobflow.examples.djl.MlpObjective;
import dev.knobflow.examples.xgboost.XgbConfig;
import dev.knobflow.examples.xgboost.XgbParams;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileParser;
import dev.knobflow.plugin.objective.CommandObjective;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Records the learning curves the advisor sees, from the shipped examples' own objectives, with
 * random sampling and no pruning (so every curve runs to its end and its final value is known).
 *
 * <ul>
 *   <li>command: examples/command/train.py over study-advisor.yaml's space; curve = training loss
 *       per epoch (minimize), the objective of that study.
 *   <li>djl: MlpObjective (examples/djl) with a fixed number of epochs, objective held-out
 *       accuracy (maximize); curve = accuracy per epoch, as the DJL study reports it.
 *   <li>xgboost: XgbParams (examples/xgboost) on the bundled data and hold-out split of the
 *       example; curve = validation log loss per boosting round (minimize). The shipped
 *       XgbObjective reports no per-round values, so this is the curve it would report.
 * </ul>
 *
 * <p>Usage: java -cp CP RecordCurves.java EXAMPLE SEEDS TRIALS STEPS OUT.csv (STEPS: DJL epochs or
 * XGBoost rounds; ignored for command). Output: one line per trial,
 * example,seed,trial,state,direction,final,params,values (params k=v separated by '|', values
 * separated by ';', NaN for a broken epoch).
 */
public class RecordCurves {

  public static void main(String[] args) throws Exception {
    String example = args[0];
    int seeds = Integer.parseInt(args[1]);
    int trials = Integer.parseInt(args[2]);
    int steps = Integer.parseInt(args[3]);
    Path out = Path.of(args[4]);
    Path root = Path.of(System.getProperty("knobflow.root", ".")).toAbsolutePath();
    List<String> lines = new ArrayList<>();
    lines.add("example,seed,trial,state,direction,final,params,values");
    for (int seed = 1; seed <= seeds; seed++) {
      Study.Builder b =
          Study.builder(example + "-" + seed).sampler(RandomSampler.seeded(seed));
      ObjectiveFunction objective;
      AutoCloseable closer = () -> {};
      switch (example) {
        case "command" -> {
          Path dir = root.resolve("examples/command");
          StudyConfig config = StudyFileParser.standard().parse(dir.resolve("study-advisor.yaml"));
          CommandObjective command =
              CommandObjective.builder(List.of("python3", "train.py"), List.of("loss"))
                  .workingDirectory(dir)
                  .build();
          closer = command;
          objective = command;
          b.objectives(Objective.minimize("loss")).space(config.space());
        }
        case "djl" -> {
          MlpObjective mlp = new MlpObjective(MlpConfig.fromEnvironment().withEpochs(steps));
          objective = mlp;
          b.objectives(Objective.maximize("accuracy"));
        }
        case "xgboost" -> {
          objective = xgboost(steps);
          b.objectives(Objective.minimize("logloss"));
        }
        default -> throw new IllegalArgumentException("unknown example " + example);
      }
      Study study = b.build();
      long begin = System.nanoTime();
      study.optimize(objective, OptimizeOptions.trials(trials));
      closer.close();
      System.err.printf(
          Locale.ROOT,
          "%s seed %d: %d trials in %.1f s%n",
          example,
          seed,
          trials,
          (System.nanoTime() - begin) / 1e9);
      Direction direction = study.objectives().get(0).direction();
      for (FrozenTrial t : study.trials()) {
        StringJoiner params = new StringJoiner("|");
        t.params().forEach((k, v) -> params.add(k + "=" + v));
        StringJoiner values = new StringJoiner(";");
        t.intermediateValues().values().forEach(v -> values.add(fmt(v.get(0))));
        String fin = t.state() == TrialState.COMPLETE ? fmt(t.values().get(0)) : "";
        lines.add(
            String.join(
                ",",
                example,
                Integer.toString(seed),
                Integer.toString(t.number()),
                t.state().name(),
                direction.name().toLowerCase(Locale.ROOT),
                fin,
                params.toString(),
                values.toString()));
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, lines);
  }

  private static String fmt(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "NaN";
  }

  /** XGBoost's validation log loss per round, reported as the trial's curve. */
  private static ObjectiveFunction xgboost(int rounds) throws Exception {
    XgbConfig config = XgbConfig.fromEnvironment().withRounds(rounds);
    Table table = config.data().load(XgbConfig.BUNDLED_DATASET);
    Split split =
        Splits.stratifiedHoldout(
            table.classLabels(), config.data().testFraction(), config.data().splitSeed());
    Table train = split.train(table);
    Table valid = split.test(table);
    return trial -> {
      XgbParams p = XgbParams.suggest(trial);
      Map<String, Object> params = new HashMap<>(p.boosterParams(config.data().modelSeed()));
      params.put("eval_metric", "logloss");
      DMatrix dtrain = matrix(train);
      DMatrix dvalid = matrix(valid);
      float[][] metrics = new float[1][rounds];
      Map<String, DMatrix> watches = new java.util.LinkedHashMap<>();
      watches.put("valid", dvalid);
      Booster booster = XGBoost.train(dtrain, params, rounds, watches, metrics, null, null, 0);
      booster.dispose();
      dtrain.dispose();
      dvalid.dispose();
      for (int r = 0; r < rounds; r++) {
        trial.report(r + 1, metrics[0][r]);
      }
      return TrialResult.of(metrics[0][rounds - 1]);
    };
  }

  private static DMatrix matrix(Table t) throws Exception {
    DMatrix m = new DMatrix(t.featuresRowMajor(), t.rowCount(), t.featureCount(), Float.NaN);
    m.setLabel(t.targetsAsFloats());
    return m;
  }
}
