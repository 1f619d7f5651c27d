package dev.knobflow.greenmetrics.nvidia;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creates an executable {@code nvidia-smi} stand-in that replays one fixture through {@code
 * fake_nvidia_smi.py}, for use as {@link NvidiaSmiConfig#executable()} where there is no GPU.
 * Shared with other modules' tests through the green-metrics test-jar (one copy of the fake and its
 * fixtures); the script and fixture are copied next to the wrapper, so it works from a jar too.
 */
public final class FakeNvidiaSmi {

  /** Fixture: GPU 0 draws 300 W, GPU 1 100 W. */
  public static final String TWO_GPUS = "two-gpus-300w-100w";

  /** The UUID of GPU 0 in {@link #TWO_GPUS}. */
  public static final String GPU0_UUID = "GPU-aaaaaaaa-0000-0000-0000-000000000000";

  /** The UUID of GPU 1 in {@link #TWO_GPUS}. */
  public static final String GPU1_UUID = "GPU-bbbbbbbb-1111-1111-1111-111111111111";

  private FakeNvidiaSmi() {}

  /**
   * Writes {@code dir/nvidia-smi} that replays the test resource {@code nvidia-smi/<fixture>.json}.
   */
  public static Path install(Path dir, String fixture) throws IOException {
    Path script = copyResource("fake_nvidia_smi.py", dir);
    Path json = copyResource(fixture + ".json", dir);
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

  private static Path copyResource(String name, Path dir) throws IOException {
    try (InputStream in = FakeNvidiaSmi.class.getResourceAsStream("/nvidia-smi/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource nvidia-smi/" + name);
      }
      Path target = Files.createDirectories(dir.resolve("fake-nvidia-smi")).resolve(name);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    }
  }
}
