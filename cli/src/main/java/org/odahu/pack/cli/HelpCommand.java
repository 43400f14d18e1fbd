package org.odahu.pack.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code help [COMMAND...]}: the usage page of a command at any depth ({@code help pack run}), as
 * {@code git} and {@code kubectl} read it; picocli's own help command reads the first name only and
 * ignores the rest, printing {@code pack}'s page for {@code help pack run}.
 */
@Command(
    name = "help",
    helpCommand = true,
    header = "Show the usage help of a command at any depth: help pack run.",
    description = {
      "%nWhen no COMMAND is given, the usage help for the main command is displayed.",
      "If a COMMAND is specified, the help for that command is shown.%n"
    })
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show usage help for the help command and exit.")
  boolean helpRequested;

  @Parameters(
      paramLabel = "COMMAND",
      arity = "0..*",
      description = "The COMMAND, and its subcommands, to display the usage help message for.")
  String[] commands = new String[0];

  private CommandLine self;
  private Help.ColorScheme colors;
  private PrintWriter out;

  @Override
  public void init(
      CommandLine helpCommandLine,
      Help.ColorScheme colorScheme,
      PrintWriter outWriter,
      PrintWriter errWriter) {
    this.self = helpCommandLine;
    this.colors = colorScheme;
    this.out = outWriter;
  }

  @Override
  public void run() {
    CommandLine parent = self == null ? null : self.getParent();
    if (parent == null) {
      return;
    }
    CommandLine page = parent;
    StringBuilder path = new StringBuilder();
    for (String name : commands) {
      path.append(path.isEmpty() ? "" : " ").append(name);
      CommandLine next = page.getSubcommands().get(name);
      if (next == null) {
        throw new ParameterException(parent, "Unknown subcommand '" + path + "'.", null, name);
      }
      page = next;
    }
    page.usage(out, colors);
  }
}
