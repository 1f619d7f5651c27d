package dev.knobflow.plugin.config;

import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.samplers.GridSampler;
import dev.knobflow.optimizers.samplers.PriorObservation;
import dev.knobflow.optimizers.samplers.RandomSampler;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.SobolSampler;
import dev.knobflow.optimizers.storage.DistributionJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The sampler types a study file may name, by {@code sampler.type}. {@link #standard()} knows
 * {@code random}, {@code grid}, {@code sobol}, {@code nsga2}, {@code tpe}, {@code gp}, {@code
 * cmaes}, {@code auto} and {@code bohb} (see {@link ModelSamplerTypes}); new samplers are added
 * here, each with its own keys and validation.
 */
public final class SamplerFactory {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SamplerFactory.class);
  private final Map<String, SamplerType> types;

  private SamplerFactory(Map<String, SamplerType> types) {
    this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
  }

  /** The built-in sampler types. */
  public static SamplerFactory standard() {
    return new SamplerFactory(Map.of())
        .with(new RandomType())
        .with(new GridType())
        .with(new SobolType())
        .with(new ModelSamplerTypes.Nsga2Type())
        .with(new ModelSamplerTypes.TpeType())
        .with(new ModelSamplerTypes.GpType())
        .with(new ModelSamplerTypes.CmaEsType())
        .with(new ModelSamplerTypes.AutoType())
        .with(new ModelSamplerTypes.BohbType());
  }

  /** A factory that also knows {@code type} (replacing one of the same name). */
  public SamplerFactory with(SamplerType type) {
    Map<String, SamplerType> more = new LinkedHashMap<>(types);
    more.put(type.name(), type);
    return new SamplerFactory(more);
  }

  /** The type of that name. */
  public Optional<SamplerType> type(String name) {
    return Optional.ofNullable(types.get(name));
  }

  /** The known type names in registration order. */
  public List<String> names() {
    return List.copyOf(types.keySet());
  }

  /**
   * Builds the sampler of a validated spec.
   *
   * @throws IllegalArgumentException if the type is unknown
   */
  public Sampler create(SamplerSpec spec, SearchSpace space, OptionalLong seed) {
    SamplerType type =
        type(spec.type())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "sampler.type: unknown sampler '"
                            + spec.type()
                            + "'; allowed: "
                            + String.join(", ", names())));
    return type.create(spec, space, seed);
  }

  /**
   * Builds the sampler of a validated spec with prior observations (warm start {@code use: prior});
   * a type that cannot use them (random, grid, sobol, nsga2) gets none, which is logged.
   *
   * @throws IllegalArgumentException if the type is unknown
   */
  public Sampler create(
      SamplerSpec spec, SearchSpace space, OptionalLong seed, List<PriorObservation> priors) {
    if (priors.isEmpty()) {
      return create(spec, space, seed);
    }
    SamplerType type = type(spec.type()).orElse(null);
    if (type == null || !type.acceptsPriors()) {
      LOG.info(
          "sampler '{}' cannot use prior observations; {} warm-start priors ignored",
          spec.type(),
          priors.size());
      return create(spec, space, seed);
    }
    LOG.info("sampler '{}': {} warm-start prior observations", spec.type(), priors.size());
    return type.create(spec, space, seed, priors);
  }

  /** Uniform random sampling, independent per parameter. */
  static final class RandomType implements SamplerType {
    @Override
    public String name() {
      return "random";
    }

    @Override
    public List<String> keys() {
      return List.of();
    }

    @Override
    public Sampler create(SamplerSpec spec, SearchSpace space, OptionalLong seed) {
      return seed.isPresent() ? RandomSampler.seeded(seed.getAsLong()) : RandomSampler.create();
    }
  }

  /** Scrambled (or plain) Sobol quasi-random points. */
  static final class SobolType implements SamplerType {
    @Override
    public String name() {
      return "sobol";
    }

    @Override
    public List<String> keys() {
      return List.of("scramble");
    }

    @Override
    public void validate(Section section, SearchSpace space) {
      section.bool("scramble");
    }

    @Override
    public Sampler create(SamplerSpec spec, SearchSpace space, OptionalLong seed) {
      boolean scramble = !Boolean.FALSE.equals(spec.settings().get("scramble"));
      if (!scramble) {
        return SobolSampler.unscrambled(seed.orElse(0));
      }
      return seed.isPresent() ? SobolSampler.seeded(seed.getAsLong()) : SobolSampler.create();
    }
  }

  /**
   * Full-factorial grid: every choice of categoricals, every value of int ranges and stepped float
   * ranges, or the values listed under {@code values}; stops when every point was tried.
   */
  static final class GridType implements SamplerType {
    @Override
    public String name() {
      return "grid";
    }

    @Override
    public List<String> keys() {
      return List.of("values", "shuffle");
    }

    @Override
    public boolean isFinite() {
      return true;
    }

    @Override
    public void validate(Section section, SearchSpace space) {
      section.bool("shuffle");
      Map<String, Distribution> params = space.distributions();
      if (params.isEmpty()) {
        section
            .problems()
            .add("space", "the grid sampler needs a declared space to build its grid");
        return;
      }
      Map<String, Object> listed = Map.of();
      Optional<Section> values = section.section("values");
      if (values.isPresent()) {
        listed = values.get().asMap();
        for (String name : values.get().keys()) {
          Distribution d = params.get(name);
          if (d == null) {
            values
                .get()
                .problem(
                    name,
                    "not a parameter of space"
                        + Suggestions.hint(name, params.keySet())
                        + " (parameters: "
                        + String.join(", ", params.keySet())
                        + ")");
            continue;
          }
          Optional<List<Object>> list = values.get().list(name);
          if (list.isEmpty()) {
            continue;
          }
          if (list.get().isEmpty()) {
            values.get().problem(name, "must list at least one value");
          }
          for (Object value : list.get()) {
            if (!d.contains(canonical(d, value))) {
              values
                  .get()
                  .problem(
                      name,
                      "value "
                          + Section.describe(value)
                          + " is outside space."
                          + name
                          + " ("
                          + d
                          + ")");
            }
          }
        }
      }
      for (Map.Entry<String, Distribution> e : params.entrySet()) {
        if (!listed.containsKey(e.getKey())
            && e.getValue() instanceof FloatDistribution f
            && !f.hasStep()) {
          section
              .problems()
              .add(
                  "space." + e.getKey(),
                  "the grid sampler needs a step for a continuous float parameter, or its values"
                      + " listed in sampler.values."
                      + e.getKey());
        }
      }
    }

    @Override
    public Sampler create(SamplerSpec spec, SearchSpace space, OptionalLong seed) {
      Map<String, List<Object>> grid = new LinkedHashMap<>();
      Map<?, ?> listed = spec.settings().get("values") instanceof Map<?, ?> m ? m : Map.of();
      SearchSpace.Builder rest = SearchSpace.builder();
      for (Map.Entry<String, Distribution> e : space.distributions().entrySet()) {
        Object values = listed.get(e.getKey());
        if (values instanceof List<?> list) {
          List<Object> points = new ArrayList<>();
          for (Object v : list) {
            points.add(canonical(e.getValue(), v));
          }
          grid.put(e.getKey(), points);
        } else {
          rest.add(e.getKey(), e.getValue());
        }
      }
      grid.putAll(GridSampler.gridOf(rest.build()));
      boolean shuffle = Boolean.TRUE.equals(spec.settings().get("shuffle"));
      return shuffle ? GridSampler.shuffled(grid, seed.orElse(0)) : GridSampler.of(grid);
    }

    /** A YAML value in the form the distribution holds (Long for ints, Double for floats). */
    private static Object canonical(Distribution d, Object value) {
      if (d instanceof CategoricalDistribution) {
        return CategoricalDistribution.normalise(value);
      }
      Optional<Double> n = Section.asNumber(value);
      if (n.isEmpty() || (d instanceof IntDistribution && n.get() != Math.rint(n.get()))) {
        return value;
      }
      return DistributionJson.canonicalValue(d, n.get());
    }
  }
}
