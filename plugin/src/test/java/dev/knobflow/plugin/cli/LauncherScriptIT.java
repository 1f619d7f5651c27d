package dev.knobflow.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the real {@code ./knobflow} launcher. An integration test (failsafe): it runs after {@code
 * package} has built the shaded jar, so {@code ./mvnw verify} always exercises it.
 */
class LauncherScriptIT {

  @Test
  void launcherRunsTheShadedJar() throws Exception {
    Path repo = Path.of("").toAbsolutePath().getParent();
    Path script = repo.resolve("knobflow");
    Path jar = repo.resolve("plugin/target/knobflow.jar");
    assumeTrue(Files.isExecutable(script), "no launcher at " + script);
    assumeTrue(Files.isRegularFile(jar), "the shaded jar is built by mvn package, after tests");
    Process p = new ProcessBuilder(script.toString(), "--help").redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("Usage: knobflow"), out);
    assertTrue(out.contains("tune"), out);
  }
}
