package dev.knobflow.plugin.energy;

import dev.knobflow.greenmetrics.estimate.CpuTimeReader;
import dev.knobflow.greenmetrics.estimate.JvmCpuTime;
import dev.knobflow.optimizers.Trial;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a trial's CPU time comes from, for the CPU-time energy estimate: the command objective's
 * process tree (a {@link Provider}: {@link dev.knobflow.plugin.objective.CommandObjective}), or
 * this JVM's CPU time over the evaluation. The seam tests drive with a fake.
 */
@FunctionalInterface
public interface TrialCpuTime {

  /** Called on the evaluating thread right before {@code trial} is evaluated. */
  Span start(Trial trial);

  /**
   * An objective that counts its trials' CPU time itself (a command objective: its process tree);
   * the estimate prefers it to the JVM's CPU time.
   */
  interface Provider {
    /** The CPU time of this objective's trials. */
    TrialCpuTime cpuTime();
  }

  /** One trial's counting. */
  @FunctionalInterface
  interface Span {
    /**
     * Called on the same thread right after the evaluation (also when it threw): the CPU time the
     * trial used, or empty when it is not known.
     */
    Optional<Duration> stop();
  }

  /** The difference of two reads of {@code reader}, before and after the evaluation. */
  static TrialCpuTime of(CpuTimeReader reader) {
    Objects.requireNonNull(reader, "reader");
    return trial -> {
      Duration before = reader.cpuTime();
      return () -> {
        Duration used = reader.cpuTime().minus(before);
        return Optional.of(used.isNegative() ? Duration.ZERO : used);
      };
    };
  }

  /**
   * For objectives evaluated in this JVM: the JVM's process CPU time when trials run one at a time
   * (everything the trial's threads did, plus the JIT and garbage collector), the evaluating
   * thread's CPU time when they run in parallel (threads the trial starts are then not counted).
   */
  static TrialCpuTime jvm(int parallelism) {
    return of(parallelism <= 1 ? JvmCpuTime.process() : JvmCpuTime.currentThread());
  }
}
