package org.odahu.pack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.odahu.pack.server.ServeCommand;
import picocli.CommandLine;

/**
 * The command line {@code main} builds for the arguments (only the named command in full) behaves
 * as the full tree: same output, errors, suggestions and exit codes. Only arguments that print or
 * fail while parsing are run, so nothing starts.
 */
class LazyCommandLineTest {

  record Run(int status, String out, String err) {}

  private static Run run(CommandLine commandLine, String[] args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int status = commandLine.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "--help",
        "-h",
        "--version",
        "-V",
        "--verbose --help",
        "-hV",
        "help",
        "help serve",
        "help model",
        "--verbose help predict",
        "help nosuch",
        "help pack run",
        "help pack nosuch",
        "help image run --help",
        "srve",
        "--nosuch",
        "serve",
        "serve --help",
        "serve --version",
        "--verbose serve --help",
        "serve nothing.zip --port 70000",
        "pack",
        "pack --help",
        "pack run --help",
        "pack run --id x --format tgz",
        "predict --help",
        "info --help",
        "gppi test --help",
        "model invoke --help",
        "image run --help",
        "image run i.tar -v /tmp",
        "base-image build --help",
        "deploy manifests --help",
        "pack-to-image --help",
        "pack-to-rest --help",
        "pack-to-cli --help",
        "completion --help",
        "completion",
        "-- serve",
      })
  void behavesAsTheFullTree(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    Run full = run(OdahuPack.commandLine(), args);
    Run lazy = run(OdahuPack.commandLine(args), args);
    assertEquals(full, lazy, line);
  }

  @Test
  void helpNamesTheCommandWhosePageItPrints() {
    String[] args = {"help", "serve"};
    Run help = run(OdahuPack.commandLine(args), args);
    assertEquals(0, help.status());
    assertEquals(run(OdahuPack.commandLine(), new String[] {"serve", "--help"}).out(), help.out());
    assertTrue(help.out().contains("--port"), help.out());
  }

  @Test
  void helpGoesDownToTheSubcommandNamed() {
    String[] args = {"help", "pack", "run"};
    Run help = run(OdahuPack.commandLine(args), args);
    assertEquals(0, help.status());
    assertEquals(
        run(OdahuPack.commandLine(), new String[] {"pack", "run", "--help"}).out(), help.out());
    assertTrue(help.out().startsWith("Usage: odahu-pack pack run"), help.out());

    String[] unknown = {"help", "pack", "nosuch"};
    Run refused = run(OdahuPack.commandLine(unknown), unknown);
    assertEquals(2, refused.status());
    assertTrue(refused.err().startsWith("Error: Unknown subcommand 'pack nosuch'."), refused.err());
  }

  @Test
  void onlyTheNamedCommandIsBuilt() {
    CommandLine commandLine = OdahuPack.commandLine(new String[] {"--verbose", "serve", "a.zip"});
    assertInstanceOf(
        ServeCommand.class,
        commandLine.getSubcommands().get("serve").getCommandSpec().userObject());
    assertNull(commandLine.getSubcommands().get("pack").getCommandSpec().userObject());
    assertNull(
        OdahuPack.commandLine(new String[] {"--version"})
            .getSubcommands()
            .get("serve")
            .getCommandSpec()
            .userObject());
  }

  /** {@code main} prints a lone {@code --version} itself, exactly as picocli does. */
  @ParameterizedTest
  @ValueSource(strings = {"--version", "-V"})
  void theVersionWithoutPicocliIsPicocli(String option) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(
        OdahuPack.printVersion(
            new String[] {option}, new PrintStream(out, true, StandardCharsets.UTF_8)));
    Run picocli = run(OdahuPack.commandLine(), new String[] {option});
    assertEquals(picocli, new Run(0, out.toString(StandardCharsets.UTF_8), ""));
    assertTrue(picocli.out().startsWith("odahu-pack "), picocli.out());
    for (String[] other : new String[][] {{}, {option, "--verbose"}, {"serve", option}, {"-hV"}}) {
      assertFalse(
          OdahuPack.printVersion(
              other, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }
  }

  /**
   * {@code main} prints the top-level help that the build rendered, exactly as picocli renders it
   * now, with ANSI styles exactly when picocli would use them; anything else is left to picocli.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "--help", "-h"})
  void theRenderedHelpIsPicocli(String line) {
    String[] args = line.isEmpty() ? new String[0] : new String[] {line};
    try {
      for (boolean styled : new boolean[] {false, true}) {
        System.setProperty("picocli.ansi", String.valueOf(styled));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(HelpPage.print(args, new PrintStream(out, true, StandardCharsets.UTF_8)));
        Run picocli = run(OdahuPack.commandLine(), args);
        assertEquals(picocli, new Run(0, out.toString(StandardCharsets.UTF_8), ""));
        assertTrue(picocli.out().contains("Usage: "), picocli.out());
        assertEquals(styled, picocli.out().contains("\u001B["), picocli.out());
      }
      System.setProperty("picocli.usage.width", "120");
      assertFalse(HelpPage.print(args, new PrintStream(new ByteArrayOutputStream())));
    } finally {
      System.clearProperty("picocli.ansi");
      System.clearProperty("picocli.usage.width");
    }
    for (String[] other : new String[][] {{"--help", "--verbose"}, {"serve", "--help"}, {"-hV"}}) {
      assertFalse(HelpPage.print(other, new PrintStream(new ByteArrayOutputStream())));
    }
  }
}
