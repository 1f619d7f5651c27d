package dev.knobflow.advisor.rules;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a parameter's {@link ParameterRole}: an explicit mapping (the study file's {@code advisor:
 * {roles: {my_lr: learning_rate}}}) wins; otherwise common names are recognised, ignoring case and
 * separators, on the whole name or its last dotted/slashed segment ({@code optimizer.lr}).
 */
public final class RoleResolver {

  private static final Map<String, ParameterRole> COMMON_NAMES = commonNames();

  private final Map<String, ParameterRole> explicit;

  private RoleResolver(Map<String, ParameterRole> explicit) {
    this.explicit = Map.copyOf(explicit);
  }

  /**
   * @return a resolver using common names only
   */
  public static RoleResolver byCommonNames() {
    return new RoleResolver(Map.of());
  }

  /**
   * @param explicit parameter name to role; exact parameter names
   * @return a resolver where the mapping wins over common names
   */
  public static RoleResolver withExplicit(Map<String, ParameterRole> explicit) {
    return new RoleResolver(explicit);
  }

  /**
   * Parses the study file's {@code roles} block.
   *
   * @param roles parameter name to role name, e.g. {@code {my_lr: learning_rate}}
   * @return the resolver
   * @throws IllegalArgumentException naming the parameter whose role is unknown
   */
  public static RoleResolver fromConfig(Map<String, String> roles) {
    Map<String, ParameterRole> parsed = new LinkedHashMap<>();
    roles.forEach(
        (param, role) -> {
          try {
            parsed.put(param, ParameterRole.parse(role));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("advisor.roles." + param + ": " + e.getMessage(), e);
          }
        });
    return new RoleResolver(parsed);
  }

  /**
   * @param parameterName a declared parameter name
   * @return its role, if any
   */
  public Optional<ParameterRole> roleOf(String parameterName) {
    ParameterRole mapped = explicit.get(parameterName);
    if (mapped != null) {
      return Optional.of(mapped);
    }
    ParameterRole whole = COMMON_NAMES.get(normalize(parameterName));
    if (whole != null) {
      return Optional.of(whole);
    }
    int cut = Math.max(parameterName.lastIndexOf('.'), parameterName.lastIndexOf('/'));
    if (cut >= 0 && cut < parameterName.length() - 1) {
      return Optional.ofNullable(COMMON_NAMES.get(normalize(parameterName.substring(cut + 1))));
    }
    return Optional.empty();
  }

  /**
   * @param parameterNames candidates, in declaration order
   * @param role the role wanted
   * @return the first parameter explicitly mapped to that role, else the first recognised by name
   */
  public Optional<String> find(Iterable<String> parameterNames, ParameterRole role) {
    for (String name : parameterNames) {
      if (explicit.get(name) == role) {
        return Optional.of(name);
      }
    }
    for (String name : parameterNames) {
      if (roleOf(name).filter(role::equals).isPresent()) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]", "");
  }

  private static Map<String, ParameterRole> commonNames() {
    Map<String, ParameterRole> m = new LinkedHashMap<>();
    for (String n :
        Set.of(
            "lr",
            "learningrate",
            "eta",
            "baselr",
            "initlr",
            "initiallr",
            "maxlr",
            "peaklr",
            "initiallearningrate",
            "learningrateinit",
            "stepsize")) {
      m.put(n, ParameterRole.LEARNING_RATE);
    }
    for (String n :
        Set.of(
            "batchsize",
            "batch",
            "bs",
            "minibatchsize",
            "trainbatchsize",
            "perdevicetrainbatchsize")) {
      m.put(n, ParameterRole.BATCH_SIZE);
    }
    for (String n : Set.of("momentum", "beta1", "adambeta1")) {
      m.put(n, ParameterRole.MOMENTUM);
    }
    for (String n : Set.of("weightdecay", "wd", "l2", "l2reg", "l2regularization")) {
      m.put(n, ParameterRole.WEIGHT_DECAY);
    }
    for (String n :
        Set.of(
            "epochs",
            "numepochs",
            "nepochs",
            "maxepochs",
            "numtrainepochs",
            "nestimators",
            "numboostround",
            "numrounds",
            "maxiter",
            "iterations",
            "numiterations")) {
      m.put(n, ParameterRole.EPOCHS);
    }
    return Map.copyOf(m);
  }
}
