import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.StudyStorage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Framework overhead: trials per second with a trivial objective and the random sampler. Prints
 * one JSON line per storage. Run through bench/overhead/run.sh. Arguments: TRIALS [JOURNAL_TRIALS]
 * (default TRIALS), as optuna_overhead.py.
 */
public class OverheadBench {
  public static void main(String[] args) throws Exception {
    int trials = Integer.parseInt(args[0]);
    int journalTrials = args.length > 1 ? Integer.parseInt(args[1]) : trials;
    Path dir = Files.createTempDirectory("knobflow-overhead");
    // Warm the JIT on a separate study so the measured run is steady-state, as a long study is.
    run(InMemoryStorage.create(), "warmup", Math.min(trials, 5000));
    run(JournalStorage.open(dir.resolve("warmup.jsonl")), "warmup", Math.min(trials, 500));
    for (String storage : new String[] {"memory", "journal"}) {
      StudyStorage s =
          storage.equals("memory")
              ? InMemoryStorage.create()
              : JournalStorage.open(dir.resolve("bench.jsonl"));
      int n = storage.equals("memory") ? trials : journalTrials;
      long cpuStart = processCpuNanos();
      double seconds = run(s, "bench", n);
      double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
      System.out.printf(
          "{\"tool\": \"knobflow\", \"storage\": \"%s\", \"trials\": %d, \"seconds\": %.4f,"
              + " \"trials_per_second\": %.1f, \"cpu_seconds\": %.4f}%n",
          storage, n, seconds, n / seconds, cpuSeconds);
    }
  }

  /** CPU time of the whole process (GC and JIT threads included), as Python's process_time. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static double run(StudyStorage storage, String name, int trials) {
    Study study = Study.builder(name).storage(storage).sampler(RandomSampler.seeded(0)).build();
    ObjectiveFunction objective =
        ObjectiveFunction.scalar(
            t -> {
              double x = t.suggestFloat("x", -10, 10);
              return x * x;
            });
    long start = System.nanoTime();
    study.optimize(objective, OptimizeOptions.trials(trials));
    double seconds = (System.nanoTime() - start) / 1e9;
    if (study.trials().size() != trials) {
      throw new IllegalStateException("expected " + trials + " trials");
    }
    storage.close();
    return seconds;
  }
}
