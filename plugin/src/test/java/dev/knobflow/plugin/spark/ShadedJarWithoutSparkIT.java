package dev.knobflow.plugin.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The shaded CLI jar is what {@code spark-submit} is given: it must hold the Spark main class and
 * none of Spark or Scala, which the cluster provides (two copies would clash), and its connection
 * pool relocated (Spark's older HikariCP comes first on a cluster's classpath).
 */
class ShadedJarWithoutSparkIT {

  @Test
  void cliJarHasTheSparkMainClassButNotSparkItself() throws Exception {
    Path jar = Path.of("target/knobflow.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "built by package: " + jar);
    try (JarFile file = new JarFile(jar.toFile())) {
      assertNotNull(file.getEntry("dev/knobflow/plugin/spark/SparkTunerMain.class"));
      assertNotNull(file.getEntry("dev/knobflow/plugin/spark/WorkerTask.class"));
      List<String> bundled =
          file.stream()
              .map(ZipEntry::getName)
              .filter(n -> n.startsWith("org/apache/spark/") || n.startsWith("scala/"))
              .limit(5)
              .toList();
      assertEquals(List.of(), bundled);
      // Spark ships an old HikariCP ahead of the application jar: the CLI jar's is relocated.
      assertNull(file.getEntry("com/zaxxer/hikari/HikariConfig.class"));
      assertNotNull(file.getEntry("dev/knobflow/shaded/hikari/HikariConfig.class"));
    }
  }
}
