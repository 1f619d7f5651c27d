package dev.knobflow.plugin.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into {@code knobflow-version.properties} at build time. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {"knobflow " + version(), "Java " + System.getProperty("java.version")};
  }

  static String version() {
    try (InputStream in =
        VersionProvider.class.getResourceAsStream("knobflow-version.properties")) {
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
