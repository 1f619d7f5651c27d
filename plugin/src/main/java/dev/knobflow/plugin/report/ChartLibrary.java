package dev.knobflow.plugin.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The charting library and the page's own script and style, vendored as class-path resources so a
 * report needs no network: Plotly.js (npm {@code plotly.js-dist-min}, {@value #PLOTLY_VERSION},
 * MIT; see {@code plugin/ATTRIBUTION.md}), stored gzip-compressed and inlined as base64 for the
 * page to inflate with the browser's {@code DecompressionStream}.
 */
final class ChartLibrary {

  /** The vendored Plotly.js version. */
  static final String PLOTLY_VERSION = "2.35.3";

  private static final String PLOTLY = "plotly-" + PLOTLY_VERSION + ".min.js.gz";

  private ChartLibrary() {}

  /** The gzip-compressed Plotly bundle as base64; read once. */
  static String plotlyGzipBase64() {
    return Holder.PLOTLY_BASE64;
  }

  /** The page's script, {@code report.js}. */
  static String script() {
    return Holder.SCRIPT;
  }

  /** The page's style sheet, {@code report.css}. */
  static String style() {
    return Holder.STYLE;
  }

  /** Loaded on first use, so code that never renders HTML never reads the 1.3 MB bundle. */
  private static final class Holder {
    static final String PLOTLY_BASE64 = Base64.getEncoder().encodeToString(read(PLOTLY));
    static final String SCRIPT = new String(read("report.js"), StandardCharsets.UTF_8);
    static final String STYLE = new String(read("report.css"), StandardCharsets.UTF_8);
  }

  private static byte[] read(String name) {
    try (InputStream in = ChartLibrary.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the report resource " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the report resource " + name, e);
    }
  }
}
