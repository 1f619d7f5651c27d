package dev.knobflow.plugin.mlflow;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Knobflow version Maven wrote into the CLI's {@code knobflow-version.properties}. */
final class KnobflowVersion {
  private static final String RESOURCE = "/dev/knobflow/plugin/cli/knobflow-version.properties";

  private KnobflowVersion() {}

  static String current() {
    try (InputStream in = KnobflowVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
