package org.odahu.pack.server;

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

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    boolean verbose = Logging.verboseRequested(parseResult.originalArgs().toArray(new String[0]));
    String message = exception.getMessage() == null ? exception.toString() : exception.getMessage();
    commandLine.getErr().println("Error: " + message);
    if (verbose) {
      exception.printStackTrace(commandLine.getErr());
    }
    return 1;
  }
}
