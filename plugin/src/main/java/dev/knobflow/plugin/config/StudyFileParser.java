package dev.knobflow.plugin.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.StudyNames;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.distributions.FloatDistribution;
import dev.knobflow.optimizers.distributions.IntDistribution;
import dev.knobflow.optimizers.distributions.InvalidDistributionException;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.plugin.advice.AdvisorSpec;
import dev.knobflow.plugin.energy.EnergyConfig;
import dev.knobflow.plugin.objective.ArgumentTemplate;
import dev.knobflow.plugin.objective.CommandObjective;
import dev.knobflow.plugin.objective.MetricConstraint;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads and validates a YAML study file into a {@link StudyConfig}. Every problem found is reported
 * together in one {@link StudyFileException}, each with its path ({@code space.eta.low}, {@code
 * objectives[1].direction}) and what is allowed; unknown keys are errors with a suggestion.
 */
public final class StudyFileParser {

  /** The top-level keys, in documentation order. */
  public static final List<String> TOP_LEVEL_KEYS =
      List.of(
          "name",
          "storage",
          "seed",
          "objectives",
          "space",
          "sampler",
          "trials",
          "timeout",
          "parallelism",
          "objective",
          "constraints",
          "tracking",
          "dataset",
          "warm_start",
          AdvisorSection.KEY,
          "energy",
          "carbon",
          "scheduler",
          "budget");

  private static final List<String> PARAM_TYPES = List.of("float", "int", "categorical");
  private static final List<String> NUMERIC_KEYS = List.of("type", "low", "high", "log", "step");
  private static final List<String> CATEGORICAL_KEYS = List.of("type", "choices");
  private static final List<String> OBJECTIVE_KEYS = List.of("name", "direction", "source");
  private static final List<String> COMMAND_OBJECTIVE_KEYS =
      List.of("command", "class", "timeout", "env", "checkpoints", "noisy");
  private static final List<String> CONSTRAINT_KEYS = List.of("metric", "max", "min");

  /** Keys of the metric-line protocol that therefore cannot name an objective. */
  private static final Set<String> RESERVED_METRIC_NAMES = Set.of("step", "constraints");

  private final SamplerFactory samplers;

  private StudyFileParser(SamplerFactory samplers) {
    this.samplers = samplers;
  }

  /** A parser that knows the standard sampler types. */
  public static StudyFileParser standard() {
    return new StudyFileParser(SamplerFactory.standard());
  }

  /** A parser that knows the sampler types of {@code samplers}. */
  public static StudyFileParser with(SamplerFactory samplers) {
    return new StudyFileParser(samplers);
  }

  /** The sampler types this parser knows. */
  public SamplerFactory samplers() {
    return samplers;
  }

  /**
   * Reads a study file.
   *
   * @throws StudyFileException listing every problem, or if the file cannot be read
   */
  public StudyConfig parse(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw StudyFileException.of(file.toString(), "", "no such file");
    } catch (CharacterCodingException e) {
      throw StudyFileException.of(
          file.toString(), "", "is not UTF-8 text (a study file is YAML; is this a binary file?)");
    } catch (IOException e) {
      throw StudyFileException.of(file.toString(), "", "cannot read: " + e.getMessage());
    }
    Path dir = file.toAbsolutePath().normalize().getParent();
    return parse(text, dir, file.toString());
  }

  /**
   * Reads study-file text.
   *
   * @param baseDirectory the directory relative paths resolve against
   * @param source a name for messages, usually the file name
   * @throws StudyFileException listing every problem
   */
  public StudyConfig parse(String yaml, Path baseDirectory, String source) {
    Object root = readYaml(yaml, source);
    Problems problems = new Problems();
    if (root == null) {
      throw StudyFileException.of(
          source,
          "",
          "the file is empty; a study file needs at least name, objectives, space and objective");
    }
    Section top = Section.of(root, "", problems).orElse(null);
    if (top == null) {
      problems.throwIfAny(source);
    }
    top.allowOnly(TOP_LEVEL_KEYS);

    String name = null;
    if (top.require("name", "give the study a name, e.g. name: xgb-demo")) {
      Optional<String> given = top.string("name");
      String problem = given.map(StudyNames::problem).orElse(null);
      if (problem != null) {
        top.problem("name", problem);
      } else {
        name = given.orElse(null);
      }
    }
    StorageSpec storage = storage(top, baseDirectory);
    OptionalLong seed = top.integer("seed").map(OptionalLong::of).orElse(OptionalLong.empty());
    List<Objective> objectives = objectives(top);
    SearchSpace space = space(top);
    OptionalInt trials =
        top.integerAtLeast("trials", 1)
            .map(t -> OptionalInt.of((int) Math.min(Integer.MAX_VALUE, t)))
            .orElse(OptionalInt.empty());
    Optional<Duration> timeout = top.duration("timeout");
    int parallelism =
        top.integerAtLeast("parallelism", 1).map(p -> (int) Math.min(1024, p)).orElse(1);
    SamplerSpec sampler = sampler(top, space);
    if (sampler != null
        && objectives.size() > 1
        && samplers.type(sampler.type()).map(SamplerType::singleObjective).orElse(false)) {
      top.problem(
          "sampler",
          "type "
              + sampler.type()
              + " optimises one objective, the study has "
              + objectives.size()
              + " (use nsga2, tpe, gp or auto)");
    }
    SchedulerSpec scheduler =
        SchedulerSection.parse(top, objectives.stream().map(Objective::name).toList());
    sampler = SchedulerSection.reconcile(top, sampler, top.has("sampler"), scheduler);
    ObjectiveSpec objective = objective(top, space);
    List<MetricConstraint> constraints = constraints(top);
    Optional<AdvisorSpec> advisor = AdvisorSection.parse(top, space);
    EnergyConfig energy = EnergySection.parse(top, baseDirectory);
    BudgetSpec budget = BudgetSection.parse(top, energy.enabled(), scheduler);

    if (!top.has("trials") && timeout.isEmpty()) {
      boolean finite =
          samplers
              .type(sampler == null ? "" : sampler.type())
              .map(SamplerType::isFinite)
              .orElse(false);
      if (!finite) {
        top.problem(
            "trials",
            "missing; give the number of trials to run (e.g. trials: 50), a timeout, or both");
      }
    }
    problems.throwIfAny(source);
    return StudyConfig.builder(name, objective, baseDirectory)
        .storage(storage)
        .seed(seed)
        .objectives(objectives)
        .space(space)
        .sampler(sampler)
        .trials(trials)
        .timeout(timeout)
        .parallelism(parallelism)
        .constraints(constraints)
        .advisor(advisor)
        .energy(energy)
        .scheduler(scheduler)
        .budget(budget)
        .build();
  }

  private static Object readYaml(String yaml, String source) {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    try {
      return mapper.readValue(yaml, Object.class);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw StudyFileException.of(
          source, where, "not valid YAML: " + firstLine(e.getOriginalMessage()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static StorageSpec storage(Section top, Path baseDirectory) {
    Optional<String> text = top.string("storage");
    if (text.isEmpty()) {
      return StorageSpec.defaultFor(baseDirectory);
    }
    try {
      StorageSpec spec = StorageSpec.parse(text.get(), baseDirectory);
      if (spec instanceof StorageSpec.Mlflow m) {
        return TrackingSection.apply(top, m);
      }
      return spec;
    } catch (IllegalArgumentException e) {
      top.problem("storage", e.getMessage());
      return StorageSpec.defaultFor(baseDirectory);
    }
  }

  private static List<Objective> objectives(Section top) {
    if (!top.require(
        "objectives",
        "list what to optimise, e.g. objectives: [{name: accuracy, direction: maximize}]")) {
      return List.of();
    }
    List<Object> items = top.list("objectives").orElse(List.of());
    if (items.isEmpty() && top.raw("objectives") instanceof List<?>) {
      top.problem("objectives", "must list at least one objective");
    }
    List<Objective> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String path = "objectives[" + i + "]";
      Optional<Section> item = Section.of(items.get(i), path, top.problems());
      if (item.isEmpty()) {
        continue;
      }
      Section o = item.get();
      o.allowOnly(OBJECTIVE_KEYS);
      String objectiveName = null;
      if (o.require("name", "the metric's name, e.g. name: accuracy")) {
        objectiveName = o.string("name").orElse(null);
      }
      Direction direction = null;
      if (o.require("direction", "minimize or maximize")) {
        Optional<String> d = o.string("direction");
        if (d.isPresent()) {
          try {
            direction = Direction.parse(d.get());
          } catch (IllegalArgumentException e) {
            o.problem(
                "direction",
                "must be minimize or maximize, got '"
                    + d.get()
                    + "'"
                    + Suggestions.hint(d.get(), List.of("minimize", "maximize")));
          }
        }
      }
      if (objectiveName != null) {
        if (RESERVED_METRIC_NAMES.contains(objectiveName)) {
          o.problem(
              "name",
              "'"
                  + objectiveName
                  + "' is reserved by the metric-line protocol; choose another name");
          objectiveName = null;
        } else if (seen.containsKey(objectiveName)) {
          o.problem(
              "name",
              "'"
                  + objectiveName
                  + "' is already used by objectives["
                  + seen.get(objectiveName)
                  + "]");
          objectiveName = null;
        } else {
          seen.put(objectiveName, i);
        }
      }
      if (objectiveName != null && direction != null) {
        out.add(new Objective(objectiveName, direction));
      }
    }
    return out;
  }

  private static SearchSpace space(Section top) {
    Optional<Section> section = top.section("space");
    if (section.isEmpty()) {
      return SearchSpace.empty();
    }
    SearchSpace.Builder space = SearchSpace.builder();
    for (String param : section.get().keys()) {
      Optional<Section> p = section.get().section(param);
      if (p.isEmpty()) {
        continue;
      }
      distribution(p.get()).ifPresent(d -> space.add(param, d));
    }
    return space.build();
  }

  private static Optional<Distribution> distribution(Section p) {
    if (!p.require("type", "one of " + String.join(", ", PARAM_TYPES))) {
      p.allowOnly(p.has("choices") ? CATEGORICAL_KEYS : NUMERIC_KEYS);
      return Optional.empty();
    }
    String type = p.string("type").orElse("");
    int before = p.problems().size();
    try {
      switch (type) {
        case "float" -> {
          p.allowOnly(NUMERIC_KEYS);
          Optional<Double> low = required(p, "low", p.number("low"));
          Optional<Double> high = required(p, "high", p.number("high"));
          boolean log = p.bool("log").orElse(false);
          double step = p.number("step").orElse(0.0);
          if (low.isEmpty() || high.isEmpty() || p.problems().size() > before) {
            return Optional.empty();
          }
          return Optional.of(new FloatDistribution(low.get(), high.get(), log, step));
        }
        case "int" -> {
          p.allowOnly(NUMERIC_KEYS);
          Optional<Long> low = required(p, "low", p.integer("low"));
          Optional<Long> high = required(p, "high", p.integer("high"));
          boolean log = p.bool("log").orElse(false);
          long step = p.integer("step").orElse(1L);
          if (low.isEmpty() || high.isEmpty() || p.problems().size() > before) {
            return Optional.empty();
          }
          return Optional.of(new IntDistribution(low.get(), high.get(), log, step));
        }
        case "categorical" -> {
          p.allowOnly(CATEGORICAL_KEYS);
          if (!p.require("choices", "list the values, e.g. choices: [gbtree, dart]")) {
            return Optional.empty();
          }
          Optional<List<Object>> choices = p.list("choices");
          if (choices.isEmpty()) {
            return Optional.empty();
          }
          return Optional.of(CategoricalDistribution.of(choices.get()));
        }
        default -> {
          p.problem(
              "type",
              "must be one of "
                  + String.join(", ", PARAM_TYPES)
                  + ", got '"
                  + type
                  + "'"
                  + Suggestions.hint(type, PARAM_TYPES));
          return Optional.empty();
        }
      }
    } catch (InvalidDistributionException e) {
      // The engine's own rules, reported with the full path (space.eta.low).
      String message = e.withPath(p.path()).getMessage();
      p.problems().add(p.pathOf(e.field()), message.substring(message.indexOf(": ") + 2));
      return Optional.empty();
    }
  }

  private static <T> Optional<T> required(Section p, String key, Optional<T> value) {
    if (!p.has(key)) {
      p.problem(
          key,
          "missing; give the range's " + (key.equals("low") ? "smallest" : "largest") + " value");
    }
    return value;
  }

  private SamplerSpec sampler(Section top, SearchSpace space) {
    if (!top.has("sampler")) {
      return SamplerSpec.auto();
    }
    Object raw = top.raw("sampler");
    if (raw instanceof String s) {
      // Shorthand: sampler: grid
      Map<String, Object> asMap = new LinkedHashMap<>();
      asMap.put("type", s);
      raw = asMap;
    }
    Optional<Section> section = Section.of(raw, "sampler", top.problems());
    if (section.isEmpty()) {
      return SamplerSpec.random();
    }
    Section s = section.get();
    String allowed = String.join(", ", samplers.names());
    if (!s.require("type", "one of " + allowed)) {
      return SamplerSpec.random();
    }
    String type = s.string("type").orElse("");
    Optional<SamplerType> samplerType = samplers.type(type);
    if (samplerType.isEmpty()) {
      s.problem(
          "type",
          "unknown sampler '"
              + type
              + "'; allowed: "
              + allowed
              + Suggestions.hint(type, samplers.names()));
      return SamplerSpec.random();
    }
    List<String> keys = new ArrayList<>();
    keys.add("type");
    keys.addAll(samplerType.get().keys());
    s.allowOnly(keys);
    samplerType.get().validate(s, space);
    Map<String, Object> settings = new LinkedHashMap<>(s.asMap());
    settings.remove("type");
    return new SamplerSpec(type, settings);
  }

  private static ObjectiveSpec objective(Section top, SearchSpace space) {
    if (!top.require(
        "objective",
        "say what evaluates a trial: objective: {command: [python3, train.py, --eta, \"{eta}\"]} or objective: {class: com.example.MyObjective}")) {
      return null;
    }
    Optional<Section> section = top.section("objective");
    if (section.isEmpty()) {
      return null;
    }
    Section o = section.get();
    o.allowOnly(COMMAND_OBJECTIVE_KEYS);
    boolean hasCommand = o.has("command");
    boolean hasClass = o.has("class");
    boolean noisy = o.bool("noisy").orElse(false);
    if (hasCommand == hasClass) {
      o.problems()
          .add(
              o.path(),
              hasCommand
                  ? "give either command or class, not both"
                  : "give either command: [program, args...] or class: <fully.qualified.Name>");
      return null;
    }
    if (hasClass) {
      if (o.has("timeout")) {
        o.problem(
            "timeout",
            "applies to command objectives only; a class objective enforces its own time limits");
      }
      if (o.has("env")) {
        o.problem("env", "applies to command objectives only");
      }
      if (o.has("checkpoints")) {
        o.problem(
            "checkpoints",
            "applies to command objectives only; a class objective saves through"
                + " trial.checkpoint()");
      }
      return o.string("class").map(k -> new ObjectiveSpec.JavaClass(k, noisy)).orElse(null);
    }
    List<String> argv = new ArrayList<>();
    Optional<List<Object>> command = Optional.empty();
    if (o.raw("command") instanceof String single) {
      o.problem(
          "command",
          "must be a list of arguments, e.g. [python3, train.py, --eta, \"{eta}\"], got '"
              + single
              + "'");
    } else {
      command = o.list("command");
    }
    if (command.isPresent() && command.get().isEmpty()) {
      o.problem("command", "must name a program to run, e.g. [python3, train.py]");
    }
    // Every declared name counts, even one whose range is invalid (reported on its own).
    Set<String> known = new LinkedHashSet<>(space.distributions().keySet());
    if (top.raw("space") instanceof Map<?, ?> declared) {
      declared.keySet().forEach(k -> known.add(String.valueOf(k)));
    }
    known.addAll(CommandObjective.BUILT_IN_PLACEHOLDERS);
    List<Object> elements = command.orElse(List.of());
    for (int i = 0; i < elements.size(); i++) {
      Object element = elements.get(i);
      String path = "objective.command[" + i + "]";
      if (!(element instanceof String || element instanceof Number || element instanceof Boolean)) {
        o.problems()
            .add(path, "must be a single argument (text), got " + Section.describe(element));
        continue;
      }
      String arg = String.valueOf(element);
      argv.add(arg);
      for (String placeholder : ArgumentTemplate.of(arg).placeholders()) {
        if (!known.contains(placeholder)) {
          o.problems()
              .add(
                  path,
                  "unknown placeholder {"
                      + placeholder
                      + "}"
                      + Suggestions.hint(placeholder, known)
                      + " (known: "
                      + String.join(", ", known)
                      + ")");
        }
      }
    }
    // Declared parameters that were invalid are reported where they are, not as a missing space.
    if (space.isEmpty() && !(top.raw("space") instanceof Map<?, ?> m && !m.isEmpty())) {
      o.problems()
          .add("space", "missing; a command objective needs its parameters declared under space");
    }
    Optional<Duration> timeout = o.duration("timeout");
    Map<String, String> env = new LinkedHashMap<>();
    o.section("env")
        .ifPresent(
            e -> {
              for (String key : e.keys()) {
                e.string(key).ifPresent(v -> env.put(key, v));
              }
            });
    Optional<String> checkpoints = Optional.empty();
    if (o.has("checkpoints")) {
      if (o.raw("checkpoints") instanceof String dir && !dir.isBlank()) {
        checkpoints = Optional.of(dir);
      } else {
        o.problem(
            "checkpoints",
            "must be a directory path (relative to the study file), e.g. checkpoints: /shared/ckpt,"
                + " or mlflow (the study run's artifacts), got "
                + Section.describe(o.raw("checkpoints")));
      }
    }
    if (argv.isEmpty()) {
      return null;
    }
    return new ObjectiveSpec.Command(argv, timeout, env, checkpoints, noisy);
  }

  private static List<MetricConstraint> constraints(Section top) {
    List<Object> items = top.list("constraints").orElse(List.of());
    List<MetricConstraint> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Optional<Section> item = Section.of(items.get(i), "constraints[" + i + "]", top.problems());
      if (item.isEmpty()) {
        continue;
      }
      Section c = item.get();
      c.allowOnly(CONSTRAINT_KEYS);
      int before = c.problems().size();
      c.require("metric", "the reported metric to bound, e.g. metric: latency_ms");
      Optional<String> metric = c.string("metric");
      Double max = c.number("max").orElse(null);
      Double min = c.number("min").orElse(null);
      if (!c.has("max") && !c.has("min")) {
        c.problems().add(c.path(), "give max, min or both, e.g. {metric: latency_ms, max: 5}");
        continue;
      }
      if (max != null && min != null && min > max) {
        c.problem("min", "must not exceed max (" + max + "), got " + min);
      }
      if (metric.isPresent() && c.problems().size() == before) {
        out.add(new MetricConstraint(metric.get(), max, min));
      }
    }
    return out;
  }
}
