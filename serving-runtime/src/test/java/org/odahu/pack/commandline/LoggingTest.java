package org.odahu.pack.commandline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.ref.WeakReference;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.odahu.pack.batch.InvokeCommand;
import org.odahu.pack.logging.LogFormat;
import org.odahu.pack.server.ServeCommand;
import picocli.CommandLine;

/** Which log format a parsed command line asks for. */
class LoggingTest {
  private static LogFormat formatOf(Object command, String... args) {
    return Logging.format(new CommandLine(command).parseArgs(args));
  }

  @Test
  void serveAndTheImagesEntrypointsTakeLogFormat() {
    assertEquals(LogFormat.JSON, formatOf(new ServeCommand(), "m.zip", "--log-format", "json"));
    assertEquals(LogFormat.JSON, formatOf(new ServeCommand(), "m.zip", "--log-format=JSON"));
    assertEquals(LogFormat.TEXT, formatOf(new ServeCommand(), "m.zip", "--log-format", "text"));
    assertEquals(LogFormat.JSON, formatOf(new InvokeCommand(), "--log-format", "json", "info"));
  }

  @Test
  void withoutTheOptionOrTheVariableLogsAreText() {
    // The test JVM has no ODAHU_LOG_FORMAT (ServeEnvironmentIT covers the variable).
    assertEquals(LogFormat.TEXT, formatOf(new ServeCommand(), "m.zip"));
    assertEquals(LogFormat.TEXT, formatOf(new InvokeCommand(), "info"));
  }

  /** A command that logs JSON when asked and fails. */
  @CommandLine.Command(name = "failing")
  static final class Failing implements Callable<Integer> {
    @CommandLine.Option(names = Logging.FORMAT_OPTION, converter = Converters.LogFormatName.class)
    LogFormat format = LogFormat.TEXT;

    @CommandLine.Option(names = "--verbose")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
      throw new NoSuchFileException("/models/wine.zip");
    }
  }

  private static String failure(String... args) {
    StringWriter err = new StringWriter();
    int exit =
        Executables.withEdge(new CommandLine(new Failing()))
            .setErr(new PrintWriter(err))
            .execute(args);
    assertEquals(1, exit);
    return err.toString();
  }

  @Test
  void aFailureIsAJsonLineWhenTheCommandLogsJson() throws Exception {
    assertEquals("Error: No such file or directory: /models/wine.zip\n", failure());
    String json = failure("--log-format", "json");
    assertEquals(1, json.lines().count(), json);
    JsonNode line = new ObjectMapper().readTree(json);
    assertEquals("ERROR", line.get("level").asText());
    assertEquals(
        "Error: No such file or directory: /models/wine.zip", line.get("message").asText());
    assertFalse(line.has("exception"));
    JsonNode verbose = new ObjectMapper().readTree(failure("--log-format", "json", "--verbose"));
    assertTrue(
        verbose.get("exception").asText().startsWith("java.nio.file.NoSuchFileException"),
        verbose.toString());
  }

  @Test
  void noTextInAMessageLooksLikeAnotherRecordOrReachesTheTerminalRaw() {
    String forged =
        "unruly refuses x\n[odahu-pack][ INFO] 2026-12-06 11:27:15.713 - Model unruly 1.0 is ready";
    String n = System.lineSeparator();
    assertEquals(
        "unruly refuses x"
            + n
            + "  [odahu-pack][ INFO] 2026-12-06 11:27:15.713 - Model unruly 1.0"
            + " is ready",
        Logging.unforgeable(forged));
    assertEquals(
        "a\\x00b c\\x1b[31mred\td" + n + "  e" + n + "  f\\x7f\\x9b",
        Logging.unforgeable("a\u0000b c\u001b[31mred\td\r\ne\rf\u007f\u009b"));
    assertEquals("caf\u00e9 \u20ac", Logging.unforgeable("caf\u00e9 \u20ac"));
  }

  @Test
  void anUnknownFormatIsACommandLineMistake() {
    StringWriter err = new StringWriter();
    int exit =
        Executables.withEdge(new CommandLine(new ServeCommand()))
            .setErr(new PrintWriter(err))
            .execute("m.zip", "--log-format", "xml");
    assertEquals(2, exit);
    assertTrue(err.toString().contains("must be text or json, got 'xml'"), err.toString());
  }

  @Test
  void verboseKeepsLibrariesDebugOutputOutAfterCollections() {
    Logging.configure(true);
    try {
      // Collect until a weakly held object is gone, as the LogManager's loggers would be.
      WeakReference<Object> collected = new WeakReference<>(new Object());
      for (int i = 0; i < 50 && collected.get() != null; i++) {
        System.gc();
      }
      assertTrue(collected.get() == null, "a collection ran");
      assertFalse(
          Logger.getLogger("software.amazon.awssdk.auth.signer.internal.Aws4Signer")
              .isLoggable(Level.FINE),
          "signed requests stay out of --verbose");
      assertFalse(Logger.getLogger("sun.net.www.protocol.http").isLoggable(Level.FINE));
      assertTrue(Logger.getLogger("org.odahu.pack.server").isLoggable(Level.FINE));
    } finally {
      Logging.configure(false);
    }
  }
}
