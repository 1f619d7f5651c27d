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
   * An external command run once per trial; see the command-objective protocol in {@code
   * docs/cli.md}.
   *
   * @param command the argument vector; elements may hold {@code {param}} placeholders
   * @param timeout the per-trial time limit, if any
   * @param env extra environment variables for the command
   * @param checkpoints the root of the trials' checkpoint directories as written in the file
   *     (relative to the study file's directory), if given; the default is {@value
   *     #DEFAULT_CHECKPOINTS}
   */
  record Command(
      List<String> command,
      Optional<Duration> timeout,
      Map<String, String> env,
      Optional<String> checkpoints)
      implements ObjectiveSpec {

    /** The default root of checkpoint directories, under the study file's directory. */
    public static final String DEFAULT_CHECKPOINTS = ".knobflow/checkpoints";

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
  }

  /**
   * A class implementing {@code dev.knobflow.optimizers.ObjectiveFunction} with a public no-arg
   * constructor, loaded from the classpath.
   *
   * @param className the fully qualified class name
   */
  record JavaClass(String className) implements ObjectiveSpec {}
}
