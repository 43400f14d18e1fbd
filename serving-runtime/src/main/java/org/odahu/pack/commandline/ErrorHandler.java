package org.odahu.pack.commandline;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.gppi.InvalidOptionsException;
import org.odahu.pack.logging.JsonLine;
import org.odahu.pack.logging.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Failures as the user sees them. An exception from a command becomes one line on stderr, {@code
 * Error: <message>}, with the hint {@link HelpfulSuggestions} knows for its type, and exit code 1;
 * with {@code --verbose} the details (a Python traceback) and the stack trace follow. A command
 * that logs JSON ({@code --log-format json}) gets that line as a JSON object instead. A
 * command-line mistake (found by picocli, or a {@link CommandLine.ParameterException} or {@link
 * InvalidOptionsException} a command throws after checking how its options combine) becomes the
 * message, picocli's "did you mean" suggestions for a mistyped command or option, the short usage
 * and exit code 2; for a command that logs JSON (its {@code --log-format json} given before the
 * mistake, or {@code ODAHU_LOG_FORMAT=json}, as a misconfigured container has it) the message,
 * suggestions and where to find help as one JSON object.
 */
public final class ErrorHandler
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  private static final Pattern CAPITAL = Pattern.compile("([A-Z])");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)");

  private final HelpfulSuggestions suggestions;

  /** Reports errors with {@code suggestions}. */
  public ErrorHandler(HelpfulSuggestions suggestions) {
    this.suggestions = suggestions;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException exception, String[] args) {
    CommandLine failed = exception.getCommandLine();
    PrintWriter err = failed.getErr();
    // picocli's messages about option groups start with "Error: " themselves.
    String message =
        "Error: "
            + exception.getMessage().replaceFirst("^Error: ", "")
            + fromVariable(exception, args);
    String help = "Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more.";
    if (Logging.format(failed) == LogFormat.JSON) {
      StringWriter suggested = new StringWriter();
      CommandLine.UnmatchedArgumentException.printSuggestions(
          exception, new PrintWriter(suggested));
      String hints = suggested.toString().strip().replaceAll("\\s*\\R\\s*", " ");
      String sentence = message.matches(".*[.!?]$") ? message : message + ".";
      err.println(errorLine(sentence + (hints.isEmpty() ? "" : " " + hints) + " " + help).end());
    } else {
      err.println(message);
      CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
      err.println("Usage: " + failed.getHelp().abbreviatedSynopsis().strip());
      err.println(help);
    }
    err.flush();
    return failed.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * Where a refused value came from when the user did not type it: {@code ; it is the value of the
   * environment variable ODAHU_PORT}, else nothing.
   */
  private static String fromVariable(CommandLine.ParameterException exception, String[] args) {
    if (!(exception.getArgSpec() instanceof CommandLine.Model.OptionSpec option)) {
      return "";
    }
    for (String arg : args) {
      for (String name : option.names()) {
        if (arg.equals(name) || arg.startsWith(name.startsWith("--") ? name + "=" : name)) {
          return "";
        }
      }
    }
    CommandLine.Model.CommandSpec command = option.command();
    boolean interpolated = command.interpolateVariables();
    command.interpolateVariables(false); // the annotation's own text: ${env:NAME:-default}
    String declared = option.defaultValue();
    command.interpolateVariables(interpolated);
    Matcher variable = VARIABLE.matcher(declared == null ? "" : declared);
    while (variable.find()) {
      if (System.getenv(variable.group(1)) != null) {
        return "; it is the value of the environment variable " + variable.group(1);
      }
    }
    return "";
  }

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, ParseResult parseResult) {
    if (exception instanceof CommandLine.ParameterException mistake) {
      // A command that checks how its options combine reports a mistake as picocli would.
      return handleParseException(mistake, parseResult.originalArgs().toArray(new String[0]));
    }
    if (exception instanceof InvalidOptionsException invalid) {
      // Values checked together once parsed (sizes, limits against each other): mistakes too,
      // each named by the command's own flag where it has one (inputMatrix: --input-matrix).
      String message =
          String.join(
              "; ",
              invalid.renamed(option -> flag(commandLine, option)).stream()
                  .map(InvalidOptionsException.Problem::toString)
                  .toList());
      return handleParseException(
          new CommandLine.ParameterException(commandLine, message, invalid),
          parseResult.originalArgs().toArray(new String[0]));
    }
    PrintWriter err = commandLine.getErr();
    if (Logging.format(parseResult) == LogFormat.JSON) {
      err.println(jsonError(exception, verbose(parseResult)));
      err.flush();
      return commandLine.getCommandSpec().exitCodeOnExecutionException();
    }
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

  /**
   * The failure as a log collector reads the rest of a JSON log: one object, the message (with its
   * hint) as {@code message}, the details and stack trace as {@code exception} when verbose.
   */
  private String jsonError(Exception exception, boolean verbose) {
    JsonLine line = errorLine("Error: " + suggestions.message(exception));
    if (verbose) {
      StringWriter trace = new StringWriter();
      String details = suggestions.details(exception);
      if (!details.isEmpty()) {
        trace.append(details.strip()).append('\n');
      }
      exception.printStackTrace(new PrintWriter(trace));
      line.field("exception", trace.toString().stripTrailing());
    }
    return line.end();
  }

  /** An error as a line of a JSON log, to be ended by the caller. */
  private static JsonLine errorLine(String message) {
    return new JsonLine()
        .field("time", JsonLine.time(Instant.now()))
        .field("level", "ERROR")
        .field("logger", "odahu-pack")
        // Every record of a JSON log has the same fields (JsonLogFormatter's).
        .field("thread", Thread.currentThread().getName())
        .field("message", message);
  }

  /** {@code --input-matrix} for {@code inputMatrix} if {@code command} has that flag. */
  private static String flag(CommandLine command, String option) {
    String flag = "--" + CAPITAL.matcher(option).replaceAll("-$1").toLowerCase(Locale.ROOT);
    return command.getCommandSpec().findOption(flag) != null ? flag : option;
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
