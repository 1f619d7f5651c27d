package dev.knobflow.plugin;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.OptimizeSummary;
import dev.knobflow.plugin.config.StudyConfig;
import dev.knobflow.plugin.config.StudyFileException;
import dev.knobflow.plugin.config.StudyFileParser;
import dev.knobflow.plugin.config.StudyRunner;
import java.nio.file.Path;
import java.util.List;

/**
 * The entry point for Java users: tune a study described by a YAML study file, exactly as {@code
 * knobflow tune} does.
 *
 * <pre>{@code
 * TuneResult result = Knobflow.tune(Path.of("study.yaml"));
 * result.paretoFront().forEach(t -> System.out.println(t.number() + " " + t.values()));
 * }</pre>
 */
public final class Knobflow {

  private Knobflow() {}

  /**
   * Reads and validates a study file.
   *
   * @throws StudyFileException listing every problem in the file
   */
  public static StudyConfig load(Path studyFile) {
    return StudyFileParser.standard().parse(studyFile);
  }

  /**
   * Runs the study a study file describes and returns what happened.
   *
   * @throws StudyFileException if the file is invalid
   */
  public static TuneResult tune(Path studyFile) {
    return tune(load(studyFile));
  }

  /** Runs a study configuration and returns what happened. */
  public static TuneResult tune(StudyConfig config) {
    try (StudyRunner runner = StudyRunner.builder(config).build()) {
      OptimizeSummary summary = runner.run();
      return new TuneResult(
          config.name(),
          config.storage().describe(),
          summary,
          runner.study().trials(),
          runner.study().paretoFront());
    }
  }

  /**
   * What a tune did.
   *
   * @param study the study's name
   * @param storage where its trials are kept, e.g. {@code journal:/path/journal.jsonl}
   * @param summary this run's trials by state, elapsed time and stop reason
   * @param trials every trial of the study, including those of earlier runs
   * @param paretoFront the Pareto-optimal completed trials (the best ones for one objective)
   */
  public record TuneResult(
      String study,
      String storage,
      OptimizeSummary summary,
      List<FrozenTrial> trials,
      List<FrozenTrial> paretoFront) {

    public TuneResult {
      trials = List.copyOf(trials);
      paretoFront = List.copyOf(paretoFront);
    }
  }
}
