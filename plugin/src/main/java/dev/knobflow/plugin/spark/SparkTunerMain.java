package dev.knobflow.plugin.spark;

import dev.knobflow.optimizers.TrialState;
import dev.knobflow.plugin.cli.ShellWords;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code spark-submit} entry point:
 *
 * <pre>
 * spark-submit --class dev.knobflow.plugin.spark.SparkTunerMain knobflow.jar study.yaml --workers 8
 * </pre>
 *
 * <p>The master and resources come from {@code spark-submit}; run without it (plain {@code java}),
 * the master defaults to {@code local[workers]}.
 */
@Command(
    name = "knobflow-spark",
    mixinStandardHelpOptions = true,
    description = "Run a study's trials as Spark tasks against its shared storage.")
public final class SparkTunerMain implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "STUDY.yaml", description = "The study file.")
  Path studyFile;

  @Option(
      names = "--workers",
      paramLabel = "K",
      defaultValue = "2",
      description = "Worker loops, one Spark task each (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--trials-per-worker",
      paramLabel = "N",
      description = "Trials each worker runs; default the file's trials divided among workers.")
  Integer trialsPerWorker;

  @Option(
      names = "--parallelism-per-worker",
      paramLabel = "N",
      description = "Trials each task evaluates at once; default the file's parallelism.")
  Integer parallelismPerWorker;

  private final Function<SparkConf, JavaSparkContext> contexts;
  private final boolean stopContext;

  private SparkTunerMain(Function<SparkConf, JavaSparkContext> contexts, boolean stopContext) {
    this.contexts = contexts;
    this.stopContext = stopContext;
  }

  /** Runs and exits with the exit code: 0 ok, 1 no trial completed, 2 bad input. */
  public static void main(String[] args) {
    System.exit(commandLine(JavaSparkContext::new, true).execute(args));
  }

  /**
   * The command for running in-process; {@code contexts} makes the Spark context from the
   * configuration (a test can hand back one it already has).
   *
   * @param stopContext whether to stop the context when the run ends
   */
  public static CommandLine commandLine(
      Function<SparkConf, JavaSparkContext> contexts, boolean stopContext) {
    return new CommandLine(new SparkTunerMain(contexts, stopContext));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SparkTuner tuner;
    try {
      SparkTuner.Builder b = SparkTuner.builder().studyFile(studyFile).workers(workers);
      if (trialsPerWorker != null) {
        b.trialsPerWorker(trialsPerWorker);
      }
      if (parallelismPerWorker != null) {
        b.parallelismPerWorker(parallelismPerWorker);
      }
      tuner = b.build();
    } catch (IllegalArgumentException e) { // StudyFileException too
      err.println("error: " + e.getMessage());
      err.flush();
      return CommandLine.ExitCode.USAGE;
    }
    SparkConf conf =
        new SparkConf()
            .setAppName("knobflow " + tuner.config().name())
            .setIfMissing("spark.master", "local[" + workers + "]");
    JavaSparkContext spark = contexts.apply(conf);
    SparkTuneResult result;
    try {
      result = tuner.run(spark);
    } finally {
      if (stopContext) {
        spark.stop();
      }
    }
    for (WorkerReport w : result.workers()) {
      out.println(
          "worker "
              + w.worker()
              + " on "
              + w.host()
              + ": "
              + w.trialNumbers().size()
              + " trials "
              + counts(w.trialsByState()));
    }
    out.println(
        "study '"
            + result.study()
            + "': "
            + result.completed()
            + " trials COMPLETE in this run "
            + counts(result.trialsByState())
            + "; knobflow show "
            + ShellWords.quote(result.study())
            + " --storage "
            + ShellWords.quote(String.valueOf(result.storage())));
    out.flush();
    return result.completed() > 0 ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
  }

  private static String counts(Map<TrialState, Integer> byState) {
    StringBuilder sb = new StringBuilder("(");
    for (TrialState s : TrialState.values()) {
      Integer n = byState.get(s);
      if (n != null) {
        sb.append(sb.length() > 1 ? ", " : "").append(n).append(' ').append(s);
      }
    }
    return sb.append(')').toString();
  }
}
