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
