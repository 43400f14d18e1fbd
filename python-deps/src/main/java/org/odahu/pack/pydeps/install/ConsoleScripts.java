package org.odahu.pack.pydeps.install;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.odahu.pack.pydeps.common.WheelInstallException;

/**
 * The {@code console_scripts} and {@code gui_scripts} of a wheel's {@code entry_points.txt}, and
 * the launcher each gets: the script pip writes, with the image's interpreter as its shebang.
 */
final class ConsoleScripts {
  /** One script: {@code name = module:attribute.path}. */
  record Script(String name, String module, String attribute) {}

  private static final Pattern ENTRY =
      Pattern.compile("([^=\\s][^=]*?)\\s*=\\s*([\\w.]+)\\s*(?::\\s*([\\w.]+))?\\s*(\\[.*])?\\s*");
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._+-]+");

  private ConsoleScripts() {}

  /** The scripts declared in {@code entryPoints} (the text of entry_points.txt). */
  static List<Script> parse(String entryPoints, String wheel) {
    List<Script> scripts = new ArrayList<>();
    String section = "";
    for (String raw : entryPoints.split("\r?\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip();
        continue;
      }
      if (!section.equals("console_scripts") && !section.equals("gui_scripts")) {
        continue;
      }
      Matcher m = ENTRY.matcher(line);
      if (!m.matches() || !SAFE_NAME.matcher(m.group(1)).matches() || m.group(1).matches("\\.+")) {
        // '.' and '..' would name bin/ or the tree itself, not a file in bin/.
        throw new WheelInstallException(wheel + ": invalid entry point '" + line + "'");
      }
      scripts.add(new Script(m.group(1), m.group(2), m.group(3)));
    }
    return scripts;
  }

  /** The launcher of {@code script}, run by {@code interpreter}. */
  static String launcher(Script script, String interpreter) {
    String importName =
        script.attribute() == null ? script.module() : script.attribute().split("\\.", -1)[0];
    String call = script.attribute() == null ? script.module() : script.attribute();
    String from =
        script.attribute() == null
            ? "import " + script.module()
            : "from " + script.module() + " import " + importName;
    return "#!"
        + interpreter
        + "\n"
        + "# -*- coding: utf-8 -*-\n"
        + "import re\n"
        + "import sys\n"
        + from
        + "\n"
        + "if __name__ == \"__main__\":\n"
        + "    sys.argv[0] = re.sub(r\"(-script\\.pyw|\\.exe)?$\", \"\", sys.argv[0])\n"
        + "    sys.exit("
        + call
        + "())\n";
  }
}
