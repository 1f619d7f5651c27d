package dev.knobflow.plugin.cli;

import dev.knobflow.optimizers.FrozenTrial;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Ctrl-C for {@code tune}, {@code resume} and {@code worker}: a shutdown hook that marks the
 * running trials FAIL ("interrupted (Ctrl-C)") and says so, then waits until the command has
 * printed its summary (the JVM ends when its hooks do), and the JVM exits 130. The same with or
 * without a terminal: command objectives run in their own process group (see {@code
 * ProcessSupervisor}), so a terminal's SIGINT reaches the JVM only.
 */
final class InterruptHook implements AutoCloseable {

  /** Exit code after Ctrl-C (128 + SIGINT). */
  static final int EXIT_CODE = 130;

  /** The fail reason of the trials running at Ctrl-C. */
  static final String REASON = "interrupted (Ctrl-C)";

  /** How long the hook waits for the command's summary before the JVM ends anyway. */
  private static final long SUMMARY_WAIT_SECONDS = 60;

  private final AtomicBoolean fired = new AtomicBoolean();
  private final CountDownLatch summaryPrinted = new CountDownLatch(1);
  private final Thread hook;

  private InterruptHook(
      Function<String, List<FrozenTrial>> interrupt, PrintWriter err, String kept) {
    this.hook =
        new Thread(
            () -> {
              fired.set(true);
              List<FrozenTrial> failed = interrupt.apply(REASON);
              err.println();
              err.println(
                  "interrupted: "
                      + failed.size()
                      + " running trial"
                      + (failed.size() == 1 ? "" : "s")
                      + " marked FAIL; the study is kept in "
                      + kept);
              err.flush();
              // The JVM ends when the hooks do: let the command print its summary first.
              try {
                summaryPrinted.await(SUMMARY_WAIT_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "knobflow-interrupt");
  }

  /**
   * Installs the hook.
   *
   * @param interrupt marks the running trials FAIL with the given reason and stops their commands
   * @param kept where the study is kept, for the message
   */
  static InterruptHook install(
      Function<String, List<FrozenTrial>> interrupt, PrintWriter err, String kept) {
    InterruptHook h = new InterruptHook(interrupt, err, kept);
    Runtime.getRuntime().addShutdownHook(h.hook);
    return h;
  }

  /** Whether Ctrl-C (or SIGTERM) arrived. */
  boolean fired() {
    return fired.get();
  }

  /**
   * Call once the summary is printed: removes the hook, or, while it runs (the JVM is shutting
   * down), lets it finish.
   */
  @Override
  public void close() {
    summaryPrinted.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running (Ctrl-C): let it finish.
    }
  }
}
