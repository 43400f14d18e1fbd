package org.odahu.pack.commandline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.odahu.pack.logging.LogFormat;
import org.odahu.pack.server.ServeCommand;
import org.odahu.pack.server.batch.InvokeCommand;
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
}
