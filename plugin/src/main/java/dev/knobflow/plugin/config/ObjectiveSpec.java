package dev.knobflow.plugin.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code objective} section of a study file: an external command or a Java class. */
public sealed interface ObjectiveSpec {

  /**
   * Whether the objective is declared noisy ({@code objective: {noisy: true}}): evaluating one
   * configuration twice may give different values, so a model-based sampler may propose it again.
   * False by default: the study never runs a configuration twice.
   */
  boolean noisy();

  /**
   * An external command run once per trial; see the command-objective protocol in {@code
   * docs/cli.md}.
   *
   * @param command the argument vector; elements may hold {@code {param}} placeholders
   * @param timeout the per-trial time limit, if any
   * @param env extra environment variables for the command
   * @param checkpoints the root of the trials' checkpoint directories as written in the file
   *     (relative to the study file's directory), or {@value #MLFLOW_CHECKPOINTS} for the study
   *     run's MLflow artifacts, if given; the default is {@value #DEFAULT_CHECKPOINTS}
   * @param noisy whether the objective is declared noisy (see {@link ObjectiveSpec#noisy()})
   */
  record Command(
      List<String> command,
      Optional<Duration> timeout,
      Map<String, String> env,
      Optional<String> checkpoints,
      boolean noisy)
      implements ObjectiveSpec {

    /** The default root of checkpoint directories, under the study file's directory. */
    public static final String DEFAULT_CHECKPOINTS = ".knobflow/checkpoints";

    /**
     * The {@code checkpoints} value that keeps checkpoints in the artifacts of the study's MLflow
     * run instead of a directory.
     */
    public static final String MLFLOW_CHECKPOINTS = "mlflow";

    public Command {
      if (command.isEmpty()) {
        throw new IllegalArgumentException("objective.command: must not be empty");
      }
      command = List.copyOf(command);
      env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** A command without an explicit checkpoint root. */
    public Command(List<String> command, Optional<Duration> timeout, Map<String, String> env) {
      this(command, timeout, env, Optional.empty());
    }

    /** A command whose objective is not noisy. */
    public Command(
        List<String> command,
        Optional<Duration> timeout,
        Map<String, String> env,
        Optional<String> checkpoints) {
      this(command, timeout, env, checkpoints, false);
    }
  }

  /**
   * A class implementing {@code dev.knobflow.optimizers.ObjectiveFunction} with a public no-arg
   * constructor, loaded from the classpath.
   *
   * @param className the fully qualified class name
   * @param noisy whether the objective is declared noisy (see {@link ObjectiveSpec#noisy()})
   */
  record JavaClass(String className, boolean noisy) implements ObjectiveSpec {

    /** A class objective that is not noisy. */
    public JavaClass(String className) {
      this(className, false);
    }
  }
}
