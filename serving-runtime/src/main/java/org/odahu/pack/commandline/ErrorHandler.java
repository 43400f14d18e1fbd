package org.odahu.pack.commandline;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Failures as the user sees them. An exception from a command becomes one line on stderr, {@code
 * Error: <message>}, with the hint {@link HelpfulSuggestions} knows for its type, and exit code 1;
 * with {@code --verbose} the details (a Python traceback) and the stack trace follow. A
 * command-line mistake (found by picocli, or a {@link CommandLine.ParameterException} a command
 * throws after checking how its options combine) becomes the message, picocli's "did you mean"
 * suggestions for a mistyped command or option, the short usage and exit code 2.
 */
public final class ErrorHandler
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  private final HelpfulSuggestions suggestions;

  /** Reports errors with {@code suggestions}. */
  public ErrorHandler(HelpfulSuggestions suggestions) {
    this.suggestions = suggestions;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException exception, String[] args) {
    CommandLine failed = exception.getCommandLine();
    PrintWriter err = failed.getErr();
    err.println("Error: " + exception.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
    err.println("Usage: " + failed.getHelp().abbreviatedSynopsis().strip());
    err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more.");
    err.flush();
    return failed.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, ParseResult parseResult) {
    if (exception instanceof CommandLine.ParameterException mistake) {
      // A command that checks how its options combine reports a mistake as picocli would.
      return handleParseException(mistake, parseResult.originalArgs().toArray(new String[0]));
    }
    PrintWriter err = commandLine.getErr();
    err.println("Error: " + suggestions.message(exception));
    if (verbose(parseResult)) {
      String details = suggestions.details(exception);
      if (!details.isEmpty()) {
        err.println(details.strip());
      }
      exception.printStackTrace(err);
    }
    err.flush();
    return commandLine.getCommandSpec().exitCodeOnExecutionException();
  }

  /** Whether {@code --verbose} (or {@code -v} where it is that option) was given to any command. */
  static boolean verbose(ParseResult parsed) {
    for (ParseResult command = parsed; command != null; command = command.subcommand()) {
      if (command.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
