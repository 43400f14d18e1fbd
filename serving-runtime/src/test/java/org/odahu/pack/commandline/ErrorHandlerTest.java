package org.odahu.pack.commandline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.odahu.pack.batch.InvokeCommand;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.GppiException;
import org.odahu.pack.gppi.InterpreterNotFoundException;
import org.odahu.pack.gppi.InvalidOptionsException;
import org.odahu.pack.gppi.MissingModuleException;
import org.odahu.pack.gppi.ModelPredictionException;
import org.odahu.pack.gppi.ModelStartupException;
import org.odahu.pack.gppi.RuntimeNotInstalledException;
import org.odahu.pack.gppi.UnknownRuntimeException;
import org.odahu.pack.logging.LogFormat;
import org.odahu.pack.server.http.FileDescriptors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The edge's error reporting, on a stand-in command that throws what it is told to. */
class ErrorHandlerTest {

  @Command(name = "tool")
  static final class Tool implements Callable<Integer> {
    @Option(names = "--verbose")
    boolean verbose;

    @Option(names = "--port", converter = Converters.Port.class, defaultValue = "5000")
    int port;

    @Option(names = "--input-matrix")
    String inputMatrix;

    @Option(
        names = Logging.FORMAT_OPTION,
        converter = Converters.LogFormatName.class,
        defaultValue = "${sys:odahu.test.log.format:-text}")
    LogFormat logFormat;

    @Parameters(paramLabel = "ARGS")
    List<String> arguments = new ArrayList<>();

    Throwable failure;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (arguments.contains("mistake")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--port and ARGS disagree");
      }
      if (arguments.contains("print")) {
        spec.commandLine().getOut().println("printed");
      }
      if (failure instanceof Error error) {
        throw error;
      }
      if (failure != null) {
        throw (Exception) failure;
      }
      return 0;
    }
  }

  private record Run(int status, String err) {}

  private static Run run(Throwable failure, String... args) {
    return run(new PrintWriter(new StringWriter(), true), failure, args);
  }

  private static Run run(PrintWriter out, Throwable failure, String... args) {
    Tool tool = new Tool();
    tool.failure = failure;
    StringWriter err = new StringWriter();
    CommandLine commandLine = Executables.withEdge(new CommandLine(tool));
    commandLine
        .setUnmatchedOptionsArePositionalParams(true)
        .setOut(out)
        .setErr(new PrintWriter(err, true));
    return new Run(commandLine.execute(args), err.toString());
  }

  @Test
  void aFailureIsOneLineWithExitCode1() {
    Run run = run(new IllegalStateException("The registry is unreachable"));
    assertEquals(1, run.status());
    assertEquals("Error: The registry is unreachable\n", run.err());
  }

  @Test
  void theJdksFileExceptionsAreWorded() {
    Run run = run(new NoSuchFileException("/data/wine.tar"));
    assertEquals("Error: No such file or directory: /data/wine.tar\n", run.err());
  }

  @Test
  void typedStartupFailuresGetTheFlagThatFixesThem() {
    assertEquals(
        "Error: The Python interpreter /nope cannot be run: No such file."
            + " Hint: install Python 3 with the model's dependencies, or choose an interpreter"
            + " (--python, ODAHU_PYTHON).\n",
        run(new CompletionException(
                new InterpreterNotFoundException(Path.of("/nope"), "No such file", null)))
            .err());
    assertEquals(
        "Error: Unknown model runtime 'pypy': the runtimes are cpython and graalpy."
            + " Hint: choose --runtime cpython or graalpy.\n",
        run(new UnknownRuntimeException("pypy", List.of("cpython", "graalpy"))).err());
    assertEquals(
        "Error: The graalpy runtime is not installed: its module (gppi-graalpy) and the jars it"
            + " needs are not on the class path."
            + " Hint: odahu-pack's lib/graalpy directory holds it; or use --runtime cpython.\n",
        run(new RuntimeNotInstalledException("graalpy", "gppi-graalpy")).err());
    assertEquals(
        "Error: no numpy. Hint: serve this model with the CPython runtime (--runtime cpython).\n",
        run(new MissingModuleException("no numpy", "no numpy", "", "numpy", BackendOptions.GRAALPY))
            .err());
    assertEquals(
        "Error: no numpy. Hint: install them there, or pick an interpreter that has them"
            + " (--python).\n",
        run(new MissingModuleException("no numpy", "no numpy", "", "numpy", BackendOptions.CPYTHON))
            .err());
    assertEquals(
        "Error: init() raised\n", run(new ModelStartupException("init() raised", "")).err());
  }

  @Test
  void verboseAddsThePythonTracebackOfACauseAndTheStackTrace() {
    Exception failure =
        new GppiException(
            "Exception during prediction: boom",
            new ModelPredictionException(
                "boom", "ValueError", "Traceback (most recent call last)"));
    Run quiet = run(failure);
    assertEquals("Error: Exception during prediction: boom\n", quiet.err());
    Run verbose = run(failure, "--verbose");
    List<String> lines = verbose.err().lines().toList();
    assertEquals("Error: Exception during prediction: boom", lines.get(0));
    assertEquals("Traceback (most recent call last)", lines.get(1));
    assertTrue(lines.get(2).startsWith(GppiException.class.getName()), verbose.err());
  }

  @Test
  void onlyAMatchedVerboseOptionCounts() {
    // "-v" and "--verbose" after "--" belong to a wrapped program (image run), not to us.
    Run run = run(new IllegalStateException("failed"), "--", "-v", "--verbose");
    assertEquals("Error: failed\n", run.err());
    CommandLine commandLine = new CommandLine(new Tool());
    assertFalse(ErrorHandler.verbose(commandLine.parseArgs("--", "--verbose")));
    assertTrue(ErrorHandler.verbose(commandLine.parseArgs("--verbose", "x")));
  }

  @Test
  void aBadOptionValueIsExitCode2WithTheShortUsage() {
    Run run = run(null, "--port", "70000");
    assertEquals(2, run.status());
    assertEquals(
        "Error: Invalid value for option '--port': must be between 0 and 65535, got 70000\n"
            + "Usage: tool [OPTIONS] [ARGS...]\n"
            + "Try 'tool --help' for more.\n",
        run.err());
  }

  @Test
  void aMistakeOfACommandThatLogsJsonIsOneJsonObject() throws IOException {
    for (Run run :
        List.of(
            run(null, "--log-format", "json", "--port", "70000"),
            run(null, "--log-format", "json", "mistake"))) {
      assertEquals(2, run.status());
      assertEquals(1, run.err().lines().count(), run.err());
      JsonNode line = new ObjectMapper().readTree(run.err());
      assertEquals("ERROR", line.get("level").asText());
      assertEquals("odahu-pack", line.get("logger").asText());
      assertEquals(Thread.currentThread().getName(), line.get("thread").asText(), run.err());
      assertTrue(line.get("time").asText().endsWith("Z"), run.err());
      assertTrue(line.get("message").asText().endsWith(" Try 'tool --help' for more."), run.err());
    }
    assertEquals(
        "Error: Invalid value for option '--port': must be between 0 and 65535, got 70000."
            + " Try 'tool --help' for more.",
        new ObjectMapper()
            .readTree(run(null, "--log-format", "json", "--port", "70000").err())
            .get("message")
            .asText());
    // The format from the environment (here a property) counts before any option is read.
    System.setProperty("odahu.test.log.format", "json");
    try {
      Run run = run(null, "--port", "70000", "--log-format", "text");
      assertTrue(run.err().startsWith("{\"time\":"), run.err());
    } finally {
      System.clearProperty("odahu.test.log.format");
    }
    // Given after the mistake, as picocli stops there: text, as without it.
    assertTrue(run(null, "--port", "70000", "--log-format", "json").err().startsWith("Error: "));
  }

  /** Where the process runs out of descriptors varies: an event loop, a library to load. */
  @Test
  void runningOutOfFileDescriptorsSaysToRaiseTheLimit() {
    Run eventLoop =
        run(
            new IllegalStateException(
                "failed to create a child event loop",
                new IOException("eventfd() failed: Too many open files")));
    Run library =
        run(
            new UnsatisfiedLinkError(
                "/jdk/lib/libmanagement.so: cannot open shared object file: Too many open files"));
    for (Run run : List.of(eventLoop, library)) {
      assertEquals(1, run.status(), run.err());
      assertEquals(1, run.err().lines().count(), run.err());
      assertTrue(run.err().startsWith("Error: Too many open files"), run.err());
      assertTrue(run.err().contains("Hint: raise the limit (ulimit -n"), run.err());
    }
    assertTrue(
        eventLoop.err().contains("may have at most " + FileDescriptors.limit() + " open"),
        eventLoop.err());
  }

  @Test
  void outputThatDoesNotReachStandardOutputFailsTheCommand() {
    OutputStream full =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("No space left on device");
          }
        };
    Run run =
        run(
            new PrintWriter(new OutputStreamWriter(full, StandardCharsets.UTF_8), true),
            null,
            "print");
    assertEquals(1, run.status());
    assertEquals("Error: Cannot write to standard output\n", run.err());
    assertEquals(0, run(null, "print").status());
  }

  @Test
  void aMistakeFoundByTheCommandIsAlsoExitCode2() {
    Run run = run(null, "mistake");
    assertEquals(2, run.status());
    assertTrue(run.err().startsWith("Error: --port and ARGS disagree\nUsage: tool "), run.err());
  }

  @Test
  void theDockerCliEntrypointsVerboseWorksBeforeAndAfterItsCommand() {
    for (List<String> args :
        List.of(
            List.of("-v", "predict", "in.json", "out"),
            List.of("predict", "in.json", "out", "-v"),
            List.of("info", "--verbose"))) {
      assertTrue(
          ErrorHandler.verbose(
              new CommandLine(new InvokeCommand()).parseArgs(args.toArray(String[]::new))),
          args::toString);
    }
    assertFalse(
        ErrorHandler.verbose(
            new CommandLine(new InvokeCommand()).parseArgs("predict", "in.json", "out")));
  }

  @Test
  void optionsThatDoNotGoTogetherAreAMistakeNamedByTheCommandsFlags() {
    Run run =
        run(
            new InvalidOptionsException(
                List.of(
                    new InvalidOptionsException.Problem("inputMatrix", "ndarray needs cpython"),
                    new InvalidOptionsException.Problem("queueCapacity", "must be at least 1"))));
    assertEquals(2, run.status());
    assertTrue(
        run.err()
            .startsWith(
                "Error: --input-matrix ndarray needs cpython; queueCapacity must be at least 1\n"
                    + "Usage: tool "),
        run.err());
  }
}
