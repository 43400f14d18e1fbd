package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.odahu.pack.batch.InvokeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option whose default comes from an environment variable names that variable in its help, in
 * {@code odahu-pack}'s commands and in the docker-cli images' {@code invoke}: a user who set the
 * variable for one command must be able to see which other commands read it.
 */
class OptionVariablesTest {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)");

  @Test
  void everyOptionReadFromAVariableNamesItInItsHelp() {
    List<String> unnamed = new ArrayList<>();
    collect(OdahuPack.commandLine(), unnamed);
    collect(new CommandLine(new InvokeCommand()), unnamed);
    assertEquals(List.of(), unnamed);
  }

  /** Variables whose value may hold a login: a URL, a key, a token, a password. */
  private static final Pattern SECRET_BEARING =
      Pattern.compile(".*(URL|URI|MIRROR|PROXY|INDEX|ENDPOINT|PASSWORD|TOKEN|SECRET|KEY).*");

  /**
   * Help shows an option's default where its description says ${DEFAULT-VALUE}: for a variable that
   * may hold a login (ODAHU_DEBIAN_MIRROR=https://user:password@...), that would print it.
   */
  @Test
  void noHelpPrintsTheValueOfAVariableThatMayHoldALogin() {
    List<String> shown = new ArrayList<>();
    for (CommandLine root :
        List.of(OdahuPack.commandLine(), new CommandLine(new InvokeCommand()))) {
      root.setInterpolateVariables(false);
      walkShown(root, shown);
    }
    assertEquals(List.of(), shown);
  }

  private static void walkShown(CommandLine command, List<String> shown) {
    for (OptionSpec option : command.getCommandSpec().options()) {
      String defaultValue = option.defaultValue();
      if (defaultValue == null
          || !String.join(" ", option.description()).contains("${DEFAULT-VALUE}")) {
        continue;
      }
      Matcher variable = VARIABLE.matcher(defaultValue);
      while (variable.find()) {
        if (SECRET_BEARING.matcher(variable.group(1)).matches()) {
          shown.add(command.getCommandSpec().qualifiedName() + " " + option.longestName());
        }
      }
    }
    command.getSubcommands().values().forEach(sub -> walkShown(sub, shown));
  }

  private static void collect(CommandLine root, List<String> unnamed) {
    root.setInterpolateVariables(false); // the annotations' own text
    walk(root, unnamed);
  }

  private static void walk(CommandLine command, List<String> unnamed) {
    for (OptionSpec option : command.getCommandSpec().options()) {
      String defaultValue = option.defaultValue();
      if (defaultValue == null) {
        continue;
      }
      String description = String.join(" ", option.description());
      Matcher variable = VARIABLE.matcher(defaultValue);
      while (variable.find()) {
        if (!description.contains(variable.group(1))) {
          unnamed.add(
              command.getCommandSpec().qualifiedName()
                  + " "
                  + option.longestName()
                  + ": "
                  + variable.group(1));
        }
      }
    }
    command.getSubcommands().values().forEach(sub -> walk(sub, unnamed));
  }
}
