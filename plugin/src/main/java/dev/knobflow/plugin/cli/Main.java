package dev.knobflow.plugin.cli;

import java.util.List;
import picocli.CommandLine;

/** The {@code knobflow} command-line tool. See {@code docs/cli.md}. */
public final class Main {

  /** Loggers of libraries that log stack traces for failures Knobflow reports itself. */
  static final java.util.List<String> QUIET_LIBRARIES =
      java.util.List.of("dev.langchain4j", "org.mlflow", "org.apache.http", "org.apache.hc");

  private Main() {}

  /** Runs the CLI and exits with its exit code. */
  public static void main(String[] args) {
    configureLogging(args);
    System.exit(commandLine().execute(args));
  }

  /**
   * The CLI as a picocli {@link CommandLine}, for running it in-process: set its out and err
   * writers and call {@code execute(args)}.
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new KnobflowCommand());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  /**
   * Sets slf4j-simple's level from {@code --quiet}/{@code --verbose} before any logger exists (its
   * configuration is read once, when the first logger is made). Logs go to stderr.
   */
  private static void configureLogging(String[] args) {
    String level = "info";
    for (String a : args) {
      if (a.equals("-q") || a.equals("--quiet")) {
        level = "warn";
      } else if (a.equals("-v") || a.equals("--verbose")) {
        level = "debug";
      }
    }
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
    if (!level.equals("debug")) {
      // Libraries log each retry with its stack trace (langchain4j's RetryUtils: about 60 lines
      // when the LLM endpoint is down); Knobflow logs the cause in one line and falls back, so
      // their own warnings show only with --verbose.
      for (String library : QUIET_LIBRARIES) {
        setIfAbsent("org.slf4j.simpleLogger.log." + library, "error");
      }
    }
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    // The PostgreSQL storage's connection pool: start and stop lines only with --verbose. In the
    // CLI jar the pool is relocated to dev.knobflow.shaded.hikari (plugin/pom.xml), so its loggers
    // have that name there.
    for (String pool : List.of("com.zaxxer.hikari", "dev.knobflow.shaded.hikari")) {
      setIfAbsent("org.slf4j.simpleLogger.log." + pool, level.equals("debug") ? "debug" : "warn");
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
