package dev.knobflow.optimizers.distributions;

/**
 * A distribution's settings break a rule. {@link #field()} names the offending setting relative to
 * the parameter ({@code low}, {@code high}, {@code step}, {@code choices}); {@link #withPath} turns
 * it into a message that names the full path, such as {@code space.eta.low}.
 */
public final class InvalidDistributionException extends IllegalArgumentException {
  private final String field;
  private final String rule;

  /**
   * @param field the setting that is wrong, relative to the parameter
   * @param rule what is allowed, in words
   */
  public InvalidDistributionException(String field, String rule) {
    super(field + ": " + rule);
    this.field = field;
    this.rule = rule;
  }

  /** The setting that is wrong, relative to the parameter ({@code low}, {@code step}, ...). */
  public String field() {
    return field;
  }

  /** What is allowed, in words. */
  public String rule() {
    return rule;
  }

  /** The same error with a message that starts from {@code prefix}, e.g. {@code space.eta}. */
  public IllegalArgumentException withPath(String prefix) {
    return new IllegalArgumentException(prefix + "." + field + ": " + rule, this);
  }
}
