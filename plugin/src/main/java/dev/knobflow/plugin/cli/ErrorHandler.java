package dev.knobflow.plugin.cli;

import dev.knobflow.plugin.config.StudyFileException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into a short message and an exit code: 2 for bad input (an invalid study file,
 * an unknown study), 1 for everything else. The stack trace is printed only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    boolean badInput = ex instanceof StudyFileException || ex instanceof BadInputException;
    String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    if (badInput) {
      err.println(cmd.getColorScheme().errorText("error: ") + message);
    } else {
      err.println(
          cmd.getColorScheme().errorText("error: ")
              + (ex instanceof RuntimeException && ex.getMessage() != null
                  ? message
                  : ex.getClass().getSimpleName() + ": " + message));
    }
    if (isVerbose(parseResult)) {
      ex.printStackTrace(err);
    } else if (!badInput) {
      err.println("(run with --verbose for the stack trace)");
    }
    err.flush();
    return badInput ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
  }

  private static boolean isVerbose(ParseResult parseResult) {
    ParseResult p = parseResult;
    while (p != null) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
      p = p.subcommand();
    }
    return false;
  }
}
