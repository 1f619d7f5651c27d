package dev.knobflow.plugin.objective;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ties a command's whole process tree to the JVM that started it, so that not even {@code kill -9}
 * of the JVM leaves it running.
 *
 * <p>On Linux (where {@code setsid} from util-linux is found), a command runs as {@code setsid sh
 * -c SUPERVISOR GRACE COMMAND...}: the shell leads a new session and process group, so the command
 * and everything it starts share one group that a signal to the group reaches (even grandchildren
 * that were re-parented), and a terminal's Ctrl-C reaches the JVM only. The shell reads its
 * standard input, a pipe whose only writer is the JVM, in a small background watcher; the JVM never
 * writes to it, so the read ends when the JVM closes it or dies: then the watcher sends SIGTERM to
 * the group, waits GRACE seconds and sends SIGKILL. When the command exits by itself the shell ends
 * the group's leftovers (background processes the command did not wait for) and the watcher. The
 * command's standard input is {@code /dev/null}. Before that, when asked, it writes the output of
 * {@code times} to a file: the CPU time of the command and the descendants it waited for, which the
 * CPU-time energy estimate reads.
 *
 * <p>Elsewhere the command is started directly and only {@link ProcessTree} ends it (not after the
 * JVM is killed).
 */
final class ProcessSupervisor {

  /**
   * The supervisor: $1 is the grace in whole seconds, $2 a file for the command's CPU times (empty
   * for none), the rest is the command.
   */
  static final String SCRIPT =
      String.join(
          "\n",
          "g=$1; c=$2; shift 2",
          "exec 3<&0",
          // The watcher: EOF on the JVM's pipe means the JVM closed it or died.
          "{ read -r _ <&3; trap '' TERM; kill -TERM 0; sleep \"$g\"; kill -KILL 0; }"
              + " </dev/null >/dev/null 2>&1 &",
          "w=$!",
          "\"$@\" </dev/null 3<&-",
          "rc=$?",
          // The CPU time of the command and the descendants it waited for (the second line).
          "[ -z \"$c\" ] || times >\"$c\" 2>/dev/null",
          // The command is done: end what it left behind in its group, and the watcher.
          "trap '' TERM",
          "kill -TERM 0 2>/dev/null",
          "exit $rc");

  private static final Optional<String> SETSID = find("setsid");

  private ProcessSupervisor() {}

  /** Whether commands are supervised on this machine. */
  static boolean available() {
    return SETSID.isPresent() && System.getProperty("os.name", "").startsWith("Linux");
  }

  /**
   * The argument vector that runs {@code command} under the supervisor.
   *
   * @param cpuTimes where the supervisor writes the output of the shell's {@code times} when the
   *     command exits ({@link #childCpuTime}); null for nowhere
   */
  static List<String> wrap(List<String> command, Duration grace, Path cpuTimes) {
    List<String> argv = new ArrayList<>(command.size() + 6);
    argv.add(SETSID.orElseThrow());
    argv.add("/bin/sh");
    argv.add("-c");
    argv.add(SCRIPT);
    argv.add("knobflow-trial");
    argv.add(Long.toString(Math.max(1, (grace.toMillis() + 999) / 1000)));
    argv.add(cpuTimes == null ? "" : cpuTimes.toString());
    argv.addAll(command);
    return argv;
  }

  /**
   * Why {@code program} cannot be started from {@code directory} with {@code path} as the {@code
   * PATH}, or empty when it can (as {@link ProcessBuilder#start()} would resolve it).
   */
  static Optional<String> cannotRun(String program, Path directory, String path) {
    if (program.contains("/")) {
      Path p = directory.resolve(program);
      if (!Files.exists(p)) {
        return Optional.of("no such file");
      }
      return Files.isExecutable(p) && !Files.isDirectory(p)
          ? Optional.empty()
          : Optional.of("not an executable file");
    }
    for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir).resolve(program);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return Optional.empty();
      }
    }
    return Optional.of("not found on the PATH");
  }

  private static final Pattern TIME = Pattern.compile("(\\d+)m(\\d+(?:\\.\\d*)?)s");

  /**
   * The children's user plus system time from the output of the POSIX shell builtin {@code times}
   * (two lines, the shell's own times and its children's, each {@code 0m1.230000s 0m0.010000s} in
   * dash or {@code 0m1.230s 0m0.010s} in bash); empty when it does not read so.
   */
  static Optional<Duration> childCpuTime(String times) {
    String[] lines = times.strip().split("\\R");
    if (lines.length < 2) {
      return Optional.empty();
    }
    Matcher m = TIME.matcher(lines[1]);
    Duration total = Duration.ZERO;
    int found = 0;
    while (m.find()) {
      long minutes = Long.parseLong(m.group(1));
      BigDecimal seconds = new BigDecimal(m.group(2));
      long nanos = seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
      total = total.plusMinutes(minutes).plusNanos(nanos);
      found++;
    }
    return found == 2 ? Optional.of(total) : Optional.empty();
  }

  private static Optional<String> find(String program) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return Optional.of(p.toString());
      }
    }
    return Optional.empty();
  }

  /** Closes the JVM's end of the supervisor's pipe: the supervisor then ends the whole group. */
  static void release(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Already closed: the supervisor is ending the group or has ended it.
    }
  }
}
