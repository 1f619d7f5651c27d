package dev.knobflow.plugin.report;

import dev.knobflow.optimizers.Direction;
import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Objective;
import dev.knobflow.optimizers.TrialState;
import dev.knobflow.optimizers.distributions.CategoricalDistribution;
import dev.knobflow.optimizers.distributions.Distribution;
import dev.knobflow.plugin.energy.EnergyMetrics;
import dev.knobflow.plugin.energy.EnergyTotals;
import dev.knobflow.plugin.importance.Importances;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntToDoubleFunction;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Builds a study's charts with XChart and renders them as PNG, headless. */
public final class Charts {

  static final Color DOMINATED = new Color(150, 150, 150);
  static final Color PARETO = new Color(214, 39, 40);
  static final Color INFEASIBLE = new Color(31, 119, 180);
  static final Color COMPLETE = new Color(31, 119, 180);
  static final Color PRUNED = new Color(255, 127, 14);
  static final Color FAILED = new Color(214, 39, 40);

  private static final BasicStroke SOLID = new BasicStroke(1.2f);
  private static final int WIDTH = 800;
  private static final int HEIGHT = 560;
  private static final int MAX_PAIRS = 15;
  private static final String TICKS = "0.#####";

  private Charts() {}

  /**
   * Every chart that applies to {@code data}: the Pareto front (several objectives), the history,
   * parallel coordinates, importance (when given), intermediate values (when reported) and energy
   * against accuracy (when measured).
   */
  public static List<ChartImage> all(StudyData data, List<Importances> importances) {
    List<ChartImage> images = new ArrayList<>();
    ParetoAnalysis pareto = ParetoAnalysis.of(data);
    images.addAll(paretoFront(data, pareto));
    history(data, pareto).ifPresent(images::add);
    parallelCoordinates(data, pareto).ifPresent(images::add);
    importance(importances).ifPresent(images::add);
    intermediateValues(data).ifPresent(images::add);
    energyVsAccuracy(data, pareto).ifPresent(images::add);
    return images;
  }

  /**
   * The Pareto front: one chart for 2 objectives ({@code pareto.png}), pairwise projections for 3
   * or more ({@code pareto-<a>-<b>.png}); none for a single objective or no completed trial.
   */
  public static List<ChartImage> paretoFront(StudyData data, ParetoAnalysis pareto) {
    List<Objective> objectives = data.objectives();
    if (objectives.size() < 2 || pareto.trials().isEmpty()) {
      return List.of();
    }
    List<ChartImage> images = new ArrayList<>();
    for (int a = 0; a < objectives.size() && images.size() < MAX_PAIRS; a++) {
      for (int b = a + 1; b < objectives.size() && images.size() < MAX_PAIRS; b++) {
        String x = objectives.get(a).name();
        String y = objectives.get(b).name();
        // With 3 or more objectives a 2-D view is a projection: membership is over all of them.
        boolean projection = objectives.size() > 2;
        String in = projection ? " (in " + objectives.size() + "-D)" : "";
        XYChart chart =
            scatter(
                projection
                    ? "Projection of the " + objectives.size() + "-D front: " + x + " vs " + y
                    : "Pareto front: " + x + " vs " + y,
                label(objectives.get(a)),
                label(objectives.get(b)));
        List<Double>[] dominated = points();
        List<Double>[] optimal = points();
        List<Double>[] infeasible = points();
        List<Double>[] lower = points();
        for (int i = 0; i < pareto.trials().size(); i++) {
          FrozenTrial t = pareto.trials().get(i);
          List<Double>[] target =
              !pareto.isAtTopBudget(i)
                  ? lower
                  : !t.isFeasible() ? infeasible : pareto.isParetoOptimal(i) ? optimal : dominated;
          target[0].add(t.values().get(a));
          target[1].add(t.values().get(b));
        }
        pareto
            .topBudget()
            .ifPresent(
                top ->
                    addPoints(
                        chart,
                        "below budget " + ReportFacts.number(top),
                        lower,
                        SeriesMarkers.CIRCLE,
                        new Color(210, 210, 210)));
        addPoints(chart, "dominated" + in, dominated, SeriesMarkers.CIRCLE, DOMINATED);
        addPoints(chart, "infeasible", infeasible, SeriesMarkers.CROSS, INFEASIBLE);
        addPoints(chart, "Pareto-optimal" + in, optimal, SeriesMarkers.DIAMOND, PARETO);
        String file =
            objectives.size() == 2 ? "pareto.png" : "pareto-" + safe(x) + "-" + safe(y) + ".png";
        images.add(render(file, chart.getTitle(), chart));
      }
    }
    return images;
  }

  /**
   * The optimisation history ({@code history.png}): each trial's value and the best so far for one
   * objective; the hypervolume of the feasible trials so far for several.
   */
  public static Optional<ChartImage> history(StudyData data, ParetoAnalysis pareto) {
    if (pareto.trials().isEmpty()) {
      return Optional.empty();
    }
    if (data.isMultiObjective()) {
      double[][] hv = pareto.hypervolumeHistory();
      if (hv[0].length == 0) {
        return Optional.empty();
      }
      double[] ref = pareto.referencePoint();
      List<String> at = new ArrayList<>();
      for (int j = 0; j < ref.length; j++) {
        Objective o = data.objectives().get(j);
        at.add(ReportFacts.number(o.direction().toMinimization(ref[j])));
      }
      // The reference point, in objective order, so the volume can be compared and recomputed.
      XYChart chart =
          scatter(
              "Hypervolume, reference point (" + String.join(", ", at) + ")",
              "trial",
              "hypervolume");
      XYSeries s = chart.addSeries("hypervolume", hv[0], hv[1]);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(PARETO);
      return Optional.of(render("history.png", chart.getTitle(), chart));
    }
    Objective objective = data.objectives().get(0);
    List<Double>[] values = points();
    List<Double>[] best = points();
    double bestSoFar = Double.NaN;
    for (FrozenTrial t : pareto.trials()) {
      double v = t.values().get(0);
      values[0].add((double) t.number());
      values[1].add(v);
      if (t.isFeasible()
          && (Double.isNaN(bestSoFar) || objective.direction().isBetter(v, bestSoFar))) {
        bestSoFar = v;
      }
      if (!Double.isNaN(bestSoFar)) {
        best[0].add((double) t.number());
        best[1].add(bestSoFar);
      }
    }
    XYChart chart = scatter("Optimisation history", "trial", label(objective));
    addPoints(chart, objective.name(), values, SeriesMarkers.CIRCLE, COMPLETE);
    if (!best[0].isEmpty()) {
      XYSeries line = chart.addSeries("best so far", best[0], best[1]);
      line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
      line.setMarker(SeriesMarkers.NONE);
      line.setLineColor(PARETO);
    }
    return Optional.of(render("history.png", chart.getTitle(), chart));
  }

  /**
   * Parallel coordinates ({@code parallel.png}): one axis per parameter (its unit-interval
   * encoding, so categorical choices sit at their index) and per objective (scaled to [0, 1]), one
   * line per completed trial; red for Pareto-optimal trials (several objectives) or coloured from
   * blue (worst) to red (best) by the objective (one objective).
   */
  public static Optional<ChartImage> parallelCoordinates(StudyData data, ParetoAnalysis pareto) {
    List<FrozenTrial> trials = pareto.trials();
    if (trials.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Distribution> params = new LinkedHashMap<>(trials.get(0).distributions());
    for (FrozenTrial t : trials) {
      params.entrySet().removeIf(e -> !e.getValue().equals(t.distributions().get(e.getKey())));
    }
    List<String> axes = new ArrayList<>(params.keySet());
    data.objectives().forEach(o -> axes.add(o.name()));
    int m = data.objectives().size();
    double[] lo = new double[m];
    double[] hi = new double[m];
    for (int j = 0; j < m; j++) {
      final int k = j;
      lo[j] = trials.stream().mapToDouble(t -> t.values().get(k)).min().orElse(0);
      hi[j] = trials.stream().mapToDouble(t -> t.values().get(k)).max().orElse(1);
    }
    XYChart chart = scatter("Parallel coordinates (real range at each axis' ends)", "", "");
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisMin(-0.3);
    chart.getStyler().setXAxisMax(axes.size() - 0.7);
    chart.getStyler().setXAxisTicksVisible(false);
    chart.getStyler().setYAxisMin(-0.16);
    chart.getStyler().setYAxisMax(1.08);
    chart.getStyler().setYAxisTicksVisible(false);
    chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    // One vertical axis per parameter or objective, named below it (staggered so long names do
    // not overlap), with its real range at the ends and categorical choices at their positions.
    List<Distribution> dists = new ArrayList<>(params.values());
    for (int i = 0; i < axes.size(); i++) {
      chart.addAnnotation(new AnnotationLine(i, true, false));
      chart.addAnnotation(new AnnotationText(axes.get(i), i, i % 2 == 0 ? -0.08 : -0.14, false));
      String low;
      String high;
      if (i < dists.size()) {
        Distribution d = dists.get(i);
        if (d instanceof CategoricalDistribution c) {
          for (Object choice : c.choices()) {
            chart.addAnnotation(
                new AnnotationText(String.valueOf(choice), i + 0.05, d.toUnit(choice), false));
          }
          continue;
        }
        low = ReportFacts.number(((Number) d.fromUnit(0)).doubleValue());
        high = ReportFacts.number(((Number) d.fromUnit(1)).doubleValue());
      } else {
        low = ReportFacts.number(lo[i - dists.size()]);
        high = ReportFacts.number(hi[i - dists.size()]);
      }
      chart.addAnnotation(new AnnotationText(low, i, -0.025, false));
      chart.addAnnotation(new AnnotationText(high, i, 1.04, false));
    }
    double[] xs = new double[axes.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = i;
    }
    // Draw Pareto-optimal (or best) trials last, so they are on top.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < trials.size(); i++) {
      order.add(i);
    }
    double firstRange = hi[0] - lo[0];
    Objective first = data.objectives().get(0);
    IntToDoubleFunction goodness =
        i -> {
          double v = trials.get(i).values().get(0);
          double u = firstRange > 0 ? (v - lo[0]) / firstRange : 0.5;
          return first.direction() == Direction.MINIMIZE ? 1 - u : u;
        };
    if (data.isMultiObjective()) {
      order.sort(Comparator.comparing(pareto::isParetoOptimal));
    } else {
      order.sort(Comparator.comparingDouble(goodness::applyAsDouble));
    }
    for (int i : order) {
      FrozenTrial t = trials.get(i);
      double[] ys = new double[axes.size()];
      int a = 0;
      for (Map.Entry<String, Distribution> p : params.entrySet()) {
        ys[a++] = p.getValue().toUnit(t.params().get(p.getKey()));
      }
      for (int j = 0; j < m; j++) {
        double range = hi[j] - lo[j];
        ys[a++] = range > 0 ? (t.values().get(j) - lo[j]) / range : 0.5;
      }
      XYSeries s = chart.addSeries("trial " + t.number(), xs, ys);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineStyle(SOLID);
      Color color;
      if (data.isMultiObjective()) {
        color = pareto.isParetoOptimal(i) ? PARETO : new Color(150, 150, 150, 90);
      } else {
        double g = goodness.applyAsDouble(i);
        color = new Color((int) (40 + 190 * g), 60, (int) (230 - 190 * g), 140);
      }
      s.setLineColor(color);
    }
    return Optional.of(render("parallel.png", chart.getTitle(), chart));
  }

  /** Parameter importance ({@code importance.png}): one bar per parameter and objective. */
  public static Optional<ChartImage> importance(List<Importances> importances) {
    if (importances.isEmpty() || importances.get(0).byParam().isEmpty()) {
      return Optional.empty();
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title("Parameter importance (PED-ANOVA)")
            .xAxisTitle("parameter")
            .yAxisTitle("importance")
            .build();
    style(chart);
    List<String> params = new ArrayList<>(importances.get(0).byParam().keySet());
    for (Importances imp : importances) {
      chart.addSeries(imp.objective(), params, params.stream().map(imp::of).toList());
    }
    chart.getStyler().setLegendVisible(importances.size() > 1);
    return Optional.of(render("importance.png", chart.getTitle(), chart));
  }

  /**
   * Intermediate values ({@code intermediate.png}) of the first objective, one line per trial that
   * reported any: completed blue, pruned orange, failed red with a cross on its last finite value
   * (non-finite values, e.g. a diverged loss, are left out of the line).
   */
  public static Optional<ChartImage> intermediateValues(StudyData data) {
    List<FrozenTrial> reporting =
        data.trials().stream().filter(t -> !t.intermediateValues().isEmpty()).toList();
    if (reporting.isEmpty()) {
      return Optional.empty();
    }
    Objective objective = data.objectives().get(0);
    XYChart chart = scatter("Intermediate values", "step", label(objective));
    boolean[] inLegend = new boolean[3];
    int lines = 0;
    for (FrozenTrial t : reporting) {
      List<Double> steps = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      t.intermediateValues()
          .forEach(
              (step, v) -> {
                if (!v.isEmpty() && Double.isFinite(v.get(0))) {
                  steps.add(step.doubleValue());
                  values.add(v.get(0));
                }
              });
      if (steps.isEmpty()) {
        continue;
      }
      lines++;
      int kind = t.state() == TrialState.PRUNED ? 1 : t.state() == TrialState.FAIL ? 2 : 0;
      Color color = kind == 1 ? PRUNED : kind == 2 ? FAILED : COMPLETE;
      String name = (kind == 1 ? "pruned" : kind == 2 ? "failed" : "trial") + " " + t.number();
      XYSeries s = chart.addSeries(name, steps, values);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineStyle(SOLID);
      s.setLineColor(color);
      s.setShowInLegend(false);
      if (kind != 0) {
        // A marker where the trial stopped.
        XYSeries end =
            chart.addSeries(
                name + " end",
                List.of(steps.get(steps.size() - 1)),
                List.of(values.get(values.size() - 1)));
        end.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        end.setMarker(kind == 1 ? SeriesMarkers.TRIANGLE_DOWN : SeriesMarkers.CROSS);
        end.setMarkerColor(color);
        end.setShowInLegend(false);
      }
      if (!inLegend[kind]) {
        inLegend[kind] = true;
        s.setShowInLegend(true);
        s.setLabel(kind == 1 ? "pruned" : kind == 2 ? "failed" : "completed");
      }
    }
    if (lines == 0) {
      return Optional.empty();
    }
    return Optional.of(render("intermediate.png", chart.getTitle(), chart));
  }

  /**
   * Energy against accuracy ({@code energy.png}) when trials have an {@code energy_wh} objective or
   * metric and the study an accuracy-like objective (the first maximised one that is not energy).
   */
  public static Optional<ChartImage> energyVsAccuracy(StudyData data, ParetoAnalysis pareto) {
    Optional<Integer> accuracy = accuracyObjective(data.objectives());
    if (accuracy.isEmpty()) {
      return Optional.empty();
    }
    int a = accuracy.get();
    int energyIndex = indexOf(data.objectives(), EnergyMetrics.ENERGY_WH);
    List<Double>[] optimal = points();
    List<Double>[] others = points();
    for (int i = 0; i < pareto.trials().size(); i++) {
      FrozenTrial t = pareto.trials().get(i);
      Optional<Double> energy =
          energyIndex >= 0
              ? Optional.of(t.values().get(energyIndex))
              : EnergyTotals.value(t, EnergyMetrics.ENERGY_WH);
      if (energy.isPresent()) {
        List<Double>[] target = pareto.isParetoOptimal(i) ? optimal : others;
        target[0].add(energy.get());
        target[1].add(t.values().get(a));
      }
    }
    if (optimal[0].isEmpty() && others[0].isEmpty()) {
      return Optional.empty();
    }
    String accuracyName = data.objectives().get(a).name();
    XYChart chart = scatter("Energy vs " + accuracyName, "energy (Wh)", accuracyName);
    addPoints(chart, "trials", others, SeriesMarkers.CIRCLE, DOMINATED);
    addPoints(chart, "Pareto-optimal", optimal, SeriesMarkers.DIAMOND, PARETO);
    return Optional.of(render("energy.png", chart.getTitle(), chart));
  }

  /** Renders {@code chart} as PNG bytes, headless. */
  public static ChartImage render(String fileName, String title, Chart<?, ?> chart) {
    if (System.getProperty("java.awt.headless") == null) {
      // Charts are drawn off-screen; a display is never needed (CI, servers).
      System.setProperty("java.awt.headless", "true");
    }
    try {
      return new ChartImage(
          fileName, title, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    } catch (IOException e) {
      throw new UncheckedIOException("could not render " + fileName, e);
    }
  }

  static Optional<Integer> accuracyObjective(List<Objective> objectives) {
    for (int j = 0; j < objectives.size(); j++) {
      Objective o = objectives.get(j);
      if (o.direction() == Direction.MAXIMIZE && !EnergyMetrics.isEnergyMetric(o.name())) {
        return Optional.of(j);
      }
    }
    return Optional.empty();
  }

  private static int indexOf(List<Objective> objectives, String name) {
    for (int j = 0; j < objectives.size(); j++) {
      if (objectives.get(j).name().equals(name)) {
        return j;
      }
    }
    return -1;
  }

  private static XYChart scatter(String title, String x, String y) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(x)
            .yAxisTitle(y)
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    style(chart);
    return chart;
  }

  private static void style(Chart<?, ?> chart) {
    Styler styler = chart.getStyler();
    // Below the plot: a legend inside it hid the last trials.
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setAntiAlias(true);
    styler.setMarkerSize(8);
    // Fonts sized for the PNG shown at half width in Markdown and the README.
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
    styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
    if (styler instanceof AxesChartStyler axes) {
      axes.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 17));
      axes.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
      // A leading zero: XChart's default pattern wrote 0.05 as ".05".
      axes.setXAxisDecimalPattern(TICKS);
      axes.setYAxisDecimalPattern(TICKS);
    }
  }

  private static void addPoints(
      XYChart chart, String name, List<Double>[] xy, Marker marker, Color color) {
    if (xy[0].isEmpty()) {
      return;
    }
    XYSeries s = chart.addSeries(name, xy[0], xy[1]);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarker(marker);
    s.setMarkerColor(color);
  }

  @SuppressWarnings("unchecked")
  private static List<Double>[] points() {
    return new List[] {new ArrayList<Double>(), new ArrayList<Double>()};
  }

  private static String label(Objective o) {
    return o.name() + " (" + o.direction().id() + ")";
  }

  private static String safe(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "_");
  }
}
