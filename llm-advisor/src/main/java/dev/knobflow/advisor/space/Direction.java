package dev.knobflow.advisor.space;

import java.util.Locale;

/** Whether an objective or monitored metric improves by going down (a loss) or up (accuracy). */
public enum Direction {
  MINIMIZE,
  MAXIMIZE;

  /**
   * Signed improvement from {@code from} to {@code to}: positive when {@code to} is better.
   *
   * @param from the earlier value
   * @param to the later value
   * @return the improvement in this direction
   */
  public double improvement(double from, double to) {
    return this == MINIMIZE ? from - to : to - from;
  }

  /**
   * Whether {@code candidate} is strictly better than {@code reference}.
   *
   * @param candidate value to test
   * @param reference value to compare with
   * @return true when better in this direction
   */
  public boolean isBetter(double candidate, double reference) {
    return improvement(reference, candidate) > 0;
  }

  /**
   * Parses {@code minimize}/{@code maximize} (also {@code min}/{@code max}), case-insensitively.
   *
   * @param text the direction name
   * @return the direction
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Direction parse(String text) {
    if (text != null) {
      switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "minimize", "minimise", "min":
          return MINIMIZE;
        case "maximize", "maximise", "max":
          return MAXIMIZE;
        default:
          break;
      }
    }
    throw new IllegalArgumentException(
        "direction must be one of minimize, maximize (min, max); got: " + text);
  }
}
