package dev.knobflow.optimizers;

/** Whether an objective is to be made as small or as large as possible. */
public enum Direction {
  MINIMIZE,
  MAXIMIZE;

  /** Parses {@code minimize}/{@code maximize} (any case, also {@code min}/{@code max}). */
  public static Direction parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
    return switch (t) {
      case "minimize", "minimise", "min" -> MINIMIZE;
      case "maximize", "maximise", "max" -> MAXIMIZE;
      default ->
          throw new IllegalArgumentException(
              "direction must be minimize or maximize, got '" + text + "'");
    };
  }

  /** The value in minimisation form: negated when maximising. */
  public double toMinimization(double value) {
    return this == MAXIMIZE ? -value : value;
  }

  /** Whether {@code a} is strictly better than {@code b} in this direction. */
  public boolean isBetter(double a, double b) {
    return this == MAXIMIZE ? a > b : a < b;
  }

  /** The lower-case name used in files: {@code minimize} or {@code maximize}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
