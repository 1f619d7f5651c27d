import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.TrialTarget;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.storage.InMemoryStorage;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.StudyRecord;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.optimizers.storage.TrialOutcome;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trial target's check, before and after StudyStorage.trialsOccupyingTarget, at N trials (default
 * 10,000), in memory and on the journal. Two figures, in CPU time of the measuring thread:
 *
 * <ul>
 *   <li>check: one check on a study holding N finished trials; "before" is what OptimizeLoop did
 *       (currentTrials, then the TrialTarget.occupies filter), "after" the storage's count.
 *   <li>loop: study.optimize(OptimizeOptions.studyTarget(N)) from an empty study, per trial; "before"
 *       runs through a wrapper that keeps only the interface's defaults (so the loop takes the old
 *       path: lock, currentTrials filter), "after" the storage itself; "no target" is
 *       OptimizeOptions.trials(N), the floor.
 * </ul>
 *
 * Prints one JSON line per figure. Run through bench/trial-target/run.sh.
 */
public class TargetCheckBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path dir = Files.createTempDirectory("knobflow-target");
    int files = 0;
    // Warm the JIT on both paths first.
    loop(InMemoryStorage.create(), 2000, true);
    loop(new Defaults(InMemoryStorage.create()), 2000, true);
    for (String kind : new String[] {"memory", "journal"}) {
      StudyStorage s =
          kind.equals("memory")
              ? InMemoryStorage.create()
              : JournalStorage.open(dir.resolve("check-" + files++ + ".jsonl"));
      fill(s, n);
      double before =
          perCall(() -> s.currentTrials("s").stream().filter(TrialTarget::occupies).count(), 200);
      double after = perCall(() -> s.trialsOccupyingTarget("s"), 200_000);
      print(kind, "check", n, before, after);
      s.close();

      double[] loops = new double[3];
      for (int i = 0; i < 3; i++) {
        StudyStorage base =
            kind.equals("memory")
                ? InMemoryStorage.create()
                : JournalStorage.open(dir.resolve("loop-" + files++ + ".jsonl"));
        loops[i] =
            i == 0
                ? loop(new Defaults(base), n, true)
                : i == 1 ? loop(base, n, true) : loop(base, n, false);
      }
      System.out.printf(
          "{\"storage\": \"%s\", \"figure\": \"loop\", \"trials\": %d, \"before_us_per_trial\":"
              + " %.2f, \"after_us_per_trial\": %.2f, \"no_target_us_per_trial\": %.2f}%n",
          kind, n, loops[0], loops[1], loops[2]);
    }
  }

  static void print(String kind, String figure, int n, double before, double after) {
    System.out.printf(
        "{\"storage\": \"%s\", \"figure\": \"%s\", \"trials\": %d, \"before_us\": %.3f,"
            + " \"after_us\": %.3f, \"ratio\": %.0f}%n",
        kind, figure, n, before, after, before / after);
  }

  static void fill(StudyStorage s, int n) {
    s.createStudy("s", List.of(Objective.minimize("loss")));
    for (int i = 0; i < n; i++) {
      int number = s.createTrial("s", TrialState.RUNNING, Map.of()).number();
      s.finishTrial(
          "s", number, TrialOutcome.complete(List.of((double) i), List.of(), Map.of(), Instant.now()));
    }
  }

  /** Microseconds of this thread's CPU per call. */
  static double perCall(Runnable call, int calls) {
    for (int i = 0; i < Math.max(10, calls / 10); i++) {
      call.run();
    }
    long start = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < calls; i++) {
      call.run();
    }
    return (THREADS.getCurrentThreadCpuTime() - start) / 1e3 / calls;
  }

  /**
   * Microseconds of this thread's CPU per trial of one optimize call: with parallelism 1 the loop
   * runs in the calling thread (process CPU time ticks in 10 ms, too coarse for the in-memory loop).
   */
  static double loop(StudyStorage storage, int n, boolean target) {
    Study study = Study.builder("bench").storage(storage).sampler(RandomSampler.seeded(0)).build();
    ObjectiveFunction objective =
        ObjectiveFunction.scalar(
            t -> {
              double x = t.suggestFloat("x", -10, 10);
              return x * x;
            });
    long start = THREADS.getCurrentThreadCpuTime();
    study.optimize(
        objective, target ? OptimizeOptions.studyTarget(n) : OptimizeOptions.trials(n));
    double us = (THREADS.getCurrentThreadCpuTime() - start) / 1e3 / n;
    if (storage.trials("bench").size() != n) {
      throw new IllegalStateException("expected " + n + " trials");
    }
    storage.close();
    return us;
  }

  /** A storage with only the interface's defaults for the target: the path before the change. */
  record Defaults(StudyStorage s) implements StudyStorage {
    public StudyRecord createStudy(String name, List<Objective> objectives) {
      return s.createStudy(name, objectives);
    }

    public Optional<StudyRecord> findStudy(String name) {
      return s.findStudy(name);
    }

    public List<StudyRecord> studies() {
      return s.studies();
    }

    public void setStudyAttr(String study, String key, Object value) {
      s.setStudyAttr(study, key, value);
    }

    public FrozenTrial createTrial(String study, TrialState state, Map<String, Object> attrs) {
      return s.createTrial(study, state, attrs);
    }

    public Optional<FrozenTrial> claimWaitingTrial(String study) {
      return s.claimWaitingTrial(study);
    }

    public void setParam(String study, int number, String name, Distribution d, Object value) {
      s.setParam(study, number, name, d, value);
    }

    public void reportIntermediate(String study, int number, long step, List<Double> values) {
      s.reportIntermediate(study, number, step, values);
    }

    public void setUserAttr(String study, int number, String key, Object value) {
      s.setUserAttr(study, number, key, value);
    }

    public void setSystemAttr(String study, int number, String key, Object value) {
      s.setSystemAttr(study, number, key, value);
    }

    public void setBudget(String study, int number, double budget) {
      s.setBudget(study, number, budget);
    }

    public void heartbeat(String study, int number, Instant at) {
      s.heartbeat(study, number, at);
    }

    public FrozenTrial finishTrial(String study, int number, TrialOutcome outcome) {
      return s.finishTrial(study, number, outcome);
    }

    public FrozenTrial trial(String study, int number) {
      return s.trial(study, number);
    }

    public List<FrozenTrial> trials(String study) {
      return s.trials(study);
    }

    public List<FrozenTrial> currentTrials(String study) {
      return s.currentTrials(study);
    }

    public int trialCount(String study) {
      return s.trialCount(study);
    }

    public void close() {
      s.close();
    }
  }
}
