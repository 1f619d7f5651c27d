package dev.knobflow.plugin.faults;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.OptimizeOptions;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyListener;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.storage.JournalStorage;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.plugin.config.StorageSpec;
import dev.knobflow.plugin.recovery.StaleTrialRecovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker process for the fault-injection tests: one study on a journal (or any storage),
 * objective {@code x^2}. Prints {@code DONE <number> <x> <value>} once a COMPLETE trial is stored
 * (the journal has fsynced it) and {@code HANGING <number>} when it stops inside a trial to be
 * killed there.
 *
 * <p>Arguments: {@code key=value} pairs: {@code journal} (or {@code storage}, a storage string such
 * as {@code postgresql://...}), {@code study}, {@code trials}, {@code sleepMs} (per trial), {@code
 * hangAfter} (completed trials before hanging; -1 never), {@code heartbeatMs}, {@code staleMs},
 * {@code parallelism}, {@code requeue} (true: stale trials are re-queued with their parameters
 * before optimizing).
 */
public final class JournalWorkerProcess {

  private JournalWorkerProcess() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    int hangAfter = Integer.parseInt(a.getOrDefault("hangAfter", "-1"));
    long sleepMs = Long.parseLong(a.getOrDefault("sleepMs", "0"));
    Duration heartbeat = Duration.ofMillis(Long.parseLong(a.getOrDefault("heartbeatMs", "100")));
    Duration stale = Duration.ofMillis(Long.parseLong(a.getOrDefault("staleMs", "1000")));
    AtomicInteger completed = new AtomicInteger();
    try (StudyStorage storage =
        a.containsKey("storage")
            ? StorageSpec.parse(a.get("storage"), Path.of("").toAbsolutePath()).open()
            : JournalStorage.open(Path.of(a.get("journal")))) {
      Study study =
          Study.builder(a.get("study"))
              .objectives(Objective.minimize("value"))
              .storage(storage)
              .space(SearchSpace.builder().floatParam("x", -5, 5).build())
              .listener(
                  new StudyListener() {
                    @Override
                    public void trialFinished(StudyView s, FrozenTrial t) {
                      if (t.state() == TrialState.COMPLETE) {
                        completed.incrementAndGet();
                        emit(
                            "DONE "
                                + t.number()
                                + " "
                                + t.params().get("x")
                                + " "
                                + t.values().get(0));
                      }
                    }
                  })
              .build();
      if (Boolean.parseBoolean(a.getOrDefault("requeue", "false"))) {
        for (StaleTrialRecovery.Requeued r :
            StaleTrialRecovery.failAndRequeue(study, stale, java.time.Instant.now())) {
          emit("REQUEUED " + r.staleTrial() + " " + r.params());
        }
      }
      ObjectiveFunction objective =
          trial -> {
            double x = trial.suggestFloat("x", -5, 5);
            if (hangAfter >= 0 && completed.get() >= hangAfter) {
              emit("HANGING " + trial.number());
              Thread.sleep(Long.MAX_VALUE);
            }
            if (sleepMs > 0) {
              Thread.sleep(sleepMs);
            }
            return TrialResult.of(x * x);
          };
      study.optimize(
          objective,
          OptimizeOptions.trials(Integer.parseInt(a.get("trials")))
              .withParallelism(Integer.parseInt(a.getOrDefault("parallelism", "1")))
              .withHeartbeat(heartbeat, stale));
    }
    emit("EXIT");
  }

  private static synchronized void emit(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
