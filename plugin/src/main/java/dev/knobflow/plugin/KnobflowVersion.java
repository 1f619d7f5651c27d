package dev.knobflow.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The Knobflow version Maven wrote into {@code knobflow-version.properties} at build time: the one
 * source for {@code knobflow --version} and the version tag on MLflow runs.
 */
public final class KnobflowVersion {
  private static final String RESOURCE = "/dev/knobflow/plugin/cli/knobflow-version.properties";

  private KnobflowVersion() {}

  /** The version, or {@code unknown} when the build wrote none (e.g. running from an IDE). */
  public static String current() {
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
