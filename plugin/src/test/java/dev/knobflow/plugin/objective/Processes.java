package dev.knobflow.plugin.objective;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: whether a process is still running. */
public final class Processes {

  private Processes() {}

  /**
   * Whether {@code pid} runs. A killed process whose parent is gone stays a zombie until PID 1
   * reaps it, and some container init processes never do; {@link ProcessHandle#isAlive()} counts
   * zombies as alive, so they are excluded here by their {@code /proc} state.
   */
  public static boolean isRunning(long pid) {
    boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    if (!alive) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    try {
      String s = Files.readString(stat);
      // The state follows the parenthesised command name: "pid (comm) S ...".
      char state = s.substring(s.lastIndexOf(')') + 2).charAt(0);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return Files.exists(stat);
    }
  }
}
