package dev.knobflow.plugin.config;

import java.util.List;

/**
 * A study file is invalid. The message lists every problem with its path; {@link #problems()} gives
 * them one by one.
 */
public final class StudyFileException extends IllegalArgumentException {
  private final String source;
  private final List<Problem> problems;

  /**
   * @param source the file (or other source) that was read
   * @param problems what is wrong, at least one
   */
  public StudyFileException(String source, List<Problem> problems) {
    super(format(source, problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a StudyFileException needs at least one problem");
    }
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** A single problem at {@code path}. */
  public static StudyFileException of(String source, String path, String message) {
    return new StudyFileException(source, List.of(new Problem(path, message)));
  }

  /** The file that was read. */
  public String source() {
    return source;
  }

  /** What is wrong, in file order as far as it was found. */
  public List<Problem> problems() {
    return problems;
  }

  private static String format(String source, List<Problem> problems) {
    if (problems.size() == 1) {
      return source + ": " + problems.get(0);
    }
    StringBuilder sb = new StringBuilder(source).append(" has ").append(problems.size());
    sb.append(" problems:");
    for (Problem p : problems) {
      sb.append(System.lineSeparator()).append("  - ").append(p);
    }
    return sb.toString();
  }
}
