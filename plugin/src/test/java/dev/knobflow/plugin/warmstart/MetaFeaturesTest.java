package dev.knobflow.plugin.warmstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaFeaturesTest {

  @TempDir Path dir;

  static Path dataset(String name) {
    try {
      return Path.of(MetaFeaturesTest.class.getResource("/datasets/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void irisHasKnownCountsEntropyAndBalance() {
    MetaFeatureSet m = MetaFeatures.defaults().fromCsv(dataset("iris.csv"), "target");
    assertEquals(TaskType.CLASSIFICATION, m.task());
    assertEquals(150, m.rows());
    assertEquals(4, m.features());
    assertEquals(3, m.classes());
    assertEquals(Math.log(3) / Math.log(2), m.classEntropy(), 1e-12);
    assertEquals(1.0, m.imbalanceRatio(), 0.0);
    assertEquals(0.0, m.missingFraction(), 0.0);
    assertEquals(0.0, m.categoricalFraction(), 0.0);
    // Population g1 / g2 of the four columns, computed independently in Python from the same file.
    assertEquals(0.25039550946588857, m.meanAbsSkewness(), 1e-12);
    assertEquals(-0.7810487307582664, m.meanKurtosis(), 1e-12);
  }

  @Test
  void breastCancerHasKnownCountsAndImbalance() {
    MetaFeatureSet m = MetaFeatures.defaults().fromCsv(dataset("breast_cancer.csv"), "target");
    assertEquals(569, m.rows());
    assertEquals(30, m.features());
    assertEquals(2, m.classes());
    assertEquals(357.0 / 212.0, m.imbalanceRatio(), 1e-12);
    double p = 357.0 / 569.0;
    double q = 212.0 / 569.0;
    double entropy = -(p * Math.log(p) + q * Math.log(q)) / Math.log(2);
    assertEquals(entropy, m.classEntropy(), 1e-12);
    // Breast-cancer features are right-skewed (areas, errors): clearly more than iris.
    MetaFeatureSet iris = MetaFeatures.defaults().fromCsv(dataset("iris.csv"), "target");
    assertTrue(m.meanAbsSkewness() > 1.0, "skewness " + m.meanAbsSkewness());
    assertTrue(m.meanAbsSkewness() > 2 * iris.meanAbsSkewness());
  }

  @Test
  void landmarkersAreWithinSaneBoundsOnRealData() {
    MetaFeatureSet iris = MetaFeatures.defaults().fromCsv(dataset("iris.csv"), "target");
    // A single split can at best isolate one of three balanced classes: 2/3 on the hold-out.
    assertEquals(2.0 / 3.0, iris.stumpAccuracy(), 0.05);
    assertTrue(iris.nearestNeighbourAccuracy() > 0.88 && iris.nearestNeighbourAccuracy() <= 1.0);
    MetaFeatureSet bc = MetaFeatures.defaults().fromCsv(dataset("breast_cancer.csv"), "target");
    assertTrue(bc.stumpAccuracy() > 0.8 && bc.stumpAccuracy() < 1.0, "" + bc.stumpAccuracy());
    assertTrue(
        bc.nearestNeighbourAccuracy() > 0.88 && bc.nearestNeighbourAccuracy() < 1.0,
        "" + bc.nearestNeighbourAccuracy());
  }

  @Test
  void landmarkersAreDeterministicForASeed() {
    Path bc = dataset("breast_cancer.csv");
    MetaFeatures small = MetaFeatures.builder().seed(7).maxNeighbourRows(200).build();
    MetaFeatureSet a = small.fromCsv(bc, "target");
    MetaFeatureSet b = small.fromCsv(bc, "target");
    assertEquals(a, b);
    assertEquals(a.asMap(), b.asMap());
  }

  @Test
  void stumpFindsAPerfectlySeparatingFeatureAmongNoise() {
    SplittableRandom rng = new SplittableRandom(3);
    List<Object> noise = new ArrayList<>();
    List<Object> signal = new ArrayList<>();
    List<Object> label = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      boolean positive = rng.nextBoolean();
      noise.add(rng.nextDouble());
      signal.add(positive ? 1 + rng.nextDouble() : -1 - rng.nextDouble());
      label.add(positive ? "pos" : "neg");
    }
    Table t = Table.of(List.of("noise", "signal", "label"), List.of(noise, signal, label));
    MetaFeatureSet m = MetaFeatures.defaults().compute(t, "label");
    assertEquals(1.0, m.stumpAccuracy(), 0.0);
  }

  @Test
  void landmarkersAreNearChanceOnRandomLabels() {
    SplittableRandom rng = new SplittableRandom(11);
    List<Object> x1 = new ArrayList<>();
    List<Object> x2 = new ArrayList<>();
    List<Object> label = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      x1.add(rng.nextGaussian());
      x2.add(rng.nextGaussian());
      label.add(rng.nextInt(2));
    }
    Table t = Table.of(List.of("x1", "x2", "y"), List.of(x1, x2, label));
    MetaFeatureSet m = MetaFeatures.defaults().compute(t, "y");
    assertTrue(Math.abs(m.stumpAccuracy() - 0.5) < 0.12, "stump " + m.stumpAccuracy());
    assertTrue(
        Math.abs(m.nearestNeighbourAccuracy() - 0.5) < 0.1, "1nn " + m.nearestNeighbourAccuracy());
  }

  @Test
  void skewnessAndKurtosisMatchHandComputedMoments() {
    // [1,2,3,4,10]: mean 4, m2 = 10, m3 = 36, m4 = 278.8 -> g1 = 36/10^1.5, g2 = 2.788 - 3.
    double[] shape = Moments.skewnessAndKurtosis(new double[] {1, 2, 3, 4, 10});
    assertEquals(36 / Math.pow(10, 1.5), shape[0], 1e-12);
    assertEquals(-0.212, shape[1], 1e-12);
    // [1,2,3,4,5]: symmetric, m2 = 2, m4 = 6.8 -> g2 = 1.7 - 3.
    shape = Moments.skewnessAndKurtosis(new double[] {1, 2, 3, 4, 5});
    assertEquals(0.0, shape[0], 1e-12);
    assertEquals(-1.3, shape[1], 1e-12);
    assertEquals(null, Moments.skewnessAndKurtosis(new double[] {2, 2, 2}));
  }

  @Test
  void syntheticCsvWithMissingValuesAndCategoricals() throws IOException {
    Path csv =
        write(
            "synthetic.csv",
            """
            a,b,color,y
            1,1,red,yes
            2,NA,blue,no
            3,3,,yes
            4,?,red,no
            10,5,"green",yes
            """);
    MetaFeatureSet m = MetaFeatures.defaults().fromCsv(csv, "y");
    assertEquals(TaskType.CLASSIFICATION, m.task());
    assertEquals(5, m.rows());
    assertEquals(3, m.features());
    assertEquals(2, m.classes());
    assertEquals(1.0 / 3.0, m.categoricalFraction(), 1e-12);
    assertEquals(3.0 / 15.0, m.missingFraction(), 1e-12);
    assertEquals(1.5, m.imbalanceRatio(), 1e-12);
    assertEquals(
        -(0.6 * Math.log(0.6) + 0.4 * Math.log(0.4)) / Math.log(2), m.classEntropy(), 1e-12);
    // a: g1 = 1.13842, g2 = -0.212; b (present 1,3,5): g1 = 0, g2 = 1.5 - 3.
    assertEquals(36 / Math.pow(10, 1.5) / 2, m.meanAbsSkewness(), 1e-12);
    assertEquals((-0.212 - 1.5) / 2, m.meanKurtosis(), 1e-12);
  }

  @Test
  void inMemoryTableGivesTheSameResultAsTheCsv() throws IOException {
    Path csv = write("t.csv", "x,c,y\n1.5,a,0\n2.5,b,1\n,a,0\n4.0,NA,1\n7.25,b,1\n");
    List<Object> x = Arrays.asList(1.5, 2.5, null, 4.0, 7.25);
    List<Object> c = Arrays.asList("a", "b", "a", null, "b");
    List<Object> y = Arrays.asList(0, 1, 0, 1, 1);
    Table table = Table.of(List.of("x", "c", "y"), List.of(x, c, y));
    assertEquals(
        MetaFeatures.defaults().fromCsv(csv, "y"), MetaFeatures.defaults().compute(table, "y"));
  }

  @Test
  void taskIsClassificationForFewIntegralValuesAndRegressionOtherwise() {
    List<Object> x = new ArrayList<>();
    List<Object> integral = new ArrayList<>();
    List<Object> manyIntegral = new ArrayList<>();
    List<Object> fractional = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      x.add((double) i);
      integral.add(i % 20);
      manyIntegral.add(i % 21);
      fractional.add(i % 2 + 0.5);
    }
    Table t =
        Table.of(
            List.of("x", "integral", "many", "fractional"),
            List.of(x, integral, manyIntegral, fractional));
    MetaFeatures mf = MetaFeatures.defaults();
    assertEquals(TaskType.CLASSIFICATION, mf.compute(t, "integral").task());
    assertEquals(20, mf.compute(t, "integral").classes());
    MetaFeatureSet many = mf.compute(t, "many");
    assertEquals(TaskType.REGRESSION, many.task());
    assertFalse(many.asMap().containsKey(MetaFeatureSet.CLASSES));
    assertFalse(many.asMap().containsKey(MetaFeatureSet.STUMP_ACCURACY));
    assertEquals(0.0, many.asMap().get(MetaFeatureSet.CLASSIFICATION));
    assertEquals(TaskType.REGRESSION, mf.compute(t, "fractional").task());
  }

  @Test
  void missingTargetColumnListsTheAvailableColumns() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MetaFeatures.defaults().fromCsv(dataset("iris.csv"), "species"));
    assertTrue(e.getMessage().contains("iris.csv"), e.getMessage());
    assertTrue(e.getMessage().contains("'species'"), e.getMessage());
    assertTrue(e.getMessage().contains("petal_width_cm, target"), e.getMessage());
  }

  @Test
  void recordWithTheWrongFieldCountNamesFileAndLine() throws IOException {
    Path csv = write("bad.csv", "a,b,y\n1,2,0\n3,4\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MetaFeatures.defaults().fromCsv(csv, "y"));
    assertTrue(e.getMessage().contains("bad.csv line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("expected 3 fields"), e.getMessage());
  }

  @Test
  void unclosedQuoteNamesLineAndColumn() throws IOException {
    Path csv = write("quote.csv", "a,b,y\n1,2,0\n1,\"oops,0\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MetaFeatures.defaults().fromCsv(csv, "y"));
    assertTrue(e.getMessage().contains("quote.csv line 3: column 2"), e.getMessage());
  }

  @Test
  void quotedFieldsMaySpanLinesAndHoldCommasAndQuotes() {
    CsvTable t =
        CsvTable.read(
            new StringReader("name,note,y\r\n\"a, b\",\"say \"\"hi\"\"\n!\",1\r\nc,d,0\r\n"),
            "<memory>");
    assertEquals(2, t.rowCount());
    assertEquals("a, b", t.cell(0, 0));
    assertEquals("say \"hi\"\n!", t.cell(0, 1));
    assertEquals("<memory> line 4", t.describeRow(1));
  }

  @Test
  void duplicateHeaderIsRejectedWithItsColumn() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CsvTable.read(new StringReader("a,b,a\n1,2,3\n"), "d.csv"));
    assertTrue(e.getMessage().contains("d.csv line 1: column 3"), e.getMessage());
  }

  @Test
  void printableTableListsEveryKeyWithItsValue() {
    String table = MetaFeatures.printableTable(dataset("iris.csv"), "target");
    assertTrue(table.startsWith("name"), table);
    assertTrue(table.contains("task                     classification"), table);
    assertTrue(table.lines().anyMatch(l -> l.matches("rows\\s+150")), table);
    assertTrue(table.lines().anyMatch(l -> l.matches("classes\\s+3")), table);
    assertTrue(table.lines().anyMatch(l -> l.matches("class_entropy\\s+1\\.58496")), table);
    assertEquals(2 + MetaFeatureSet.KEYS.size(), table.lines().count());
  }

  @Test
  void tagsRoundTripEveryDoubleExactly() {
    Map<String, Double> features =
        MetaFeatures.defaults().fromCsv(dataset("breast_cancer.csv"), "target").asMap();
    Map<String, String> tags = MetaFeatureTags.encode(features);
    assertTrue(tags.keySet().stream().allMatch(k -> k.startsWith("knobflow.meta.")));
    assertEquals("569.0", tags.get("knobflow.meta.rows"));
    Map<String, String> withOthers = new java.util.LinkedHashMap<>(tags);
    withOthers.put("mlflow.runName", "study");
    assertEquals(features, MetaFeatureTags.decode(withOthers));
    double awkward = 0.1 + 0.2;
    assertEquals(
        awkward,
        MetaFeatureTags.decode(MetaFeatureTags.encode(Map.of("x", awkward))).get("x"),
        0.0);
  }

  @Test
  void malformedTagValueNamesTheTag() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MetaFeatureTags.decode(Map.of("knobflow.meta.rows", "many")));
    assertTrue(e.getMessage().contains("knobflow.meta.rows"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> MetaFeatureTags.encode(Map.of("Bad Name", 1.0)));
  }
}
