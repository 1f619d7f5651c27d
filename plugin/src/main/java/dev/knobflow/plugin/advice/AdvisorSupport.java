package dev.knobflow.plugin.advice;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.knobflow.advisor.Advice;
import dev.knobflow.advisor.AdviceAction;
import dev.knobflow.advisor.AdviceRequest;
import dev.knobflow.advisor.Advisor;
import dev.knobflow.advisor.diagnostics.CompletedCurves;
import dev.knobflow.advisor.diagnostics.Curve;
import dev.knobflow.advisor.diagnostics.CurveDiagnostics;
import dev.knobflow.advisor.diagnostics.Diagnosis;
import dev.knobflow.advisor.diagnostics.DiagnosisKind;
import dev.knobflow.advisor.llm.ConsultationLedger;
import dev.knobflow.advisor.llm.LlmAdvisor;
import dev.knobflow.advisor.report.AdviceReport;
import dev.knobflow.advisor.report.Consultation;
import dev.knobflow.advisor.rules.RoleResolver;
import dev.knobflow.advisor.rules.RuleBasedAdvisor;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.SpaceOverride;
import dev.knobflow.optimizers.SpaceOverrides;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.StudyListener;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The advisor as a study listener. On every reported intermediate value it diagnoses the trial's
 * curve (in the monitored objective's direction); when the curve is not healthy, and this trial has
 * not yet been consulted for that kind of problem, it asks the advisor (the rules, or an LLM that
 * falls back to them) and reports the advice. In {@link AdvisorMode#APPLY apply} mode it also acts:
 * a stop action prunes the trial ({@link Study#requestPrune}; the objective sees {@code
 * trial.shouldPrune()} true, and what it reports after the step of the decision is not kept), a
 * range action narrows the parameter for every later trial ({@link Study#overrideRange}, kept in
 * storage with the advice that caused it), widened where needed so that it still contains the value
 * of the study's best trial (every Pareto-optimal trial in a multi-objective study).
 *
 * <pre>{@code
 * AdvisorSupport advisor = AdvisorSupport.builder()
 *     .mode(AdvisorMode.APPLY)
 *     .advisor(RuleBasedAdvisor.withDefaults())
 *     .reportTo(LocalReportSink.under(Path.of("reports")))
 *     .build();
 * Study study = Study.builder("demo").listener(advisor).build();
 * }</pre>
 *
 * <p>Thread-safe: trials running in parallel are diagnosed on their own threads.
 */
public final class AdvisorSupport implements StudyListener {

  private static final Logger LOG = LoggerFactory.getLogger(AdvisorSupport.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AdvisorMode mode;
  private final Advisor advisor;
  private final CurveDiagnostics diagnostics;
  private final String monitor;
  private final int curveCap;
  private final List<ReportSink> sinks;
  private final Clock clock;
  private final ConsultationLedger consulted = new ConsultationLedger(Integer.MAX_VALUE);
  private final List<AdvisorReport> reports = new ArrayList<>();
  private final Map<Integer, List<AdvisorReport>> byTrial = new LinkedHashMap<>();
  // Per study and monitored objective: the completed trials' curves, for median stopping.
  private final Map<String, CompletedCurves> completed = new ConcurrentHashMap<>();

  private AdvisorSupport(Builder b) {
    this.mode = b.mode;
    this.advisor = b.advisor != null ? b.advisor : RuleBasedAdvisor.withDefaults();
    this.diagnostics = b.diagnostics;
    this.monitor = b.monitor;
    this.curveCap = b.curveCap;
    this.sinks = List.copyOf(b.sinks);
    this.clock = b.clock;
  }

  /** Starts configuring an advisor listener. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The advisor a study file's {@code advisor:} block describes: the rules with its roles, or an
   * LLM (key looked up through {@code environment}) with the rules as fallback.
   */
  public static Builder fromSpec(AdvisorSpec spec, Function<String, String> environment) {
    RuleBasedAdvisor rules =
        RuleBasedAdvisor.of(
            RoleResolver.fromConfig(spec.roles()), RuleBasedAdvisor.Settings.defaults());
    Advisor advisor =
        spec.llm()
            .<Advisor>map(
                llm ->
                    LlmAdvisor.create(
                        llm, new ConsultationLedger(llm.maxCalls()), rules, environment))
            .orElse(rules);
    return builder()
        .mode(spec.mode())
        .advisor(advisor)
        .diagnostics(CurveDiagnostics.of(spec.diagnostics()));
  }

  /** The mode. */
  public AdvisorMode mode() {
    return mode;
  }

  /** Where reports go. */
  public List<ReportSink> sinks() {
    return sinks;
  }

  /** Every consultation so far, in order. */
  public synchronized List<AdvisorReport> reports() {
    return List.copyOf(reports);
  }

  @Override
  public void intermediateValueReported(
      StudyView study, FrozenTrial trial, long step, List<Double> values) {
    if (trial.systemAttrs().containsKey(Study.PRUNE_REQUEST_ATTR)) {
      return; // already asked to stop: its last lines are no news
    }
    int index = objectiveIndex(study);
    Objective objective = study.objectives().get(index);
    Curve curve = AdviceRequests.curve(trial, index);
    dev.knobflow.advisor.space.Direction direction =
        AdviceRequests.direction(objective.direction());
    Diagnosis diagnosis =
        diagnostics.diagnose(curve, direction, completedCurves(study, index, direction));
    if (diagnosis.kind() == DiagnosisKind.HEALTHY
        || consulted.tryAcquire(trial.number(), diagnosis.kind())
            != ConsultationLedger.Decision.GRANTED) {
      return;
    }
    Study live = study instanceof Study s ? s : null;
    SpaceOverrides overrides = live == null ? SpaceOverrides.none() : live.spaceOverrides();
    AdviceRequest request =
        AdviceRequests.request(study, trial, index, curve, diagnosis, overrides, curveCap);
    Advice advice = advisor.advise(request);
    Consultation consultation = new Consultation(request, advice, Instant.now(clock).toString());
    List<String> applied = apply(live, trial, step, consultation);
    LOG.info(
        "advisor, trial {} step {}: {} ({}) -> {}",
        trial.number(),
        step,
        diagnosis.kind(),
        diagnosis.evidence().rule(),
        String.join("; ", applied));
    AdvisorReport report =
        new AdvisorReport(
            consultation, applied, markdown(consultation, applied), json(consultation, applied));
    List<AdvisorReport> ofTrial;
    synchronized (this) {
      reports.add(report);
      byTrial.computeIfAbsent(trial.number(), n -> new ArrayList<>()).add(report);
      ofTrial = List.copyOf(byTrial.get(trial.number()));
    }
    for (ReportSink sink : sinks) {
      try {
        sink.trialReport(study, trial, report, ofTrial);
      } catch (RuntimeException e) {
        LOG.warn(
            "advisor report for trial {} not written to {}: {}",
            trial.number(),
            sink.describe(),
            e.getMessage());
      }
    }
  }

  @Override
  public void studyFinished(StudyView study) {
    List<AdvisorReport> all = reports();
    if (all.isEmpty()) {
      return;
    }
    for (ReportSink sink : sinks) {
      try {
        sink.studySummary(study, all);
        LOG.info("advisor: {} consultation(s); reports in {}", all.size(), sink.describe());
      } catch (RuntimeException e) {
        LOG.warn("advisor summary not written to {}: {}", sink.describe(), e.getMessage());
      }
    }
  }

  /**
   * The monitored objective's curve of every completed trial, for median stopping: an index fed
   * with the trials that completed since the last report (this worker's or, through storage,
   * another's, in any order), so a report no longer re-reads every completed curve.
   */
  private CompletedCurves completedCurves(
      StudyView study, int index, dev.knobflow.advisor.space.Direction direction) {
    CompletedCurves curves =
        completed.computeIfAbsent(
            study.name() + '\u0000' + index, key -> CompletedCurves.of(direction));
    if (diagnostics.config().medianMinTrials() == 0) {
      return curves;
    }
    List<FrozenTrial> done = study.trials(EnumSet.of(TrialState.COMPLETE));
    if (done.size() != curves.size()) {
      for (FrozenTrial t : done) {
        if (!curves.contains(t.number())) {
          curves.add(t.number(), AdviceRequests.curve(t, index));
        }
      }
    }
    return curves;
  }

  private int objectiveIndex(StudyView study) {
    if (monitor == null) {
      return 0;
    }
    for (int i = 0; i < study.objectives().size(); i++) {
      if (study.objectives().get(i).name().equals(monitor)) {
        return i;
      }
    }
    throw new IllegalStateException(
        "advisor: monitored objective '" + monitor + "' is not one of " + study.objectives());
  }

  private List<String> apply(Study study, FrozenTrial trial, long step, Consultation c) {
    Advice advice = c.advice();
    List<String> done = new ArrayList<>();
    for (AdviceAction action : advice.actions()) {
      if (action instanceof AdviceAction.NoAction) {
        done.add("no action");
      } else if (mode == AdvisorMode.REPORT) {
        done.add("not applied (report mode): " + describe(action));
      } else if (study == null) {
        done.add("not applied (the study is not a live Study): " + describe(action));
      } else if (action instanceof AdviceAction.StopTrial) {
        study.requestPrune(
            trial.number(),
            "advisor: "
                + c.request().diagnosis().kind()
                + " ("
                + c.request().diagnosis().evidence().rule()
                + "): "
                + advice.summary());
        done.add("trial " + trial.number() + " pruned at step " + step);
      } else if (action instanceof AdviceAction.SetRange r) {
        List<FrozenTrial> kept = bestTrials(study);
        List<Double> keep = new ArrayList<>();
        for (FrozenTrial t : kept) {
          if (t.params().get(r.parameter()) instanceof Number n) {
            keep.add(n.doubleValue());
          }
        }
        SpaceOverride o =
            study.overrideRange(r.parameter(), r.low(), r.high(), keep, cause(c, step, action));
        String line =
            "later trials sample " + r.parameter() + " in [" + o.low() + ", " + o.high() + "]";
        if (o.low() < r.low() || o.high() > r.high()) {
          line += " (widened from [" + r.low() + ", " + r.high() + "] to keep the best trials)";
        }
        done.add(line);
      } else {
        done.add("not applied (only stops and ranges are applied): " + describe(action));
      }
    }
    return done;
  }

  /**
   * The trials a narrowing must keep reachable: the best completed trial of a single-objective
   * study, the Pareto front of a multi-objective one.
   */
  private static List<FrozenTrial> bestTrials(Study study) {
    if (study.objectives().size() == 1) {
      return study.bestTrial().map(List::of).orElse(List.of());
    }
    return study.paretoFront();
  }

  private static Map<String, Object> cause(Consultation c, long step, AdviceAction action) {
    Map<String, Object> cause = new LinkedHashMap<>();
    cause.put("trial", c.request().trialNumber());
    cause.put("step", step);
    cause.put("diagnosis", c.request().diagnosis().kind().name());
    cause.put("rule", c.request().diagnosis().evidence().rule());
    cause.put("source", c.advice().source().label());
    cause.put("summary", c.advice().summary());
    cause.put("explanation", action.explanation());
    cause.put("at", c.timestamp());
    return cause;
  }

  private static String describe(AdviceAction action) {
    if (action instanceof AdviceAction.StopTrial) {
      return "stop the trial";
    }
    if (action instanceof AdviceAction.SetRange r) {
      return "set " + r.parameter() + " to [" + r.low() + ", " + r.high() + "]";
    }
    if (action instanceof AdviceAction.FixValue f) {
      return "fix " + f.parameter() + " = " + f.value();
    }
    return action.kind().name();
  }

  private String markdown(Consultation c, List<String> applied) {
    StringBuilder md = new StringBuilder(AdviceReport.markdown(c));
    md.append("\n\n## What Knobflow did (mode: ").append(mode.name().toLowerCase()).append(")\n\n");
    applied.forEach(line -> md.append("- ").append(line).append('\n'));
    return md.toString();
  }

  private String json(Consultation c, List<String> applied) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(AdviceReport.json(c));
      ObjectNode knobflow = node.putObject("knobflow");
      knobflow.put("mode", mode.name().toLowerCase());
      applied.forEach(knobflow.putArray("applied")::add);
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("advisor report JSON could not be extended", e);
    }
  }

  /** Options of {@link AdvisorSupport}. */
  public static final class Builder {
    private AdvisorMode mode = AdvisorMode.REPORT;
    private Advisor advisor;
    private CurveDiagnostics diagnostics = CurveDiagnostics.withDefaults();
    private String monitor;
    private int curveCap = Curve.DEFAULT_DOWNSAMPLE_CAP;
    private final List<ReportSink> sinks = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Report only (default) or apply the advice. */
    public Builder mode(AdvisorMode value) {
      mode = Objects.requireNonNull(value, "mode");
      return this;
    }

    /** Who advises; default the rules ({@link RuleBasedAdvisor#withDefaults()}). */
    public Builder advisor(Advisor value) {
      advisor = Objects.requireNonNull(value, "advisor");
      return this;
    }

    /** The curve diagnostics; default thresholds otherwise. */
    public Builder diagnostics(CurveDiagnostics value) {
      diagnostics = Objects.requireNonNull(value, "diagnostics");
      return this;
    }

    /** The objective whose curve is diagnosed; default the first. */
    public Builder monitor(String objectiveName) {
      monitor = Objects.requireNonNull(objectiveName, "objectiveName");
      return this;
    }

    /** Most curve points sent to the advisor (default 50). */
    public Builder curveCap(int value) {
      if (value < 5) {
        throw new IllegalArgumentException("curveCap must be at least 5, got " + value);
      }
      curveCap = value;
      return this;
    }

    /** Adds a place for reports; without any, advice is only logged (and applied). */
    public Builder reportTo(ReportSink sink) {
      sinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /** The clock of report timestamps. */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** The listener; add it to the study with {@code Study.Builder.listener}. */
    public AdvisorSupport build() {
      return new AdvisorSupport(this);
    }
  }
}
