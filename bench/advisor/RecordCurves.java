import dev.knobflow.examples.djl.MlpConfig;
import dev.knobflow.examples.djl.MlpObjective;
import dev.knobflow.examples.xgboost.XgbConfig;
import dev.knobflow.examples.xgboost.XgbObjective;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileParser;
import dev.knobflow.plugin.objective.CommandObjective;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Records the learning curves the advisor sees, from the shipped examples' own objectives, with
 * random sampling and no pruning (so every curve runs to its end and its final value is known).
 *
 * <ul>
 *   <li>command: examples/command/train.py over study-advisor.yaml's space; curve = training loss
 *       per epoch (minimize), the objective of that study.
 *   <li>djl: MlpObjective (examples/djl) with a fixed number of epochs, objective held-out
 *       accuracy (maximize); curve = accuracy per epoch, as the DJL study reports it.
 *   <li>xgboost: XgbObjective (examples/xgboost) with a fixed number of rounds, objective
 *       validation log loss (minimize); curve = the log loss it reports after every round.
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

  /**
   * The shipped XgbObjective with STEPS rounds: the study's one objective is the validation log
   * loss, which the objective reports after every boosting round.
   */
  private static ObjectiveFunction xgboost(int rounds) {
    return new XgbObjective(XgbConfig.fromEnvironment().withRounds(rounds));
  }
}
