package org.odahu.pack.commandline;

import org.odahu.pack.logging.LogFormat;
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
   * argument passed through to an image's entrypoint), and {@code --log-format} (or its variable)
   * chooses the format.
   */
  public static void main(CommandLine commandLine, String[] args) {
    Logging.configure(false);
    commandLine.setExecutionStrategy(
        parsed -> {
          boolean verbose = ErrorHandler.verbose(parsed);
          LogFormat format = Logging.format(parsed);
          if (verbose || format != LogFormat.TEXT) {
            Logging.configure(verbose, format);
          }
          return new CommandLine.RunLast().execute(parsed);
        });
    System.exit(commandLine.execute(args));
  }
}
