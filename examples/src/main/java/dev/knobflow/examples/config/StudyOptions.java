package dev.knobflow.examples.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * The command-line options every example's tuning program shares: how many trials, where the
 * journal is, the sampler's seed and the study's name.
 *
 * @param trials trials to run in this call, at least 1
 * @param journal the journal file that stores the study
 * @param seed the sampler's seed
 * @param studyName the study's name in the journal
 */
public record StudyOptions(int trials, Path journal, long seed, String studyName) {

  /** The option names {@link #read} understands. */
  public static final Set<String> NAMES = Set.of("--trials", "--journal", "--seed", "--study");

  public StudyOptions {
    if (trials < 1) {
      throw new IllegalArgumentException("--trials must be at least 1, got " + trials);
    }
    if (studyName == null || studyName.isBlank()) {
      throw new IllegalArgumentException("--study must not be blank");
    }
  }

  /** {@code trials} trials of study {@code name} in {@code .knobflow/journal.jsonl}, seed 42. */
  public static StudyOptions defaults(int trials, String name) {
    return new StudyOptions(trials, Path.of(".knobflow", "journal.jsonl"), 42, name);
  }

  /** {@code defaults} overridden by the options on {@code line}. */
  public static StudyOptions read(CommandLine line, StudyOptions defaults) {
    return new StudyOptions(
        line.getInt("--trials", defaults.trials()),
        line.getPath("--journal", defaults.journal()),
        line.getLong("--seed", defaults.seed()),
        line.get("--study", defaults.studyName()));
  }
}
