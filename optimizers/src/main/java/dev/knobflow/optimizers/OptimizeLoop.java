package dev.knobflow.optimizers;

import dev.knobflow.optimizers.samplers.SamplerExhaustedException;
import dev.knobflow.optimizers.storage.StudyStorage;
import dev.knobflow.optimizers.storage.TrialAlreadyFinishedException;
import dev.knobflow.optimizers.storage.TrialOutcome;
import dev.knobflow.time.Clock;
import dev.knobflow.time.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * The optimisation loop behind {@link Study#optimize}: worker threads that ask, evaluate and tell
 * until the trial count, the study's trial target ({@link TrialTarget}), the timeout, the sampler
 * or a stop request ends them, and the heartbeats of the trials they run (the counterpart of
 * Optuna's {@code _optimize.py}).
 */
final class OptimizeLoop {

  private final Study study;
  private final String name;
  private final StudyStorage storage;
  private final Logger log;
  private final Clock clock;

  private OptimizeLoop(Study study) {
    this.study = study;
    this.name = study.name();
    this.storage = study.storage();
    this.log = study.log();
    this.clock = study.clock();
  }

  /** Runs {@code objective} under {@code options}; see {@link Study#optimize}. */
  static OptimizeSummary run(Study study, ObjectiveFunction objective, OptimizeOptions options) {
    return new OptimizeLoop(study).optimize(objective, options);
  }

  private OptimizeSummary optimize(ObjectiveFunction objective, OptimizeOptions options) {
    study.clearStopRequest();
    Instant begin = clock.now();
    long beginNanos = clock.nanoTime();
    Long deadline = options.timeout() == null ? null : beginNanos + options.timeout().toNanos();
    if (options.staleAfter() != null) {
      for (FrozenTrial stale : storage.failStaleTrials(name, options.staleAfter(), begin)) {
        log.warn(
            "trial {} had no heartbeat for {}: marked FAIL", stale.number(), options.staleAfter());
      }
    }
    OptionalLong target = studyTarget(options);
    AtomicInteger reserved = new AtomicInteger();
    // Slots claimed by this process's threads whose trial is not in storage yet.
    AtomicInteger starting = new AtomicInteger();
    Map<TrialState, AtomicInteger> counts = new EnumMap<>(TrialState.class);
    for (TrialState s : TrialState.values()) {
      counts.put(s, new AtomicInteger());
    }
    String[] stopReason = {"trials"};
    Runnable worker =
        () -> {
          while (true) {
            if (study.stopRequested() || Thread.currentThread().isInterrupted()) {
              stopReason[0] = "stopped";
              return;
            }
            if (deadline != null && clock.nanoTime() - deadline >= 0) {
              stopReason[0] = "timeout";
              return;
            }
            if (reserved.incrementAndGet() > options.trials()) {
              return;
            }
            if (study.sampler().isExhausted(study)) {
              stopReason[0] = "exhausted";
              return;
            }
            if (study.spaceExhausted()) {
              log.info(
                  "study '{}': every configuration of the search space has been evaluated; a"
                      + " model-based sampler does not repeat one unless the objective is declared"
                      + " noisy",
                  name);
              stopReason[0] = "exhausted";
              return;
            }
            Trial trial;
            try {
              if (study.budget().isEmpty() && target.isEmpty()) {
                trial = study.ask();
              } else if (study.budget().isEmpty() && storage.holdsTargetExactly()) {
                // The storage checks the target and starts the trial in one atomic step for every
                // thread and process: no lock here, and the sampling runs in parallel.
                Optional<Trial> started = askBelowTarget(target.getAsLong(), options);
                if (started.isEmpty()) {
                  stopReason[0] = "target";
                  return;
                }
                trial = started.get();
              } else if (study.budget().isEmpty()) {
                // Only the target is checked under the lock: the slot is claimed there and the
                // sampling runs outside it, so this process's threads still sample in parallel.
                synchronized (study.budgetLock()) {
                  if (targetReached(target.getAsLong() - starting.get(), options)) {
                    stopReason[0] = "target";
                    return;
                  }
                  starting.incrementAndGet();
                }
                try {
                  trial = study.ask();
                } finally {
                  starting.decrementAndGet();
                }
              } else {
                // Checked and started under one lock, so this process's workers do not all start
                // a trial on the same remaining amount (other processes see it as RUNNING).
                boolean exact = target.isPresent() && storage.holdsTargetExactly();
                synchronized (study.budgetLock()) {
                  if (target.isPresent() && !exact && targetReached(target.getAsLong(), options)) {
                    stopReason[0] = "target";
                    return;
                  }
                  Optional<String> refusal =
                      study.budget().flatMap(budget -> budget.refusal(study));
                  if (refusal.isPresent()) {
                    log.info("study '{}': no further trial: {}", name, refusal.get());
                    stopReason[0] = "budget";
                    return;
                  }
                  if (exact) {
                    Optional<Trial> started = askBelowTarget(target.getAsLong(), options);
                    if (started.isEmpty()) {
                      stopReason[0] = "target";
                      return;
                    }
                    trial = started.get();
                  } else {
                    trial = study.ask();
                  }
                }
              }
            } catch (SamplerExhaustedException e) {
              stopReason[0] = "exhausted";
              return;
            }
            FrozenTrial done = run(trial, objective);
            study.pruneIfBudgetExhausted();
            if (done != null) {
              counts.get(done.state()).incrementAndGet();
            }
          }
        };
    Thread heartbeats = startHeartbeats(options.heartbeatInterval());
    try {
      if (options.parallelism() == 1) {
        worker.run();
      } else {
        ExecutorService pool = Executors.newFixedThreadPool(options.parallelism(), namedThreads());
        try {
          List<Future<?>> futures = new ArrayList<>();
          for (int i = 0; i < options.parallelism(); i++) {
            futures.add(pool.submit(worker));
          }
          for (Future<?> f : futures) {
            try {
              f.get();
            } catch (InterruptedException e) {
              study.requestStop();
              Thread.currentThread().interrupt();
              pool.shutdownNow();
            } catch (java.util.concurrent.ExecutionException e) {
              throw new IllegalStateException(
                  "a study worker crashed: " + e.getCause(), e.getCause());
            }
          }
        } finally {
          pool.shutdownNow();
        }
      }
    } finally {
      if (heartbeats != null) {
        heartbeats.interrupt();
      }
    }
    study.notifyStudyFinished();
    Map<TrialState, Integer> byState = new EnumMap<>(TrialState.class);
    counts.forEach(
        (s, c) -> {
          if (c.get() > 0) {
            byState.put(s, c.get());
          }
        });
    return new OptimizeSummary(
        byState, Duration.ofNanos(clock.nanoTime() - beginNanos), stopReason[0]);
  }

  /**
   * The study-wide trial target this call follows: the one {@code options} sets (stored first, so
   * that every other worker of the study reads it), else the one stored with the study, if any.
   */
  private OptionalLong studyTarget(OptimizeOptions options) {
    if (options.studyTarget() != null) {
      storage.setStudyAttr(name, TrialTarget.STUDY_ATTR, options.studyTarget());
      return OptionalLong.of(options.studyTarget());
    }
    return TrialTarget.stored(storage, name);
  }

  /**
   * Starts a trial while fewer than {@code target} trials occupy the study's target, checked and
   * started in one atomic step by a storage that {@linkplain StudyStorage#holdsTargetExactly holds
   * the target exactly}; empty when the target is reached. When it is, the places of other workers'
   * stale trials are freed first (see {@link #failStaleOfOthers}) and the start retried.
   */
  private Optional<Trial> askBelowTarget(long target, OptimizeOptions options) {
    while (true) {
      Optional<Trial> trial = study.askBelowTarget(target);
      if (trial.isPresent()) {
        return trial;
      }
      if (failStaleOfOthers(options) == 0) {
        log.debug(
            "study '{}': its trials fill its target of {} (running or finished): no further trial",
            name,
            target);
        return trial;
      }
    }
  }

  /**
   * Whether the study's trials already fill {@code target} (see {@link TrialTarget#occupies}), read
   * from storage so that every process's trials count ({@link StudyStorage#trialsOccupyingTarget}).
   * When they seem to, the places of other workers' stale trials are freed first (see {@link
   * #failStaleOfOthers}). For a storage that does not {@linkplain StudyStorage#holdsTargetExactly
   * hold the target exactly}: called under the loop's lock, with the slots this process's threads
   * have claimed but not yet created taken off the target, so they never overshoot; a trial another
   * process is creating at that moment is not in storage yet, so each other process can start up to
   * its parallelism over the target.
   */
  private boolean targetReached(long target, OptimizeOptions options) {
    long occupied = storage.trialsOccupyingTarget(name);
    if (occupied >= target) {
      occupied -= failStaleOfOthers(options);
    }
    if (occupied >= target) {
      log.debug(
          "study '{}': {} trials count toward its target of {} (running or finished): no further"
              + " trial",
          name,
          occupied,
          target);
      return true;
    }
    return false;
  }

  /**
   * When the target seems reached: fails as stale the RUNNING trials of other workers without a
   * heartbeat for {@link OptimizeOptions#staleAfter} (their workers died, and their places go to
   * new trials); returns how many. Reads every trial, but only once the target is reached.
   */
  private int failStaleOfOthers(OptimizeOptions options) {
    if (options.staleAfter() == null) {
      return 0;
    }
    // What the storage holds now, not a cached view that may miss other workers' newest trials.
    List<Integer> own = study.ownRunningTrials();
    boolean othersRunning =
        storage.currentTrials(name).stream()
            .anyMatch(t -> t.state() == TrialState.RUNNING && !own.contains(t.number()));
    if (!othersRunning) {
      return 0;
    }
    List<FrozenTrial> stale = storage.failStaleTrials(name, options.staleAfter(), clock.now());
    for (FrozenTrial t : stale) {
      log.warn("trial {} had no heartbeat for {}: marked FAIL", t.number(), options.staleAfter());
    }
    return stale.size();
  }

  /** Runs one trial to its end; returns the finished trial, or null if someone else finished it. */
  private FrozenTrial run(Trial trial, ObjectiveFunction objective) {
    TrialOutcome outcome;
    try {
      TrialResult result = objective.evaluate(trial);
      if (result == null) {
        outcome = TrialOutcome.failed("the objective returned null", clock.now());
      } else {
        outcome = study.outcomeOf(result);
      }
    } catch (TrialPrunedException e) {
      String reason = e.getMessage();
      Object requested =
          storage.trial(name, trial.number()).systemAttrs().get(Study.PRUNE_REQUEST_ATTR);
      if (requested != null) {
        reason = reason + ": " + requested;
      }
      outcome = TrialOutcome.pruned(trial.lastReported(), reason, clock.now());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = TrialOutcome.failed("interrupted", clock.now());
    } catch (Exception | StackOverflowError | OutOfMemoryError e) {
      outcome = TrialOutcome.failed(Study.reasonOf(e), clock.now());
    }
    if (outcome.state() == TrialState.FAIL) {
      log.warn("trial {} failed: {}", trial.number(), outcome.reason());
    }
    try {
      return study.finish(trial.number(), outcome);
    } catch (TrialAlreadyFinishedException e) {
      study.forgetRunningTrial(trial.number());
      log.debug(
          "trial {} was already finished (interrupted or stale): {}",
          trial.number(),
          e.getMessage());
      return null;
    }
  }

  /**
   * Starts a thread that records a heartbeat for each trial this instance runs, every {@code
   * interval} on the study's clock; null when heartbeats are off. Interrupt it to stop it.
   */
  private Thread startHeartbeats(Duration interval) {
    if (interval == null) {
      return null;
    }
    Sleeper sleeper = study.sleeper();
    Thread beat =
        new Thread(
            () -> {
              while (true) {
                try {
                  sleeper.sleep(interval);
                } catch (InterruptedException e) {
                  return;
                }
                if (Thread.currentThread().isInterrupted()) {
                  return;
                }
                Instant now = clock.now();
                for (Integer number : study.ownRunningTrials()) {
                  Study.safely(() -> storage.heartbeat(name, number, now));
                }
              }
            },
            "knobflow-heartbeat-" + name);
    beat.setDaemon(true);
    beat.start();
    return beat;
  }

  private java.util.concurrent.ThreadFactory namedThreads() {
    AtomicInteger counter = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "knobflow-" + name + "-worker-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
