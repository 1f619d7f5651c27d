package dev.knobflow.advisor.space;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declared search space as the advisor sees it: parameters by name, in declaration order.
 *
 * @param parameters the declared parameters, names unique
 */
public record SearchSpace(List<ParameterSpec> parameters) {

  /** Validates uniqueness and copies the list. */
  public SearchSpace {
    parameters = List.copyOf(parameters);
    Map<String, ParameterSpec> seen = new LinkedHashMap<>();
    for (ParameterSpec p : parameters) {
      if (seen.put(p.name(), p) != null) {
        throw new IllegalArgumentException(
            "search space declares parameter '" + p.name() + "' twice");
      }
    }
  }

  /**
   * Creates a space from parameters.
   *
   * @param parameters the parameters
   * @return the space
   */
  public static SearchSpace of(ParameterSpec... parameters) {
    return new SearchSpace(List.of(parameters));
  }

  /**
   * Creates a space from a collection of parameters.
   *
   * @param parameters the parameters
   * @return the space
   */
  public static SearchSpace of(Collection<? extends ParameterSpec> parameters) {
    return new SearchSpace(List.copyOf(parameters));
  }

  /**
   * Looks a parameter up by its exact name.
   *
   * @param name parameter name
   * @return the declared parameter, or empty when not declared
   */
  public Optional<ParameterSpec> find(String name) {
    for (ParameterSpec p : parameters) {
      if (p.name().equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
