package dev.knobflow.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {

  private static Table parse(String csv) throws IOException {
    return CsvTable.read(new StringReader(csv), "mem.csv", "target");
  }

  private static CsvFormatException failure(String csv) {
    return assertThrows(CsvFormatException.class, () -> parse(csv));
  }

  @Test
  void bundledBreastCancerHas569RowsOf30FeaturesAndBothClasses() {
    Table table = CsvTable.readResource("/datasets/breast_cancer.csv", "target");
    assertEquals(569, table.rowCount());
    assertEquals(30, table.featureCount());
    assertEquals("mean_radius", table.featureNames().get(0));
    assertEquals(17.99, table.feature(0, 0), 1e-12);
    int[] labels = table.classLabels();
    long benign = java.util.Arrays.stream(labels).filter(l -> l == 1).count();
    assertEquals(357, benign);
    assertEquals(212, labels.length - benign);
  }

  @Test
  void targetColumnMayBeAnywhereAndIsTakenOutOfTheFeatures() throws IOException {
    Table table = parse("a,target,b\n1,0,2\n3,1,4\n\n");
    assertEquals(List.of("a", "b"), table.featureNames());
    assertArrayEquals(new double[] {0, 1}, table.targets());
    assertArrayEquals(new float[] {1, 2, 3, 4}, table.featuresRowMajor());
  }

  @Test
  void readsAFileFromDiskAndNamesItInErrors(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.csv");
    Files.writeString(file, "x,target\n1,0\n2,oops\n");
    CsvFormatException e =
        assertThrows(CsvFormatException.class, () -> CsvTable.read(file, "target"));
    assertTrue(e.getMessage().startsWith(file + ":3: "), e.getMessage());
    assertEquals(3, e.line());
  }

  @Test
  void nonNumericCellNamesLineColumnAndValue() {
    CsvFormatException e = failure("a,b,target\n1,2,0\n1,abc,1\n");
    assertEquals("mem.csv:3: column 'b' (2) holds 'abc', which is not a number", e.getMessage());
  }

  @Test
  void rowWithWrongCellCountIsRejectedWithItsLine() {
    CsvFormatException e = failure("a,b,target\n1,2,0\n1,2\n");
    assertEquals("mem.csv:3: expected 3 cells like the header, found 2", e.getMessage());
  }

  @Test
  void emptyAndNonFiniteCellsAreRejected() {
    assertEquals(
        "mem.csv:2: column 'a' (1) is empty; a number is required",
        failure("a,target\n,1\n").getMessage());
    assertTrue(failure("a,target\nNaN,1\n").getMessage().contains("only finite numbers"));
  }

  @Test
  void missingTargetColumnListsTheColumnsThatExist() {
    CsvFormatException e =
        assertThrows(
            CsvFormatException.class,
            () -> CsvTable.read(new StringReader("a,b\n1,2\n"), "mem.csv", "label"));
    assertEquals(
        "mem.csv:1: no target column 'label' in the header; columns are [a, b]", e.getMessage());
  }

  @Test
  void emptyFileHeaderOnlyAndDuplicateNamesAreRejected() {
    assertTrue(failure("").getMessage().contains("the file is empty"));
    assertTrue(failure("a,target\n").getMessage().contains("no data rows"));
    assertTrue(failure("a,a,target\n1,2,3\n").getMessage().contains("'a' appears more than once"));
    assertTrue(failure("target\n1\n").getMessage().contains("no features"));
  }

  @Test
  void fractionalTargetsAreNotClassLabels() throws IOException {
    Table table = parse("a,target\n1,0\n2,0.5\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, table::classLabels);
    assertTrue(e.getMessage().contains("row 1 has 0.5"), e.getMessage());
  }

  @Test
  void missingResourceIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CsvTable.readResource("/nope.csv", "target"));
    assertEquals("no classpath resource '/nope.csv'", e.getMessage());
  }
}
