package dev.knobflow.plugin.objective;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Ends a process together with everything it started. */
public final class ProcessTree {

  private ProcessTree() {}

  /**
   * Asks {@code root} and all its descendants to stop (SIGTERM on Unix), waits up to {@code grace}
   * for them to exit, then kills those still alive (SIGKILL). The descendants are collected first,
   * because once their parent has died they can no longer be found through it.
   */
  public static void terminate(ProcessHandle root, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
    tree.add(0, root);
    List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
    for (ProcessHandle h : tree) {
      if (h.isAlive()) {
        h.destroy();
        exits.add(h.onExit());
      }
    }
    try {
      CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new))
          .get(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Some ignored the polite request: force them below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle h : tree) {
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
  }
}
