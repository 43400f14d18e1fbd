package org.odahu.pack.server;

import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.InterpreterNotFoundException;
import org.odahu.pack.gppi.MissingModuleException;
import org.odahu.pack.gppi.RuntimeNotInstalledException;
import org.odahu.pack.gppi.UnknownRuntimeException;
import picocli.CommandLine;

/**
 * Turns exceptions into one line on stderr with the exit code 1 (stack traces only with {@code
 * --verbose}/{@code -v}), and command-line mistakes into the message plus short usage (exit 2).
 */
public final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  private ErrorHandler() {}

  /** Installs the handlers on {@code commandLine} and returns it. */
  public static CommandLine install(CommandLine commandLine) {
    return commandLine
        .setExecutionExceptionHandler(new ErrorHandler())
        .setParameterExceptionHandler(
            (exception, args) -> {
              CommandLine failed = exception.getCommandLine();
              failed.getErr().println("Error: " + exception.getMessage());
              failed.getErr().println("Usage: " + failed.getHelp().synopsis(0).strip());
              failed
                  .getErr()
                  .println(
                      "Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more.");
              return 2;
            });
  }

  /** What the user can do about a failure the model libraries report as data, or null. */
  static String hint(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      switch (cause) {
        case InterpreterNotFoundException e -> {
          return "install Python 3 with the model's dependencies, or choose an interpreter"
              + " (--python, ODAHU_PYTHON).";
        }
        case UnknownRuntimeException e -> {
          return "choose --runtime " + String.join(" or ", e.knownRuntimes()) + ".";
        }
        case RuntimeNotInstalledException e -> {
          return "odahu-pack's lib/graalpy directory holds it; or use --runtime cpython.";
        }
        case MissingModuleException e -> {
          return BackendOptions.GRAALPY.equals(e.runtime())
              ? "serve this model with the CPython runtime (--runtime cpython)."
              : "install them there, or pick an interpreter that has them (--python).";
        }
        default -> {}
      }
    }
    return null;
  }

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    boolean verbose = Logging.verboseRequested(parseResult.originalArgs().toArray(new String[0]));
    String message = exception.getMessage() == null ? exception.toString() : exception.getMessage();
    String hint = hint(exception);
    if (hint != null) {
      message += (message.endsWith(".") ? "" : ".") + " Hint: " + hint;
    }
    commandLine.getErr().println("Error: " + message);
    if (verbose) {
      exception.printStackTrace(commandLine.getErr());
    }
    return 1;
  }
}
