package dev.knobflow.greenmetrics.nvidia;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creates an executable wrapper around {@code fake_nvidia_smi.py} bound to one fixture, for use as
 * {@link NvidiaSmiConfig#executable()}.
 */
public final class FakeNvidiaSmi {

  private FakeNvidiaSmi() {}

  /** Writes {@code dir/nvidia-smi} that replays {@code nvidia-smi/<fixture>.json}. */
  public static Path install(Path dir, String fixture) throws IOException {
    Path script = resource("fake_nvidia_smi.py");
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

  /** Path of a file under the test resources' {@code nvidia-smi/} folder. */
  public static Path resource(String name) {
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
