package org.odahu.pack.commandline;

import picocli.CommandLine;

/** What every odahu-pack {@code main} does: the edge's error handling, logging, then exit. */
public final class Executables {
  private Executables() {}

  /**
   * Installs the edge on {@code commandLine}: {@link ErrorHandler} with the {@linkplain
   * HelpfulSuggestions#standard() standard suggestions}. Tests run commands built this way.
   */
  public static CommandLine withEdge(CommandLine commandLine) {
    ErrorHandler handler = new ErrorHandler(HelpfulSuggestions.standard());
    return commandLine.setExecutionExceptionHandler(handler).setParameterExceptionHandler(handler);
  }

  /**
   * Runs {@code commandLine} (already {@linkplain #withEdge with the edge}) on {@code args} and
   * exits the JVM with its exit code. Logging is configured once the arguments are parsed, so only
   * a {@code --verbose} that picocli matched as an option turns on debug output (never, say, an
   * argument passed through to an image's entrypoint).
   */
  public static void main(CommandLine commandLine, String[] args) {
    Logging.configure(false);
    commandLine.setExecutionStrategy(
        parsed -> {
          if (ErrorHandler.verbose(parsed)) {
            Logging.configure(true);
          }
          return new CommandLine.RunLast().execute(parsed);
        });
    System.exit(commandLine.execute(args));
  }
}
