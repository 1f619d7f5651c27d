package dev.knobflow.plugin.report;

import java.util.Objects;

/**
 * One rendered chart.
 *
 * @param fileName the PNG's file name in the report directory, e.g. {@code pareto.png}
 * @param title what the chart shows
 * @param png the PNG bytes
 */
public record ChartImage(String fileName, String title, byte[] png) {

  public ChartImage {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(title, "title");
    png = png.clone();
  }

  @Override
  public byte[] png() {
    return png.clone();
  }
}
