package dev.knobflow.plugin.cli;

import dev.knobflow.plugin.KnobflowVersion;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code knobflow --version}: the build's version ({@link KnobflowVersion}) and the Java version.
 */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {
      "knobflow " + KnobflowVersion.current(), "Java " + System.getProperty("java.version")
    };
  }
}
