package dev.knobflow.plugin.objective;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.knobflow.optimizers.ObjectiveFunction;
import dev.knobflow.optimizers.Trial;
import dev.knobflow.optimizers.TrialPrunedException;
import dev.knobflow.optimizers.TrialResult;
import dev.knobflow.optimizers.storage.TrialOutcome;
import dev.knobflow.plugin.energy.TrialCpuTime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a trial by running an external command, so that programs in any language can be tuned.
 *
 * <p>The protocol:
 *
 * <ul>
 *   <li>{@code {param}} placeholders in the arguments are replaced by the trial's values (and
 *       {@code {trial_number}}, {@code {study}}, {@code {budget}}); the parameters are also given
 *       as JSON in {@code KNOBFLOW_PARAMS}, with {@code KNOBFLOW_TRIAL_NUMBER}, {@code
 *       KNOBFLOW_STUDY} and, when a scheduler granted one, {@code KNOBFLOW_BUDGET}.
 *   <li>Every stdout line that is a JSON object is a metric record. With a {@code "step"} key it is
 *       an intermediate record: reported to the study when it holds every objective, its other keys
 *       kept in the user attribute {@value #INTERMEDIATE_METRICS_ATTR}. Without {@code "step"} it
 *       is the final record (the last one wins): the objective values, extra metrics, and an
 *       optional {@code "constraints"} list.
 *   <li>Other stdout lines and all of stderr go to the log, tagged with the trial number.
 *   <li>A non-zero exit code, a missing objective value or a timeout fails the trial with the
 *       reason and the last lines of stderr. A timeout ends the whole process tree.
 * </ul>
 *
 * <p>The working directory is the one given (the study file's directory for study files).
 */
public final class CommandObjective
    implements ObjectiveFunction, AutoCloseable, TrialCpuTime.Provider {

  /** Placeholders always available besides the parameters. */
  public static final List<String> BUILT_IN_PLACEHOLDERS =
      List.of("trial_number", "study", "budget");

  /** The user attribute holding the non-objective keys of intermediate records, by step. */
  public static final String INTERMEDIATE_METRICS_ATTR = "intermediate_metrics";

  private static final Logger LOG = LoggerFactory.getLogger(CommandObjective.class);
  // Big decimals keep an overflowing literal (1e309) as written for the fail reason; NaN and
  // Infinity tokens (Python's json.dumps writes them) are read so the reason can name them.
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();
  private static final int STDERR_TAIL_LINES = 5;

  private final List<ArgumentTemplate> command;
  private final List<String> objectiveNames;
  private final Path workingDirectory;
  private final Duration timeout;
  private final Duration killGrace;
  private final Map<String, String> environment;
  private final Function<Trial, Map<String, String>> trialEnvironment;
  private final CheckpointDirectories checkpoints;
  private final Set<Process> running = ConcurrentHashMap.newKeySet();
  private final Map<Integer, Duration> cpuTimes = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private volatile boolean closed;

  private CommandObjective(Builder b) {
    this.command = ArgumentTemplate.ofAll(b.command);
    this.objectiveNames = List.copyOf(b.objectiveNames);
    this.workingDirectory = b.workingDirectory;
    this.timeout = b.timeout;
    this.killGrace = b.killGrace;
    this.environment = Map.copyOf(b.environment);
    this.trialEnvironment = b.trialEnvironment;
    this.checkpoints = b.checkpoints;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "knobflow-command-timeout");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts describing a command objective.
   *
   * @param command the argument vector, with {@code {param}} placeholders
   * @param objectiveNames the study's objectives in order
   */
  public static Builder builder(List<String> command, List<String> objectiveNames) {
    return new Builder(command, objectiveNames);
  }

  @Override
  public TrialResult evaluate(Trial trial) throws Exception {
    if (closed) {
      throw new ObjectiveCommandException("interrupted before the command started");
    }
    List<String> argv = arguments(trial);
    boolean supervised = ProcessSupervisor.available();
    cpuTimes.remove(trial.number());
    Path timesFile = supervised ? cpuTimesFile() : null;
    ProcessBuilder pb =
        new ProcessBuilder(supervised ? ProcessSupervisor.wrap(argv, killGrace, timesFile) : argv)
            .directory(workingDirectory.toFile());
    pb.environment().putAll(environment);
    pb.environment().putAll(trialEnvironment.apply(trial));
    if (checkpoints != null) {
      pb.environment().putAll(checkpoints.environmentFor(trial));
    }
    pb.environment().put("KNOBFLOW_PARAMS", JSON.writeValueAsString(trial.params()));
    pb.environment().put("KNOBFLOW_TRIAL_NUMBER", Integer.toString(trial.number()));
    pb.environment().put("KNOBFLOW_STUDY", trial.studyName());
    OptionalDouble budget = trial.budget();
    if (budget.isPresent()) {
      pb.environment().put("KNOBFLOW_BUDGET", ArgumentTemplate.format(budget.getAsDouble()));
    }
    if (supervised) {
      // The supervisor's shell would start; say what ProcessBuilder would have said.
      Optional<String> problem =
          ProcessSupervisor.cannotRun(argv.get(0), workingDirectory, pb.environment().get("PATH"));
      if (problem.isPresent()) {
        throw new ObjectiveCommandException(
            "cannot start " + argv.get(0) + " in " + workingDirectory + ": " + problem.get());
      }
    }
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      deleteQuietly(timesFile);
      throw new ObjectiveCommandException(
          "cannot start " + argv.get(0) + " in " + workingDirectory + ": " + e.getMessage());
    }
    running.add(process);
    if (closed) {
      // close() ran between the check above and add(): it could not see this process.
      stop(process);
    }
    try {
      TrialResult result = run(trial, process);
      if (checkpoints != null) {
        checkpoints.afterTrial(trial);
      }
      return result;
    } finally {
      running.remove(process);
      if (process.isAlive()) {
        stop(process);
      }
      if (checkpoints != null) {
        checkpoints.release(trial);
      }
      recordCpuTime(trial, timesFile);
    }
  }

  /**
   * The CPU time of each trial's command and the descendants it waited for, as its supervisor
   * counted it when the command exited (user plus system time, from the shell's {@code times}).
   * Unknown (empty) when the command was not supervised (no {@code setsid}, not Linux) or was
   * stopped before it exited (timeout, pruning, interruption). What the CPU-time energy estimate
   * reads; each trial's time is handed out once.
   */
  @Override
  public TrialCpuTime cpuTime() {
    return trial -> () -> Optional.ofNullable(cpuTimes.remove(trial.number()));
  }

  private static Path cpuTimesFile() throws ObjectiveCommandException {
    try {
      return Files.createTempFile("knobflow-cpu-", ".times");
    } catch (IOException e) {
      throw new ObjectiveCommandException("cannot create a temporary file: " + e.getMessage());
    }
  }

  private void recordCpuTime(Trial trial, Path timesFile) {
    if (timesFile == null) {
      return;
    }
    try {
      ProcessSupervisor.childCpuTime(Files.readString(timesFile))
          .ifPresent(d -> cpuTimes.put(trial.number(), d));
    } catch (IOException e) {
      LOG.debug("trial {}: no CPU times: {}", trial.number(), e.toString());
    } finally {
      deleteQuietly(timesFile);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", file, e.toString());
    }
  }

  private List<String> arguments(Trial trial) throws ObjectiveCommandException {
    Map<String, Object> values = new LinkedHashMap<>(trial.params());
    values.put("trial_number", trial.number());
    values.put("study", trial.studyName());
    trial.budget().ifPresent(b -> values.put("budget", b));
    List<String> argv = new ArrayList<>(command.size());
    for (ArgumentTemplate t : command) {
      try {
        argv.add(t.fill(values));
      } catch (IllegalArgumentException e) {
        String hint =
            t.placeholders().contains("budget") && trial.budget().isEmpty()
                ? " (no scheduler granted this trial a budget)"
                : "";
        throw new ObjectiveCommandException(e.getMessage() + hint);
      }
    }
    return argv;
  }

  private TrialResult run(Trial trial, Process process) throws Exception {
    int number = trial.number();
    StderrTail stderr = new StderrTail(process.getErrorStream(), number);
    stderr.start();
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> deadline = null;
    if (timeout != null) {
      deadline =
          timer.schedule(
              () -> {
                timedOut.set(true);
                LOG.warn("trial {}: the command ran past {}, stopping it", number, timeout);
                stop(process);
              },
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
    }
    Records records = new Records(trial);
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        records.accept(line);
        if (records.pruned && process.isAlive()) {
          stop(process);
        }
      }
    } finally {
      if (deadline != null) {
        deadline.cancel(false);
      }
    }
    int exit = process.waitFor();
    stderr.join(TimeUnit.SECONDS.toMillis(5));
    records.saveIntermediateMetrics();
    if (records.pruned) {
      throw new TrialPrunedException("pruned at step " + records.lastStep);
    }
    if (timedOut.get()) {
      throw failure("timed out after " + timeout + " and was stopped", stderr);
    }
    if (closed) {
      throw failure("interrupted", stderr);
    }
    if (exit != 0) {
      throw failure("the command exited with code " + exit, stderr);
    }
    if (records.last == null) {
      throw failure(
          "the command printed no final metrics record (a JSON object line without \"step\","
              + " e.g. {\""
              + objectiveNames.get(0)
              + "\": 0.5})",
          stderr);
    }
    for (String name : objectiveNames) {
      JsonNode raw = records.last.raw.get(name);
      Double value = records.last.values.get(name);
      if (raw == null) {
        throw failure(
            "the final metrics record has no value for objective '"
                + name
                + "' (it has "
                + (records.last.raw.isEmpty()
                    ? "no keys"
                    : "only " + String.join(", ", fieldNames(records.last.raw)))
                + ")",
            stderr);
      }
      if (value == null) {
        throw failure(
            "the final metrics record's objective '"
                + name
                + "' is "
                + abbreviate(raw.toString())
                + ", not a number",
            stderr);
      }
      if (!Double.isFinite(value)) {
        throw failure(
            "the final metrics record's objective '"
                + name
                + "' is "
                + (raw.isNumber() && !raw.isBigDecimal() ? value : abbreviate(raw.toString()))
                + (raw.isBigDecimal() ? " (beyond the range of a double: " + value + ")" : "")
                + "; "
                + TrialOutcome.FINITE_RULE,
            stderr);
      }
    }
    String badConstraint = TrialOutcome.nonFinite("constraint", records.last.constraints);
    if (badConstraint != null) {
      throw failure("the final metrics record's " + badConstraint, stderr);
    }
    return TrialResult.ofNamed(records.last.values).withConstraints(records.last.constraints);
  }

  private static ObjectiveCommandException failure(String reason, StderrTail stderr) {
    List<String> tail = stderr.lines();
    if (tail.isEmpty()) {
      return new ObjectiveCommandException(reason);
    }
    return new ObjectiveCommandException(
        reason + "; last stderr lines: " + String.join(" | ", tail));
  }

  /** Stops every running command (their trials fail); used on Ctrl-C and when done. */
  @Override
  public void close() {
    closed = true;
    for (Process p : List.copyOf(running)) {
      stop(p);
    }
    timer.shutdownNow();
  }

  /** Ends a command's process group (through its supervisor) and its process tree. */
  private void stop(Process process) {
    ProcessSupervisor.release(process);
    ProcessTree.terminate(process.toHandle(), killGrace);
  }

  /** The commands running right now. */
  public int runningCount() {
    return running.size();
  }

  /** A final metrics record. */
  private record FinalRecord(Map<String, Double> values, List<Double> constraints, JsonNode raw) {}

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The longest line or value logged or quoted whole; longer ones are cut with a note. */
  static final int MAX_LOGGED_CHARS = 2000;

  /** {@code text} itself, or its first {@link #MAX_LOGGED_CHARS} characters and a note. */
  static String abbreviate(String text) {
    if (text.length() <= MAX_LOGGED_CHARS) {
      return text;
    }
    return text.substring(0, MAX_LOGGED_CHARS)
        + "... ("
        + (text.length() - MAX_LOGGED_CHARS)
        + " more characters not shown)";
  }

  /** Reads stdout lines into intermediate reports and the final record. */
  private final class Records {
    private final Trial trial;
    private final Map<String, Map<String, Double>> intermediateMetrics = new TreeMap<>();
    private FinalRecord last;
    private long lastStep = -1;
    private boolean pruned;

    Records(Trial trial) {
      this.trial = trial;
    }

    void accept(String line) {
      if (pruned) {
        // Lines still in the pipe after the prune: the trial ends as it stood at the prune's step.
        return;
      }
      Optional<JsonNode> record = parseRecord(line);
      if (record.isEmpty()) {
        LOG.info("trial {}: {}", trial.number(), abbreviate(line));
        return;
      }
      JsonNode node = record.get();
      JsonNode step = node.get("step");
      if (step != null) {
        intermediate(step, node, line);
      } else {
        last = finalRecord(node);
      }
    }

    private void intermediate(JsonNode stepNode, JsonNode node, String line) {
      if (!stepNode.canConvertToLong() || stepNode.asLong() < 0 || !stepNode.isIntegralNumber()) {
        LOG.warn(
            "trial {}: \"step\" must be a whole number >= 0, ignoring: {}",
            trial.number(),
            abbreviate(line));
        return;
      }
      long step = stepNode.asLong();
      Map<String, Double> numbers = numbers(node, "step");
      if (numbers.keySet().containsAll(objectiveNames)) {
        double[] values = objectiveNames.stream().mapToDouble(numbers::get).toArray();
        try {
          trial.report(step, values);
          lastStep = step;
          if (trial.shouldPrune()) {
            pruned = true;
            // Logged once; a listener that asked for the prune (the advisor) logged it already.
            if (trial.pruneRequested()) {
              LOG.debug("trial {}: pruned at step {} on request", trial.number(), step);
            } else {
              LOG.info("trial {}: pruned at step {}", trial.number(), step);
            }
          }
        } catch (IllegalArgumentException e) {
          LOG.warn("trial {}: cannot report step {}: {}", trial.number(), step, e.getMessage());
        }
        objectiveNames.forEach(numbers::remove);
      }
      if (!numbers.isEmpty()) {
        intermediateMetrics
            .computeIfAbsent(Long.toString(step), k -> new LinkedHashMap<>())
            .putAll(numbers);
      }
    }

    private FinalRecord finalRecord(JsonNode node) {
      List<Double> constraints = new ArrayList<>();
      JsonNode list = node.get("constraints");
      if (list != null) {
        if (list.isArray()) {
          for (JsonNode c : list) {
            number(c)
                .ifPresentOrElse(
                    constraints::add,
                    () ->
                        LOG.warn(
                            "trial {}: ignoring a constraint value that is not a number: {}",
                            trial.number(),
                            c));
          }
        } else {
          number(list).ifPresent(constraints::add);
        }
      }
      return new FinalRecord(numbers(node, "constraints"), constraints, node);
    }

    private Map<String, Double> numbers(JsonNode node, String skip) {
      Map<String, Double> out = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (f.getKey().equals(skip)) {
          continue;
        }
        Optional<Double> v = number(f.getValue());
        if (v.isPresent()) {
          out.put(f.getKey(), v.get());
        } else {
          LOG.debug(
              "trial {}: ignoring non-numeric metric {}={}",
              trial.number(),
              f.getKey(),
              f.getValue());
        }
      }
      return out;
    }

    void saveIntermediateMetrics() {
      if (!intermediateMetrics.isEmpty()) {
        try {
          trial.setUserAttr(INTERMEDIATE_METRICS_ATTR, intermediateMetrics);
        } catch (RuntimeException e) {
          LOG.warn(
              "trial {}: cannot store intermediate metrics: {}", trial.number(), e.getMessage());
        }
      }
    }
  }

  private static Optional<JsonNode> parseRecord(String line) {
    String t = line.trim();
    if (!t.startsWith("{") || !t.endsWith("}")) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(t);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** A number, or numeric text such as {@code "NaN"}; empty otherwise. */
  private static Optional<Double> number(JsonNode v) {
    if (v.isNumber()) {
      return Optional.of(v.doubleValue());
    }
    if (v.isTextual()) {
      try {
        return Optional.of(Double.parseDouble(v.textValue().trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Logs stderr and keeps its last lines for the fail reason. */
  private static final class StderrTail extends Thread {
    private final InputStream stream;
    private final int trialNumber;
    private final Deque<String> tail = new ArrayDeque<>();

    StderrTail(InputStream stream, int trialNumber) {
      super("knobflow-trial-" + trialNumber + "-stderr");
      setDaemon(true);
      this.stream = stream;
      this.trialNumber = trialNumber;
    }

    @Override
    public void run() {
      try (BufferedReader err =
          new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = err.readLine()) != null) {
          LOG.info("trial {} stderr: {}", trialNumber, abbreviate(line));
          synchronized (tail) {
            tail.addLast(line.length() > 300 ? line.substring(0, 300) + "..." : line);
            if (tail.size() > STDERR_TAIL_LINES) {
              tail.removeFirst();
            }
          }
        }
      } catch (IOException e) {
        LOG.debug("trial {}: stderr closed: {}", trialNumber, e.getMessage());
      }
    }

    List<String> lines() {
      synchronized (tail) {
        return List.copyOf(tail);
      }
    }
  }

  /** Describes a {@link CommandObjective}. */
  public static final class Builder {
    private final List<String> command;
    private final List<String> objectiveNames;
    private Path workingDirectory = Path.of("").toAbsolutePath();
    private Duration timeout;
    private Duration killGrace = Duration.ofSeconds(5);
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Function<Trial, Map<String, String>> trialEnvironment = t -> Map.of();
    private CheckpointDirectories checkpoints;

    private Builder(List<String> command, List<String> objectiveNames) {
      if (command.isEmpty()) {
        throw new IllegalArgumentException("command: must name a program");
      }
      if (objectiveNames.isEmpty()) {
        throw new IllegalArgumentException("objectiveNames: at least one");
      }
      this.command = List.copyOf(command);
      this.objectiveNames = List.copyOf(objectiveNames);
    }

    /** The command's working directory; default the current directory. */
    public Builder workingDirectory(Path dir) {
      this.workingDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** A per-trial time limit; none by default. */
    public Builder timeout(Duration limit) {
      this.timeout = limit;
      return this;
    }

    /** How long a stopped command may take to exit before it is killed; default 5s. */
    public Builder killGrace(Duration grace) {
      this.killGrace = Objects.requireNonNull(grace, "grace");
      return this;
    }

    /** Extra environment variables. */
    public Builder environment(Map<String, String> env) {
      this.environment.putAll(env);
      return this;
    }

    /**
     * Extra environment variables computed per trial (e.g. {@code CUDA_VISIBLE_DEVICES} for the
     * GPUs the trial's worker slot owns); applied after {@link #environment(Map)}.
     */
    public Builder environmentFor(Function<Trial, Map<String, String>> perTrial) {
      this.trialEnvironment = Objects.requireNonNull(perTrial, "perTrial");
      return this;
    }

    /**
     * Gives trials with a budget checkpoint directories under {@code dirs} ({@link
     * CheckpointDirectories}); none by default.
     */
    public Builder checkpoints(CheckpointDirectories dirs) {
      this.checkpoints = dirs;
      return this;
    }

    public CommandObjective build() {
      return new CommandObjective(this);
    }
  }
}
