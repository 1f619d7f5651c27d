package dev.knobflow.optimizers.samplers;

/**
 * Checks of sampler builders' options, so every builder words its errors alike: the option's name,
 * what is allowed, and the value given.
 */
public final class SamplerOptions {

  private SamplerOptions() {}

  /**
   * Returns {@code value} when it is at least {@code min}.
   *
   * @throws IllegalArgumentException "{@code name} must be >= {@code min}, got {@code value}"
   */
  public static int atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
    return value;
  }
}
