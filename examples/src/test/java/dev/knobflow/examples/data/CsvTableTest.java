package dev.knobflow.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knobflow.plugin.csv.CsvFormatException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {

  private static Table parse(String csv) {
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
  void bundledDigitsHas1797RowsOf64PixelsAndTenClasses() {
    Table table = CsvTable.readResource("/datasets/digits.csv", "target");
    assertEquals(1797, table.rowCount());
    assertEquals(64, table.featureCount());
    assertEquals("pixel_0_0", table.featureNames().get(0));
    assertEquals(10, java.util.Arrays.stream(table.classLabels()).distinct().count());
  }

  @Test
  void targetColumnMayBeAnywhereAndIsTakenOutOfTheFeatures() {
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
    assertTrue(e.getMessage().startsWith(file + " line 3: "), e.getMessage());
    assertEquals(3, e.line());
  }

  @Test
  void nonNumericCellNamesLineColumnAndValue() {
    CsvFormatException e = failure("a,b,target\n1,2,0\n1,abc,1\n");
    assertEquals(
        "mem.csv line 3: column 2: 'b' holds 'abc', which is not a number", e.getMessage());
  }

  @Test
  void rowWithWrongCellCountIsRejectedWithItsLine() {
    CsvFormatException e = failure("a,b,target\n1,2,0\n1,2\n");
    assertEquals("mem.csv line 3: expected 3 fields as in the header, found 2", e.getMessage());
  }

  @Test
  void emptyAndNonFiniteCellsAreRejected() {
    assertEquals(
        "mem.csv line 2: column 1: 'a' is missing; a number is required",
        failure("a,target\n,1\n").getMessage());
    assertTrue(failure("a,target\nNA,1\n").getMessage().contains("'a' is missing"));
    assertTrue(failure("a,target\nInfinity,1\n").getMessage().contains("only finite numbers"));
  }

  @Test
  void missingTargetColumnListsTheColumnsThatExist() {
    CsvFormatException e =
        assertThrows(
            CsvFormatException.class,
            () -> CsvTable.read(new StringReader("a,b\n1,2\n"), "mem.csv", "label"));
    assertEquals(
        "mem.csv line 1: no target column 'label' in the header; columns are [a, b]",
        e.getMessage());
  }

  @Test
  void emptyFileHeaderOnlyAndDuplicateNamesAreRejected() {
    assertTrue(failure("").getMessage().contains("the input is empty"));
    assertTrue(failure("a,target\n").getMessage().contains("no data rows"));
    assertTrue(
        failure("a,a,target\n1,2,3\n").getMessage().contains("column name 'a' repeats column 1"));
    assertTrue(failure("target\n1\n").getMessage().contains("no features"));
  }

  @Test
  void quotedNumbersAndCrLfLineEndsAreRead() {
    Table table = parse("\"a\",target\r\n\" 1.5\",0\r\n2,\"1\"\r\n");
    assertArrayEquals(new double[] {0, 1}, table.targets());
    assertArrayEquals(new float[] {1.5f, 2}, table.featuresRowMajor());
  }

  @Test
  void fractionalTargetsAreNotClassLabels() {
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
