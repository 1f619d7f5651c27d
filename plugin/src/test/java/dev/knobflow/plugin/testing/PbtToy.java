package dev.knobflow.plugin.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knobflow.optimizers.Checkpoint;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.schedulers.pbt.PbtScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The PBT tests' shared fixture: the PBT paper's toy problem (section 4.1) as a Python command
 * objective keeping its state in the checkpoint directories Knobflow hands it, a builder of its
 * study file, and the checks every PBT test makes of the stored segments.
 *
 * <p>The command prints {@code q} (the objective), {@code reached} (the step its state reached),
 * {@code restored} (the trial that wrote the state it started from, -1 from scratch), {@code
 * worker} (the id in a {@code worker.id} file of its working directory, 0 without one) and {@code
 * restored_worker} (the id of the worker that wrote the state it started from, -1 from scratch). A
 * directory holding a {@code gated} file makes every segment wait for a {@code go} file there
 * before training, so a test can hold segments of several processes running at once.
 */
public final class PbtToy {

  /** The objective's name. */
  public static final String OBJECTIVE = "q";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SCRIPT =
      """
      import json, os, sys, time
      h0, h1 = float(sys.argv[1]), float(sys.argv[2])
      budget = int(float(os.environ["KNOBFLOW_BUDGET"]))
      worker = int(open("worker.id").read()) if os.path.exists("worker.id") else 0
      while os.path.exists("gated") and not os.path.exists("go"):
          time.sleep(0.02)
      state = {"theta": [0.9, 0.9], "step": 0, "trials": [], "workers": []}
      restore = os.environ.get("KNOBFLOW_RESTORE_DIR")
      if restore:
          with open(os.path.join(restore, "state.json")) as f:
              state = json.load(f)
      restored = state["trials"][-1] if state["trials"] else -1
      restored_worker = state["workers"][-1] if state["workers"] else -1
      theta = state["theta"]
      while state["step"] < budget:
          theta[0] += 0.01 * (-2 * h0 * theta[0])
          theta[1] += 0.01 * (-2 * h1 * theta[1])
          state["step"] += 1
      state["trials"].append(int(os.environ["KNOBFLOW_TRIAL_NUMBER"]))
      state["workers"].append(worker)
      with open(os.path.join(os.environ["KNOBFLOW_CHECKPOINT_DIR"], "state.json"), "w") as f:
          json.dump(state, f)
      q = 1.2 - theta[0] ** 2 - theta[1] ** 2
      print(json.dumps({"q": q, "reached": state["step"], "restored": restored,
                        "worker": worker, "restored_worker": restored_worker}))
      """;

  private PbtToy() {}

  /** The regular files under {@code root}, none when it does not exist. */
  public static List<Path> filesUnder(Path root) {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A study file for the toy problem named {@code name}, with the defaults of {@link Study}. */
  public static Study study(String name) {
    return new Study(name);
  }

  /** Writes the toy command as {@code toy.py} into {@code dir} (created if missing). */
  public static Path writeScript(Path dir) {
    try {
      return Files.writeString(Files.createDirectories(dir).resolve("toy.py"), SCRIPT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The study file of the toy problem: two float hyperparameters, {@code q} maximised. */
  public static final class Study {
    private final String name;
    private String storage = "journal:journal.jsonl";
    private String tracking;
    private int population = 4;
    private double interval = 5;
    private double quantile = 0.25;
    private Double maxBudget;
    private Double trainedBudget;
    private int trials = 24;
    private Integer parallelism;
    private String checkpoints = "ckpt";

    private Study(String name) {
      this.name = name;
    }

    /** The {@code storage} value; default {@code journal:journal.jsonl}. */
    public Study storage(String storage) {
      this.storage = storage;
      return this;
    }

    /** A {@code tracking} section on the MLflow server at {@code uri}, experiment = name. */
    public Study tracking(String uri) {
      this.tracking = "{uri: '%s', experiment: '%s'}".formatted(uri, name);
      return this;
    }

    /** PBT's population and interval (default 4 and 5). */
    public Study pbt(int population, double interval) {
      this.population = population;
      this.interval = interval;
      return this;
    }

    /** PBT's quantile; default 0.25. */
    public Study quantile(double quantile) {
      this.quantile = quantile;
      return this;
    }

    /** PBT's max_budget; none by default. */
    public Study maxBudget(double maxBudget) {
      this.maxBudget = maxBudget;
      return this;
    }

    /** The study's {@code budget: {trained: N}}; none by default. */
    public Study trainedBudget(double trained) {
      this.trainedBudget = trained;
      return this;
    }

    /** The trial target; default 24. */
    public Study trials(int trials) {
      this.trials = trials;
      return this;
    }

    /** The study's parallelism; the file leaves it out by default. */
    public Study parallelism(int parallelism) {
      this.parallelism = parallelism;
      return this;
    }

    /** {@code objective.checkpoints}: a directory or {@code mlflow}; default {@code ckpt}. */
    public Study checkpoints(String checkpoints) {
      this.checkpoints = checkpoints;
      return this;
    }

    /** The interval. */
    public double interval() {
      return interval;
    }

    /** The study file's text. */
    public String yaml() {
      StringBuilder b = new StringBuilder();
      b.append("name: ").append(name).append('\n');
      b.append("storage: ").append(storage).append('\n');
      if (tracking != null) {
        b.append("tracking: ").append(tracking).append('\n');
      }
      b.append(
          """
          seed: 4
          objectives: [{name: q, direction: maximize}]
          space:
            h0: {type: float, low: 0, high: 1}
            h1: {type: float, low: 0, high: 1}
          """);
      b.append("scheduler: {type: pbt, population: ")
          .append(population)
          .append(", interval: ")
          .append(number(interval))
          .append(", quantile: ")
          .append(number(quantile));
      if (maxBudget != null) {
        b.append(", max_budget: ").append(number(maxBudget));
      }
      b.append("}\n");
      if (trainedBudget != null) {
        b.append("budget: {trained: ").append(number(trainedBudget)).append("}\n");
      }
      b.append("trials: ").append(trials).append('\n');
      if (parallelism != null) {
        b.append("parallelism: ").append(parallelism).append('\n');
      }
      b.append("objective: {command: [python3, toy.py, \"{h0}\", \"{h1}\"], checkpoints: ")
          .append(checkpoints)
          .append("}\n");
      return b.toString();
    }

    /** Writes {@code toy.py} and {@code study.yaml} into {@code dir}; returns the study file. */
    public Path writeTo(Path dir) {
      writeScript(dir);
      try {
        return Files.writeString(dir.resolve("study.yaml"), yaml());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static String number(double v) {
      return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
  }

  /** What {@link #assertSegmentsContinueTheirParents} counted. */
  public record Segments(Map<Integer, FrozenTrial> byNumber, int exploits, int handedOver) {}

  /**
   * Every trial completed, and every segment trained one {@code interval} beyond the state it
   * started from, which is the state its parent segment saved ({@code restored} is the parent, the
   * donor on an exploit): a first segment starts from scratch.
   *
   * @return the trials by number, how many exploited, and how many started from a state another
   *     worker (by the {@code worker} metric) wrote
   */
  public static Segments assertSegmentsContinueTheirParents(
      List<FrozenTrial> trials, double interval) {
    Map<Integer, FrozenTrial> byNumber =
        trials.stream()
            .collect(Collectors.toMap(FrozenTrial::number, t -> t, (a, b) -> a, TreeMap::new));
    int exploits = 0;
    int handedOver = 0;
    for (FrozenTrial t : trials) {
      assertEquals(TrialState.COMPLETE, t.state(), "trial " + t.number() + ": " + t.failReason());
      Object parent = t.systemAttrs().get(Checkpoint.PARENT_ATTR);
      if (parent == null) {
        assertEquals(-1.0, t.metrics().get("restored"), "trial " + t.number() + " from scratch");
        assertEquals(interval, t.metrics().get("reached"), "a first segment trains one interval");
        continue;
      }
      FrozenTrial from = byNumber.get(((Number) parent).intValue());
      assertEquals(
          (double) from.number(),
          t.metrics().get("restored"),
          "trial " + t.number() + " starts from the state its parent saved");
      assertEquals(
          from.metrics().get("worker"),
          t.metrics().get("restored_worker"),
          "trial " + t.number() + ": the worker that wrote the parent's state");
      assertEquals(
          from.metrics().get("reached") + interval,
          t.metrics().get("reached"),
          "trial " + t.number() + " resumed " + from.number());
      if (t.systemAttrs().containsKey(PbtScheduler.EXPLOIT_ATTR)) {
        exploits++;
      }
      if (!from.metrics().get("worker").equals(t.metrics().get("worker"))) {
        handedOver++;
      }
    }
    return new Segments(byNumber, exploits, handedOver);
  }

  /** Each member's latest segment (its highest generation). */
  public static List<FrozenTrial> latestPerMember(List<FrozenTrial> trials) {
    Map<Integer, FrozenTrial> latest = new TreeMap<>();
    for (FrozenTrial t : trials) {
      latest.merge(
          ((Number) t.systemAttrs().get(PbtScheduler.MEMBER_ATTR)).intValue(),
          t,
          (x, y) -> generation(x) >= generation(y) ? x : y);
    }
    return new ArrayList<>(latest.values());
  }

  /** The checkpoint names ({@code trial-<number>}) of each member's latest segment. */
  public static Set<String> latestCheckpointNames(List<FrozenTrial> trials) {
    return latestPerMember(trials).stream()
        .map(t -> "trial-" + t.number())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The toy study ({@code q} maximised) as a scheduler or listener reads {@code trials}. */
  public static StudyView view(String name, List<FrozenTrial> trials) {
    List<FrozenTrial> copy = List.copyOf(trials);
    return new StudyView() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<Objective> objectives() {
        return List.of(Objective.maximize(OBJECTIVE));
      }

      @Override
      public List<FrozenTrial> trials() {
        return copy;
      }

      @Override
      public List<FrozenTrial> trials(Set<TrialState> states) {
        return copy.stream().filter(t -> states.contains(t.state())).toList();
      }

      @Override
      public SearchSpace declaredSpace() {
        return SearchSpace.empty();
      }
    };
  }

  private static int generation(FrozenTrial t) {
    return ((Number) t.systemAttrs().get(PbtScheduler.GENERATION_ATTR)).intValue();
  }

  /**
   * {@code show --format json}'s output: every trial in {@code states} names its PBT member, and
   * every lineage points at the segment's parent, a completed one.
   *
   * @return how many trials have a lineage
   */
  public static int assertShowLineage(String showJson, Map<Integer, FrozenTrial> byNumber)
      throws IOException {
    int lineages = 0;
    for (JsonNode t : JSON.readTree(showJson).get("trials")) {
      if (!"COMPLETE".equals(t.get("state").asText())) {
        continue;
      }
      assertTrue(t.has("pbt"), t.toString());
      if (t.has("lineage")) {
        lineages++;
        int from = t.get("lineage").get("from_trial").asInt();
        assertEquals(t.get("parent_trial").asInt(), from, t.toString());
        assertEquals(TrialState.COMPLETE, byNumber.get(from).state(), "exploited a complete one");
      }
    }
    return lineages;
  }
}
