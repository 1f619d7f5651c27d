package dev.knobflow.plugin.warmstart;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The features of the labelled rows, ready for the landmarkers: numeric features as doubles ({@code
 * NaN} when missing), categorical ones as codes where a missing cell has a code of its own.
 */
final class FeatureMatrix {
  final int rows;
  final List<double[]> numeric = new ArrayList<>();
  final List<int[]> categorical = new ArrayList<>();

  private FeatureMatrix(int rows) {
    this.rows = rows;
  }

  static FeatureMatrix of(List<MetaFeatures.Column> columns, int[] labelledRows) {
    FeatureMatrix m = new FeatureMatrix(labelledRows.length);
    for (MetaFeatures.Column column : columns) {
      if (column.numeric()) {
        double[] values = new double[labelledRows.length];
        for (int i = 0; i < values.length; i++) {
          values[i] = column.numbers()[labelledRows[i]];
        }
        m.numeric.add(values);
      } else {
        TreeSet<String> distinct = new TreeSet<>();
        for (int row : labelledRows) {
          if (column.texts()[row] != null) {
            distinct.add(column.texts()[row]);
          }
        }
        Map<String, Integer> code = new HashMap<>();
        for (String text : distinct) {
          code.put(text, code.size());
        }
        int missingCode = code.size();
        int[] codes = new int[labelledRows.length];
        for (int i = 0; i < codes.length; i++) {
          String text = column.texts()[labelledRows[i]];
          codes[i] = text == null ? missingCode : code.get(text);
        }
        m.categorical.add(codes);
      }
    }
    return m;
  }
}
