package org.odahu.pack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code odahu-pack --help} rendered by picocli at build time, so the top-level help costs a cold
 * JVM no more than {@code --version}: building and rendering the command tree is ~0.15 s of a ~0.4
 * s answer. The build runs {@link #main} (exec-maven-plugin, {@code process-classes}) to write the
 * page with and without ANSI styles; {@link OdahuPack#main} prints the one picocli would choose.
 * Subcommands' pages show defaults from environment variables, so they are always rendered live.
 */
public final class HelpPage {
  private static final String PLAIN = "help/odahu-pack.txt";
  private static final String STYLED = "help/odahu-pack.ansi.txt";

  private HelpPage() {}

  /**
   * Prints the top-level help when {@code args} ask for it alone ({@code --help}, {@code -h}, or
   * nothing), as picocli would print it: with ANSI styles when picocli's automatic detection (its
   * {@code picocli.ansi} property, {@code NO_COLOR}, {@code CLICOLOR}, a terminal) enables them, 80
   * columns unless {@code picocli.usage.width} says otherwise (then picocli renders it).
   *
   * @return whether the help was printed; false leaves {@code args} to the command line
   */
  static boolean print(String[] args, PrintStream out) {
    boolean asked =
        args.length == 0
            || (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")));
    if (!asked || System.getProperty("picocli.usage.width") != null) {
      return false;
    }
    String page = Ansi.AUTO.enabled() ? STYLED : PLAIN;
    try (InputStream in = HelpPage.class.getResourceAsStream(page)) {
      if (in == null) {
        return false; // classes compiled without the build's rendering step (an IDE)
      }
      out.print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return false;
    }
    out.flush();
    return true;
  }

  /** The top-level help as picocli renders it with {@code ansi}. */
  static String render(Ansi ansi) {
    StringWriter text = new StringWriter();
    CommandLine commandLine = OdahuPack.commandLine(new String[] {"--help"});
    commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
    commandLine.setOut(new PrintWriter(text, true));
    int status = commandLine.execute("--help");
    if (status != 0) {
      throw new IllegalStateException("--help exited with " + status);
    }
    return text.toString();
  }

  /**
   * Writes both pages under the class-output directory {@code args[0]}, next to this class.
   *
   * @throws IOException when a page cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path directory =
        Path.of(args[0]).resolve(HelpPage.class.getPackageName().replace('.', '/')).resolve("help");
    Files.createDirectories(directory);
    Files.writeString(directory.resolve(Path.of(PLAIN).getFileName()), render(Ansi.OFF));
    Files.writeString(directory.resolve(Path.of(STYLED).getFileName()), render(Ansi.ON));
  }
}
