package dev.knobflow.plugin.energy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An executable {@code nvidia-smi} stand-in bound to one fixture: the green-metrics module's {@code
 * fake_nvidia_smi.py}, run from that module's test resources (one copy of the replay script), with
 * this module's own fixtures.
 */
public final class FakeNvidiaSmi {
  /** GPU 0 draws 300 W, GPU 1 100 W. */
  public static final String TWO_GPUS = "two-gpus-300w-100w";

  public static final String GPU0_UUID = "GPU-aaaaaaaa-0000-0000-0000-000000000000";
  public static final String GPU1_UUID = "GPU-bbbbbbbb-1111-1111-1111-111111111111";

  private FakeNvidiaSmi() {}

  /** Writes {@code dir/nvidia-smi} that replays {@code nvidia-smi/<fixture>.json}. */
  public static Path install(Path dir, String fixture) throws IOException {
    Path script = replayScript();
    Path json = resource(fixture + ".json");
    Path state = Files.createDirectories(dir.resolve("state"));
    Path wrapper = dir.resolve("nvidia-smi");
    Files.writeString(
        wrapper,
        "#!/bin/sh\nexec python3 '"
            + script
            + "' --fixture '"
            + json
            + "' --state '"
            + state
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    return wrapper;
  }

  private static Path replayScript() {
    Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path script =
        module
            .toAbsolutePath()
            .getParent()
            .resolve("green-metrics/src/test/resources/nvidia-smi/fake_nvidia_smi.py");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("the fake nvidia-smi replay script is missing: " + script);
    }
    return script;
  }

  private static Path resource(String name) {
    URL url = FakeNvidiaSmi.class.getResource("/nvidia-smi/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no test resource nvidia-smi/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
