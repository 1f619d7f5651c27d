package dev.knobflow.plugin.warmstart;

import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.distributions.SearchSpace;
import dev.knobflow.optimizers.pareto.NonDominatedSorting;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Warm start by dataset meta-features: ranks past studies by how similar their datasets are to the
 * current one and plans the enqueueing of the nearest studies' best (or Pareto-optimal)
 * configurations, fitted to the current search space.
 *
 * <pre>{@code
 * Map<String, Double> current = MetaFeatures.defaults().fromCsv(train, "label").asMap();
 * WarmStartPlan plan = WarmStart.builder().neighbours(3).build().plan(current, pastStudies, space);
 * plan.log().forEach(LOG::info);
 * WarmStart.apply(study, plan);
 * }</pre>
 *
 * <p><b>Distance.</b> Heavy-tailed counts ({@code rows}, {@code features}, {@code classes}, {@code
 * imbalance_ratio}) are first mapped through {@code log1p}. Each meta-feature is then min-max
 * normalised over the current dataset and every past study that has it, so that each contributes a
 * difference in [0, 1]. The distance to a past study is the root mean square over the union of both
 * sides' meta-features: a feature both have contributes its normalised difference, a feature only
 * one side has contributes the {@linkplain Builder#missingPenalty penalty} (default 0.5, half the
 * observed range). Past studies that share no meta-feature are left out. Ties are broken by name.
 */
public final class WarmStart {

  /** Meta-features whose scale grows multiplicatively: compared after {@code log1p}. */
  public static final Set<String> LOG_SCALED =
      Set.of(
          MetaFeatureSet.ROWS,
          MetaFeatureSet.FEATURES,
          MetaFeatureSet.CLASSES,
          MetaFeatureSet.IMBALANCE_RATIO);

  /**
   * The system attribute of an enqueued trial that says where its configuration came from: {@code
   * <study>/<trial>} (also a tag of the same name on the trial's MLflow run).
   */
  public static final String SOURCE_ATTR = "knobflow.warm_start.source";

  private final int neighbours;
  private final int configurationsPerStudy;
  private final int maxConfigurations;
  private final double missingPenalty;

  private WarmStart(Builder b) {
    this.neighbours = b.neighbours;
    this.configurationsPerStudy = b.configurationsPerStudy;
    this.maxConfigurations = b.maxConfigurations;
    this.missingPenalty = b.missingPenalty;
  }

  /** 3 neighbours, 3 configurations per study, 10 in all, missing-feature penalty 0.5. */
  public static WarmStart defaults() {
    return builder().build();
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Enqueues every configuration of {@code plan} on {@code study}, in order, each with its source
   * as system attribute {@link #SOURCE_ATTR}; returns the count.
   */
  public static int apply(Study study, WarmStartPlan plan) {
    Objects.requireNonNull(study, "study");
    for (PlannedConfiguration c : plan.configurations()) {
      study.enqueue(c.params(), Map.of(SOURCE_ATTR, c.source()));
    }
    return plan.configurations().size();
  }

  /** Every past study that shares at least one meta-feature with {@code current}, nearest first. */
  public List<RankedStudy> rank(Map<String, Double> current, List<PastStudy> past) {
    return rank(current, past, new ArrayList<>());
  }

  private List<RankedStudy> rank(
      Map<String, Double> current, List<PastStudy> past, List<String> log) {
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(past, "past");
    // Min and max of each transformed feature over the current dataset and all past studies.
    Map<String, double[]> ranges = new java.util.HashMap<>();
    List<Map<String, Double>> all = new ArrayList<>();
    all.add(current);
    past.forEach(p -> all.add(p.metaFeatures()));
    for (Map<String, Double> features : all) {
      for (Map.Entry<String, Double> e : features.entrySet()) {
        if (usable(e.getValue())) {
          double t = transform(e.getKey(), e.getValue());
          ranges.merge(
              e.getKey(),
              new double[] {t, t},
              (a, b) -> new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
      }
    }
    List<RankedStudy> ranked = new ArrayList<>();
    for (PastStudy study : past) {
      Set<String> keys = new TreeSet<>();
      current.forEach((k, v) -> addIfUsable(keys, k, v));
      study.metaFeatures().forEach((k, v) -> addIfUsable(keys, k, v));
      List<String> shared = new ArrayList<>();
      List<String> unmatched = new ArrayList<>();
      double sum = 0;
      for (String key : keys) {
        Double a = current.get(key);
        Double b = study.metaFeatures().get(key);
        if (usable(a) && usable(b)) {
          double[] r = ranges.get(key);
          double width = r[1] - r[0];
          double d = width == 0 ? 0 : (transform(key, a) - transform(key, b)) / width;
          sum += d * d;
          shared.add(key);
        } else {
          sum += missingPenalty * missingPenalty;
          unmatched.add(key);
        }
      }
      if (shared.isEmpty()) {
        log.add("left out study '" + study.name() + "': no meta-feature in common");
        continue;
      }
      ranked.add(new RankedStudy(study, Math.sqrt(sum / keys.size()), shared, unmatched));
    }
    ranked.sort(
        Comparator.comparingDouble(RankedStudy::distance).thenComparing(r -> r.study().name()));
    return List.copyOf(ranked);
  }

  /**
   * Plans a warm start: ranks {@code past}, takes the nearest {@link Builder#neighbours} studies,
   * selects their best (one objective) or non-dominated (several) trials, fits them to {@code
   * space} and removes duplicates.
   *
   * @param current the current dataset's meta-features
   * @param past the candidate past studies
   * @param space the current search space; when empty (define-by-run) parameters pass unchecked
   */
  public WarmStartPlan plan(Map<String, Double> current, List<PastStudy> past, SearchSpace space) {
    Objects.requireNonNull(space, "space");
    List<String> log = new ArrayList<>();
    List<RankedStudy> ranking = rank(current, past, log);
    if (ranking.isEmpty()) {
      log.add("no comparable past study: nothing to enqueue");
      return new WarmStartPlan(ranking, List.of(), log);
    }
    if (space.isEmpty()) {
      log.add("no declared search space: past parameters are enqueued unchecked");
    }
    List<PlannedConfiguration> planned = new ArrayList<>();
    Set<Map<String, Object>> seen = new HashSet<>();
    List<RankedStudy> nearest = ranking.subList(0, Math.min(neighbours, ranking.size()));
    for (RankedStudy r : nearest) {
      PastStudy study = r.study();
      log.add(
          String.format(
              Locale.ROOT,
              "study '%s': distance %.4f over %d shared meta-features%s",
              study.name(),
              r.distance(),
              r.sharedFeatures().size(),
              r.unmatchedFeatures().isEmpty() ? "" : ", unmatched " + r.unmatchedFeatures()));
      List<PastTrial> selected = select(study, log);
      for (int i = 0; i < selected.size(); i++) {
        PastTrial source = selected.get(i);
        String label =
            source.number() == PastTrial.UNKNOWN_NUMBER
                ? "study '" + study.name() + "' best #" + (i + 1)
                : "study '" + study.name() + "' trial " + source.number();
        if (planned.size() >= maxConfigurations) {
          log.add(
              label + ": not taken (limit of " + maxConfigurations + " configurations reached)");
          continue;
        }
        Map<String, Object> fitted = SpaceFitter.fit(source.params(), space, label, log);
        if (fitted.isEmpty()) {
          log.add(label + ": not taken (no parameter fits the current space)");
        } else if (!seen.add(fitted)) {
          log.add(label + ": not taken (same as an earlier configuration) " + fitted);
        } else {
          planned.add(
              new PlannedConfiguration(fitted, study.name(), r.distance(), source.number()));
          log.add(label + ": taken " + fitted);
        }
      }
    }
    for (RankedStudy r : ranking.subList(nearest.size(), ranking.size())) {
      log.add(
          String.format(
              Locale.ROOT,
              "study '%s': distance %.4f, not among the %d nearest",
              r.study().name(),
              r.distance(),
              neighbours));
    }
    return new WarmStartPlan(ranking, planned, log);
  }

  /** The best trials by the objective, or the non-dominated ones, at most the per-study cap. */
  private List<PastTrial> select(PastStudy study, List<String> log) {
    List<Objective> objectives = study.objectives();
    int m = objectives.size();
    List<PastTrial> valid = new ArrayList<>();
    for (PastTrial t : study.bestOrParetoTrials()) {
      if (t.values().size() != m
          || t.values().stream().anyMatch(v -> v == null || !Double.isFinite(v))) {
        log.add(
            "study '"
                + study.name()
                + "': skipped a trial with values "
                + t.values()
                + " (expected "
                + m
                + " finite values)");
      } else {
        valid.add(t);
      }
    }
    if (m == 1) {
      Objective o = objectives.get(0);
      List<PastTrial> sorted = new ArrayList<>(valid);
      sorted.sort(Comparator.comparingDouble(t -> o.direction().toMinimization(t.values().get(0))));
      return sorted.subList(0, Math.min(configurationsPerStudy, sorted.size()));
    }
    double[][] points = new double[valid.size()][m];
    for (int i = 0; i < valid.size(); i++) {
      for (int j = 0; j < m; j++) {
        points[i][j] = objectives.get(j).direction().toMinimization(valid.get(i).values().get(j));
      }
    }
    List<PastTrial> front = new ArrayList<>();
    for (int index : NonDominatedSorting.paretoFront(points)) {
      front.add(valid.get(index));
    }
    int dominated = valid.size() - front.size();
    if (dominated > 0) {
      log.add("study '" + study.name() + "': ignored " + dominated + " dominated trial(s)");
    }
    front.sort(
        Comparator.comparingDouble(
            t -> objectives.get(0).direction().toMinimization(t.values().get(0))));
    if (front.size() <= configurationsPerStudy) {
      return front;
    }
    // Spread the picks along the front (ordered by the first objective), ends included.
    Set<Integer> picks = new LinkedHashSet<>();
    int n = front.size();
    int k = configurationsPerStudy;
    for (int i = 0; i < k; i++) {
      picks.add(k == 1 ? 0 : (int) Math.round((double) i * (n - 1) / (k - 1)));
    }
    log.add(
        "study '"
            + study.name()
            + "': took "
            + picks.size()
            + " of "
            + n
            + " Pareto-optimal trials, spread along the front");
    return picks.stream().map(front::get).toList();
  }

  private static void addIfUsable(Set<String> keys, String key, Double value) {
    if (usable(value)) {
      keys.add(key);
    }
  }

  private static boolean usable(Double value) {
    return value != null && Double.isFinite(value);
  }

  private static double transform(String key, double value) {
    return LOG_SCALED.contains(key) ? Math.log1p(Math.max(0, value)) : value;
  }

  /** Options of {@link WarmStart}. */
  public static final class Builder {
    private int neighbours = 3;
    private int configurationsPerStudy = 3;
    private int maxConfigurations = 10;
    private double missingPenalty = 0.5;

    private Builder() {}

    /** How many of the nearest past studies give configurations, at least 1 (default 3). */
    public Builder neighbours(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("neighbours: must be at least 1, got " + k);
      }
      this.neighbours = k;
      return this;
    }

    /** The most configurations taken from one study, at least 1 (default 3). */
    public Builder configurationsPerStudy(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("configurationsPerStudy: must be at least 1, got " + n);
      }
      this.configurationsPerStudy = n;
      return this;
    }

    /** The most configurations in a plan, at least 1 (default 10). */
    public Builder maxConfigurations(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConfigurations: must be at least 1, got " + n);
      }
      this.maxConfigurations = n;
      return this;
    }

    /**
     * The normalised difference charged for a meta-feature only one side has, in [0, 1] (default
     * 0.5).
     */
    public Builder missingPenalty(double penalty) {
      if (!(penalty >= 0 && penalty <= 1)) {
        throw new IllegalArgumentException("missingPenalty: must be in [0, 1], got " + penalty);
      }
      this.missingPenalty = penalty;
      return this;
    }

    public WarmStart build() {
      return new WarmStart(this);
    }
  }
}
