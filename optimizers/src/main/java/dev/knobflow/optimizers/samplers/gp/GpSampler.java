package dev.knobflow.optimizers.samplers.gp;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.StudyView;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.optimizers.samplers.JointSampler;
import dev.knobflow.optimizers.samplers.ModelSamplerBuilder;
import dev.knobflow.optimizers.samplers.ModelSettings;
import dev.knobflow.optimizers.samplers.NumericalFailureException;
import dev.knobflow.optimizers.samplers.PriorObservation;
import dev.knobflow.optimizers.samplers.RelativeSample;
import dev.knobflow.optimizers.samplers.Sampler;
import dev.knobflow.optimizers.samplers.SamplerOptions;
import dev.knobflow.optimizers.samplers.Seeds;
import dev.knobflow.optimizers.samplers.SobolSampler;
import dev.knobflow.optimizers.samplers.gp.LossTransforms.Standardised;
import dev.knobflow.optimizers.samplers.parzen.UnitEncoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Gaussian-process Bayesian optimisation: a Matern 5/2 ARD Gaussian process per objective (and per
 * constraint) on the normalised, log-aware space, hyperparameters by maximum marginal likelihood,
 * and an acquisition function maximised over Sobol and random candidates followed by local searches
 * (bounded L-BFGS with the GP's gradients on continuous parameters, coordinate steps on discrete
 * and categorical ones) from the best candidates and the best observed points.
 *
 * <ul>
 *   <li>One objective: log expected improvement (default), UCB or probability of improvement.
 *   <li>Two or three objectives: exact expected hypervolume improvement (in log space) over a box
 *       decomposition of the non-dominated region.
 *   <li>More objectives: ParEGO, a random augmented Chebyshev scalarisation per trial, with log EI.
 *   <li>Constraints (feasible when {@code <= 0}): the acquisition is multiplied by each constraint
 *       GP's probability of feasibility.
 *   <li>Other workers' running trials: kriging believer (their predicted values are added as
 *       observations).
 * </ul>
 *
 * <p>The parts: {@link LossTransforms} (what the models are fitted to), {@link GaussianProcess}
 * (the models), {@link MultiObjectiveFront} (EHVI over the observed front), {@link
 * AcquisitionSurface} (the acquisition over all models) and {@link AcquisitionOptimizer} (its
 * maximisation); this class fits the models from the trials in storage and wires the parts.
 *
 * <p>The first trials (10 by default, at least 2) follow a scrambled Sobol sequence. Prior
 * observations ({@link Builder#priorObservations}) join the training points, standardised with the
 * real trials' values; only priors that give every parameter of the search space with a value its
 * distribution contains are used, and none when the trials carry constraints. Observations the
 * model cannot represent (values of {@code -Infinity}, identical targets or inputs) and a kernel
 * matrix that stays singular throw a {@link NumericalFailureException}: the study samples that
 * trial at random and stores the reason as its {@link Sampler#FALLBACK_ATTR} system attribute. Any
 * other exception is a bug and propagates. Fitted hyperparameters are stored on each trial ({@code
 * gp_theta_*}) and warm-start the next fit, so the sampler remains derived from storage.
 */
public final class GpSampler implements JointSampler {

  private static final String THETA_PREFIX = "gp_theta_";

  /** Every this many trials the hyperparameters are refitted from the default start as well. */
  private static final int FULL_REFIT_EVERY = 25;

  private static final int WARM_ITERATIONS = 4;

  /**
   * Hyperparameters are refitted every {@code n / REFIT_GROWTH} trials for n training points up to
   * {@link #FULL_REFIT_MAX}, every {@code (n / (2 REFIT_GROWTH))^2} trials beyond (the same at 100
   * points, every 16th trial at 200): a fit costs O(n^3), so its cost per trial grows like n as the
   * prediction costs do.
   */
  private static final int REFIT_GROWTH = 25;

  /** No refit from the default start beyond this many training points (the warm chain goes on). */
  private static final int FULL_REFIT_MAX = 100;

  private final ModelSettings model;
  private final GpAcquisition acquisition;
  private final double kappa;
  private final AcquisitionOptimizer optimizer;
  private final int fitIterations;
  private final SobolSampler startup;

  private GpSampler(Builder b, ModelSettings model) {
    this.model = model;
    this.acquisition = b.acquisition;
    this.kappa = b.kappa;
    this.optimizer = new AcquisitionOptimizer(b.candidates);
    this.fitIterations = b.fitIterations;
    this.startup = SobolSampler.seeded(model.seed());
  }

  /** A builder with the defaults and a fresh seed. */
  public static Builder builder() {
    return new Builder();
  }

  /** A GP sampler with the defaults and a fixed seed. */
  public static GpSampler seeded(long seed) {
    return builder().seed(seed).build();
  }

  /** The prior observations added to the model's training points (empty by default). */
  public List<PriorObservation> priors() {
    return model.priors();
  }

  @Override
  public RelativeSample sampleRelative(
      StudyView study, FrozenTrial trial, Map<String, Distribution> space) {
    if (space.isEmpty()) {
      return RelativeSample.empty();
    }
    List<FrozenTrial> complete = new ArrayList<>();
    for (FrozenTrial t : study.trials(EnumSet.of(TrialState.COMPLETE))) {
      if (hasAll(t, space) && t.values().size() == study.objectives().size()) {
        complete.add(t);
      }
    }
    // Priors count toward the start-up trials: with enough of them the model acts from trial 0.
    List<FrozenTrial> priorTrials = fittingPriors(study, space, complete);
    if (!model.startupDone(complete.size(), priorTrials.size())) {
      return startup.sampleRelative(study, trial, space);
    }
    complete.addAll(priorTrials);
    Map<String, Object> attributes = new LinkedHashMap<>();
    Map<String, Object> sample = sampleWithModel(study, trial, space, complete, attributes);
    return new RelativeSample(sample, attributes);
  }

  /**
   * The priors that give every parameter of {@code space}, as training points after the real
   * trials. None when the real trials carry constraints: a prior has no constraint values to model.
   */
  private List<FrozenTrial> fittingPriors(
      StudyView study, Map<String, Distribution> space, List<FrozenTrial> complete) {
    if (model.priors().isEmpty()
        || (!complete.isEmpty() && !complete.get(0).constraints().isEmpty())) {
      return List.of();
    }
    List<FrozenTrial> out = new ArrayList<>();
    for (FrozenTrial prior :
        PriorObservation.asTrials(model.priors(), space, study.objectives().size())) {
      if (hasAll(prior, space)) {
        out.add(prior);
      }
    }
    return out;
  }

  @Override
  public Object sampleIndependent(
      StudyView study, FrozenTrial trial, String name, Distribution distribution) {
    return distribution.fromUnit(Seeds.forParam(model.seed(), trial.number(), name).nextDouble());
  }

  private Map<String, Object> sampleWithModel(
      StudyView study,
      FrozenTrial trial,
      Map<String, Distribution> space,
      List<FrozenTrial> complete,
      Map<String, Object> attributes) {
    SpaceFeatures features = new SpaceFeatures(space);
    int n = complete.size();
    double[][] x = new double[n][];
    boolean distinct = false;
    for (int i = 0; i < n; i++) {
      x[i] = features.features(features.coordinates(complete.get(i)));
      distinct |= i > 0 && !Arrays.equals(x[i], x[0]);
    }
    if (!distinct) {
      throw new NumericalFailureException("all observed trials have the same parameters");
    }
    List<FrozenTrial> pendingTrials = new ArrayList<>();
    for (FrozenTrial t : study.trials(EnumSet.of(TrialState.RUNNING))) {
      if (t.number() != trial.number() && hasAll(t, space)) {
        pendingTrials.add(t);
      }
    }
    double[][] pending = new double[pendingTrials.size()][];
    for (int i = 0; i < pending.length; i++) {
      pending[i] = features.features(features.coordinates(pendingTrials.get(i)));
    }
    List<FrozenTrial> history = study.trials();
    List<Objective> objectives = study.objectives();
    int m = objectives.size();
    double[][] losses = LossTransforms.losses(complete, objectives);
    boolean[] feasible = new boolean[n];
    for (int i = 0; i < n; i++) {
      feasible[i] = complete.get(i).isFeasible();
    }
    SplittableRandom random = Seeds.forTrial(Seeds.mix(model.seed(), 0x6770L), trial.number());

    // Constraint models.
    int constraintCount = complete.get(0).constraints().size();
    int modelCount = constraintCount + (m == 1 || m > 3 ? 1 : m);
    List<GaussianProcess> constraintModels = new ArrayList<>();
    double[] thresholds = new double[constraintCount];
    for (int c = 0; c < constraintCount; c++) {
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        List<Double> cs = complete.get(i).constraints();
        values[i] = c < cs.size() ? cs.get(c) : Double.NaN;
      }
      Standardised s = Standardised.of(values, "constraint " + c);
      if (s == null) {
        continue; // constant constraint: nothing to learn, feasibility is the same everywhere
      }
      thresholds[constraintModels.size()] = (0 - s.centre()) / s.sd();
      constraintModels.add(
          fitModel(x, s.values(), pending, history, "con" + c, trial, modelCount, attributes));
    }

    List<GaussianProcess> models = new ArrayList<>();
    AcquisitionSurface.Output output;
    if (m == 1 || m > 3) {
      double[] target =
          m == 1 ? LossTransforms.column(losses, 0) : LossTransforms.parego(losses, random);
      Standardised s = Standardised.of(LossTransforms.tailWarped(target), "objective");
      if (s == null) {
        throw new NumericalFailureException("all observed objective values are equal");
      }
      models.add(
          fitModel(
              x,
              s.values(),
              pending,
              history,
              m == 1 ? "obj0" : "parego",
              trial,
              modelCount,
              attributes));
      double best = Double.POSITIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (feasible[i]) {
          best = Math.min(best, s.values()[i]);
        }
      }
      output = AcquisitionSurface.singleObjective(acquisition, best, kappa);
    } else {
      double[][] standardised = new double[n][m];
      for (int j = 0; j < m; j++) {
        Standardised s =
            Standardised.of(
                LossTransforms.tailWarped(LossTransforms.column(losses, j)), "objective " + j);
        double[] values = s == null ? new double[n] : s.values();
        for (int i = 0; i < n; i++) {
          standardised[i][j] = values[i];
        }
        models.add(
            s == null
                ? null
                : fitModel(x, values, pending, history, "obj" + j, trial, modelCount, attributes));
      }
      output = MultiObjectiveFront.hypervolumeOutput(m, standardised, feasible);
    }
    int objectiveModels = models.size();
    models.addAll(constraintModels);
    if (!constraintModels.isEmpty()) {
      output =
          AcquisitionSurface.withFeasibility(
              output, objectiveModels, Arrays.copyOf(thresholds, constraintModels.size()));
    }
    AcquisitionSurface surface = new AcquisitionSurface(models, output);
    List<FrozenTrial> refinable =
        m == 1 || m > 3 ? complete : MultiObjectiveFront.frontTrials(complete, losses, feasible);
    double[] best = optimizer.optimise(features, surface, n, refinable, random);
    Map<String, Object> sample = new LinkedHashMap<>();
    for (int i = 0; i < features.parameterCount(); i++) {
      sample.put(
          features.names.get(i), UnitEncoding.decode(features.distributions.get(i), best[i]));
    }
    return sample;
  }

  private GaussianProcess fitModel(
      double[][] x,
      double[] y,
      double[][] pending,
      List<FrozenTrial> history,
      String role,
      FrozenTrial trial,
      int models,
      Map<String, Object> attributes) {
    int d = x[0].length;
    double[] warm = previousTheta(history, role, d + 2, trial.number());
    GaussianProcess model;
    int n = x.length;
    if (warm != null && trial.number() % refitInterval(n, models) != 0) {
      // Hyperparameters move little once there are many points; a fit costs O(n^3) per iteration,
      // so they are refitted every refitInterval(n, models) trials and reused in between.
      model = GaussianProcess.withTheta(x, y, warm);
    } else if (warm != null && (trial.number() % FULL_REFIT_EVERY != 0 || n > FULL_REFIT_MAX)) {
      // The previous trial's optimum is close: a few iterations from there suffice.
      model = GaussianProcess.fit(x, y, List.of(warm), WARM_ITERATIONS);
    } else {
      List<double[]> starts = new ArrayList<>();
      starts.add(GaussianProcess.defaultTheta(d));
      if (warm != null) {
        starts.add(warm);
      }
      model = GaussianProcess.fit(x, y, starts, fitIterations);
    }
    List<Double> theta = new ArrayList<>();
    for (double v : model.theta()) {
      theta.add(v);
    }
    attributes.put(THETA_PREFIX + role, theta);
    return model.withBelievedPoints(pending);
  }

  /**
   * Trials between hyperparameter refits with {@code n} training points and {@code models} GPs
   * (objectives and constraints) fitted per trial. Beyond {@code FULL_REFIT_MAX} points the
   * interval grows with the number of models, so that refitting costs per trial what one model's
   * refits cost: with 3 objectives, refitting all three every {@code (n / 50)^2} trials was half
   * the sampler's time over the last 20 of 200 trials.
   */
  static int refitInterval(int n, int models) {
    if (n <= FULL_REFIT_MAX) {
      return Math.max(1, n / REFIT_GROWTH);
    }
    double half = n / (2.0 * REFIT_GROWTH);
    return (int) (half * half) * models;
  }

  private static double[] previousTheta(
      List<FrozenTrial> history, String role, int length, int before) {
    for (int i = history.size() - 1; i >= 0; i--) {
      FrozenTrial t = history.get(i);
      if (t.number() >= before) {
        continue;
      }
      Object value = t.systemAttrs().get(THETA_PREFIX + role);
      if (value instanceof List<?> list && list.size() == length) {
        double[] theta = new double[length];
        for (int j = 0; j < length; j++) {
          if (!(list.get(j) instanceof Number num)) {
            return null;
          }
          theta[j] = num.doubleValue();
        }
        return theta;
      }
    }
    return null;
  }

  private static boolean hasAll(FrozenTrial t, Map<String, Distribution> space) {
    for (Map.Entry<String, Distribution> e : space.entrySet()) {
      if (t.params().get(e.getKey()) == null
          || !e.getValue().equals(t.distributions().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean modelBased() {
    return true;
  }

  @Override
  public String describe() {
    return "gp(seed="
        + model.seed()
        + ", acquisition="
        + acquisition.name().toLowerCase(java.util.Locale.ROOT)
        + (acquisition == GpAcquisition.UCB ? ", kappa=" + kappa : "")
        + (model.priors().isEmpty() ? "" : ", " + model.priors().size() + " priors")
        + ")";
  }

  /** Options for {@link GpSampler}. */
  public static final class Builder extends ModelSamplerBuilder<GpSampler, Builder> {
    private GpAcquisition acquisition = GpAcquisition.EI;
    private double kappa = 2.0;
    private int candidates = 512;
    private int fitIterations = 40;

    private Builder() {
      super(2); // the Sobol start-up trials: a model needs at least two points
    }

    /** The single-objective acquisition function (default EI). */
    public Builder acquisition(GpAcquisition value) {
      this.acquisition = Objects.requireNonNull(value, "acquisition");
      return this;
    }

    /** UCB's exploration weight (default 2.0). */
    public Builder kappa(double value) {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("kappa must be a finite number >= 0, got " + value);
      }
      this.kappa = value;
      return this;
    }

    /** Random and Sobol candidates scored per proposal before local refinement (default 512). */
    public Builder candidates(int value) {
      this.candidates = SamplerOptions.atLeast("candidates", value, 8);
      return this;
    }

    /** L-BFGS iterations per hyperparameter start (default 40). */
    public Builder fitIterations(int value) {
      this.fitIterations = SamplerOptions.atLeast("fitIterations", value, 1);
      return this;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    public GpSampler build() {
      return new GpSampler(this, modelSettings());
    }
  }
}
