package dev.knobflow.plugin.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A terminal with a status line at the bottom: every other line is printed above it (the status
 * line is cleared, the line printed, the status line drawn again), so log lines and per-trial lines
 * never land inside the status line. After {@link #close()} the status line is gone and is never
 * drawn again.
 */
final class TerminalScreen implements AutoCloseable {

  private static final String CLEAR_LINE = "\r\u001b[K";

  private final PrintStream terminal;
  private final int width;
  private String status = "";
  private volatile boolean closed;
  private PrintStream replacedErr;
  private PrintStream routedErr;

  TerminalScreen(PrintStream terminal, int width) {
    this.terminal = terminal;
    this.width = Math.max(20, width);
  }

  /**
   * A screen on {@code System.out} whose log lines ({@code System.err}, where slf4j-simple writes)
   * go above the status line too, when stderr is the same terminal as stdout.
   */
  static TerminalScreen onStandardStreams() {
    TerminalScreen screen = new TerminalScreen(System.out, columns());
    if (stderrIsStdout()) {
      screen.replacedErr = System.err;
      screen.routedErr =
          new PrintStream(new LineSink(screen, System.err), true, StandardCharsets.UTF_8);
      System.setErr(screen.routedErr);
    }
    return screen;
  }

  /** Prints {@code line} above the status line. */
  synchronized void println(String line) {
    if (closed) {
      terminal.println(line);
      terminal.flush();
      return;
    }
    if (!status.isEmpty()) {
      terminal.print(CLEAR_LINE);
    }
    terminal.print(line);
    terminal.print('\n');
    terminal.print(status);
    terminal.flush();
  }

  /** Replaces the status line. */
  synchronized void status(String text) {
    if (closed) {
      return;
    }
    String fitted = text.length() >= width ? text.substring(0, width - 1) : text;
    if (fitted.equals(status)) {
      return;
    }
    status = fitted;
    terminal.print(CLEAR_LINE);
    terminal.print(status);
    terminal.flush();
  }

  /** Clears the status line for good and gives stderr back. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!status.isEmpty()) {
      terminal.print(CLEAR_LINE);
      terminal.flush();
    }
    status = "";
    if (replacedErr != null) {
      // Writers that captured the routed stream (picocli's err) now write straight through.
      routedErr.flush();
      System.setErr(replacedErr);
    }
  }

  /** The terminal's width from {@code COLUMNS}, else 100. */
  static int columns() {
    try {
      int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "").trim());
      return columns >= 20 ? columns : 100;
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  /** Whether stderr and stdout are the same file (the same terminal), where Linux can tell. */
  private static boolean stderrIsStdout() {
    Path out = Path.of("/proc/self/fd/1");
    Path err = Path.of("/proc/self/fd/2");
    if (!Files.exists(out) || !Files.exists(err)) {
      return true; // no /proc: assume both on the terminal, as they usually are
    }
    try {
      return Files.isSameFile(out, err);
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Collects bytes into lines and prints each above the status line; once the screen is closed,
   * passes everything straight to the stream it replaced.
   */
  private static final class LineSink extends OutputStream {
    private final TerminalScreen screen;
    private final PrintStream original;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineSink(TerminalScreen screen, PrintStream original) {
      this.screen = screen;
      this.original = original;
    }

    @Override
    public synchronized void write(int b) {
      if (screen.closed) {
        if (line.size() > 0) {
          original.write(line.toByteArray(), 0, line.size());
          line.reset();
        }
        original.write(b);
      } else if (b == '\n') {
        flushLine();
      } else {
        line.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    @Override
    public synchronized void flush() {
      if (screen.closed) {
        if (line.size() > 0) {
          original.write(line.toByteArray(), 0, line.size());
          line.reset();
        }
        original.flush();
      }
      // else a partial line waits for its end: printing it now would put it in the status line
    }

    private void flushLine() {
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      screen.println(text);
    }
  }
}
