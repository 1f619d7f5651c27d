package dev.knobflow.plugin.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems found while reading a study file, so that all of them are reported together
 * rather than one per run.
 */
public final class Problems {
  private final List<Problem> list = new ArrayList<>();

  /** Records a problem at {@code path}. */
  public void add(String path, String message) {
    list.add(new Problem(path, message));
  }

  /** Whether nothing was found. */
  public boolean isEmpty() {
    return list.isEmpty();
  }

  /** The number of problems so far; lets a caller tell whether a step added any. */
  public int size() {
    return list.size();
  }

  /** The problems in the order they were found. */
  public List<Problem> list() {
    return List.copyOf(list);
  }

  /** Throws a {@link StudyFileException} naming {@code source} if any problem was found. */
  public void throwIfAny(String source) {
    if (!list.isEmpty()) {
      throw new StudyFileException(source, list);
    }
  }
}
