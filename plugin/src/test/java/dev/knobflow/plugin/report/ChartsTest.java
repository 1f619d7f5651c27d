package dev.knobflow.plugin.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.optimizers.FrozenTrial;
import dev.knobflow.optimizers.Study;
import dev.knobflow.optimizers.pareto.Hypervolume;
import dev.knobflow.plugin.importance.Importances;
import dev.knobflow.plugin.importance.PedAnova;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ChartsTest {

  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  static void assertValidPng(ChartImage image) throws Exception {
    byte[] png = image.png();
    assertArrayEquals(PNG_MAGIC, Arrays.copyOf(png, 8), image.fileName() + " is not a PNG");
    assertTrue(png.length > 5_000, image.fileName() + " is only " + png.length + " bytes");
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(800, decoded.getWidth(), image.fileName());
    assertTrue(distinctColours(decoded) > 5, image.fileName() + " looks blank");
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new java.util.HashSet<>();
    for (int x = 0; x < image.getWidth(); x += 7) {
      for (int y = 0; y < image.getHeight(); y += 7) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }

  private static Set<String> names(List<ChartImage> images) {
    return images.stream().map(ChartImage::fileName).collect(Collectors.toSet());
  }

  private static List<Importances> importances(StudyData data) {
    return PedAnova.defaults().evaluate(data.objectives(), data.trials());
  }

  @Test
  void singleObjectiveStudyGetsHistoryParallelImportanceAndIntermediateCharts() throws Exception {
    StudyData data = StudyData.of(ReportFixtures.study("single", 1, 40));
    List<ChartImage> images = Charts.all(data, importances(data));
    assertEquals(
        Set.of("history.png", "parallel.png", "importance.png", "intermediate.png"), names(images));
    for (ChartImage image : images) {
      assertValidPng(image);
    }
  }

  @Test
  void twoObjectiveStudyGetsOneParetoChartAndEnergyChart() throws Exception {
    StudyData data = StudyData.of(ReportFixtures.study("two", 2, 40));
    List<ChartImage> images = Charts.all(data, importances(data));
    assertEquals(
        Set.of(
            "pareto.png",
            "history.png",
            "parallel.png",
            "importance.png",
            "intermediate.png",
            "energy.png"),
        names(images));
    for (ChartImage image : images) {
      assertValidPng(image);
    }
  }

  @Test
  void threeObjectiveStudyGetsPairwiseParetoProjections() throws Exception {
    StudyData data = StudyData.of(ReportFixtures.study("three", 3, 40));
    List<ChartImage> images = Charts.all(data, importances(data));
    assertTrue(
        names(images)
            .containsAll(
                Set.of(
                    "pareto-accuracy-energy_wh.png",
                    "pareto-accuracy-latency_ms.png",
                    "pareto-energy_wh-latency_ms.png",
                    "history.png",
                    "energy.png")),
        names(images).toString());
    assertTrue(!names(images).contains("pareto.png"));
    for (ChartImage image : images) {
      assertValidPng(image);
    }
  }

  @Test
  void paretoAnalysisKeepsInfeasibleTrialsOffTheFrontAndMatchesTheStudy() {
    Study study = ReportFixtures.study("front", 2, 60);
    ParetoAnalysis pareto = ParetoAnalysis.of(StudyData.of(study));
    List<FrozenTrial> front = pareto.front();
    assertTrue(front.stream().allMatch(FrozenTrial::isFeasible));
    assertTrue(pareto.trials().stream().anyMatch(t -> !t.isFeasible()), "fixture has infeasible");
    assertEquals(
        study.paretoFront().stream().map(FrozenTrial::number).collect(Collectors.toSet()),
        front.stream().map(FrozenTrial::number).collect(Collectors.toSet()));
    // Sorted by accuracy (maximised), best first.
    for (int i = 1; i < front.size(); i++) {
      assertTrue(front.get(i - 1).values().get(0) >= front.get(i).values().get(0));
    }
  }

  @Test
  void hypervolumeHistoryIsNonDecreasingAndEndsAtTheFrontsVolume() {
    StudyData data = StudyData.of(ReportFixtures.study("hv", 3, 50));
    ParetoAnalysis pareto = ParetoAnalysis.of(data);
    double[][] history = pareto.hypervolumeHistory();
    assertEquals(pareto.trials().size(), history[1].length);
    for (int i = 1; i < history[1].length; i++) {
      assertTrue(history[1][i] >= history[1][i - 1]);
    }
    double[][] front =
        pareto.front().stream()
            .map(t -> new double[] {-t.values().get(0), t.values().get(1), t.values().get(2)})
            .toArray(double[][]::new);
    double expected = Hypervolume.compute(front, pareto.referencePoint());
    assertTrue(expected > 0);
    assertEquals(expected, history[1][history[1].length - 1], 1e-9 * expected);
  }

  @Test
  void referencePointIsWorstPlusTenPercentOfTheRange() {
    StudyData data = StudyData.of(ReportFixtures.study("ref", 2, 30));
    ParetoAnalysis pareto = ParetoAnalysis.of(data);
    List<FrozenTrial> feasible = pareto.trials().stream().filter(FrozenTrial::isFeasible).toList();
    double worstAcc = feasible.stream().mapToDouble(t -> -t.values().get(0)).max().orElseThrow();
    double bestAcc = feasible.stream().mapToDouble(t -> -t.values().get(0)).min().orElseThrow();
    assertEquals(worstAcc + 0.1 * (worstAcc - bestAcc), pareto.referencePoint()[0], 1e-12);
  }
}
