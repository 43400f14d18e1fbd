package org.odahu.pack.commandline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.odahu.pack.artifact.files.TemporaryFiles;
import org.odahu.pack.logging.LogFormat;
import picocli.CommandLine;

/** What every odahu-pack {@code main} does: the edge's error handling, logging, then exit. */
public final class Executables {
  /** Netty's switch for its Java Flight Recorder events (buffer and chunk allocations). */
  static final String NETTY_JFR = "io.netty.jfr.enabled";

  /** What a command whose output did not reach standard output fails with (after "Error: "). */
  public static final String STANDARD_OUTPUT_FAILED = "Cannot write to standard output";

  /**
   * The exit code of a command whose reader closed standard output's pipe ({@code | head}): a
   * shell's for a process that SIGPIPE ended, as for {@code yes | head -1}. Nothing is printed.
   */
  public static final int CLOSED_PIPE = 141;

  private Executables() {}

  /**
   * Whether {@code System.out} failed because it is a pipe that nobody reads any more: on a pipe,
   * that is the one way a write fails. A full disk or a closed terminal is still an error.
   */
  public static boolean standardOutputPipeClosed() {
    if (!System.out.checkError()) {
      return false;
    }
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString().startsWith("pipe:");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * What a {@code main} does before anything reads these settings (Netty keeps the values it reads
   * first): {@code $TMPDIR}, when set, becomes {@code java.io.tmpdir} ({@link
   * TemporaryFiles#followTmpdir}), and Netty's Flight Recorder events are off unless the command
   * line says {@code -Dio.netty.jfr.enabled=true}. Their first buffer allocation initialised the
   * JDK's Flight Recorder metadata, on the first request's path: ~0.1 s of a server's cold start
   * and 2–4 MiB of its memory, for events that only a recording would read.
   */
  public static void prepare(Map<String, String> environment) {
    TemporaryFiles.followTmpdir(environment);
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
  }

  /**
   * Installs the edge on {@code commandLine}: {@link ErrorHandler} with the {@linkplain
   * HelpfulSuggestions#standard() standard suggestions}, and {@link #execute}. Tests run commands
   * built this way.
   */
  public static CommandLine withEdge(CommandLine commandLine) {
    ErrorHandler handler = new ErrorHandler(HelpfulSuggestions.standard());
    return commandLine
        .setExecutionExceptionHandler(handler)
        .setParameterExceptionHandler(handler)
        .setExecutionStrategy(Executables::execute);
  }

  /**
   * Runs the command {@code parsed} names, as picocli does, and then fails it when what it printed
   * did not reach standard output (a full disk), or ends it quietly with {@link #CLOSED_PIPE} when
   * its reader has gone: picocli's writers and {@code System.out} only remember their write errors.
   * An error that says the process ran out of file descriptors becomes a failure the {@link
   * ErrorHandler} words, not a stack trace: picocli hands it only exceptions.
   */
  static int execute(CommandLine.ParseResult parsed) {
    CommandLine commandLine = parsed.commandSpec().commandLine();
    int exitCode;
    try {
      exitCode = new CommandLine.RunLast().execute(parsed);
    } catch (Error e) {
      if (!HelpfulSuggestions.outOfFileDescriptors(e)) {
        throw e;
      }
      throw new CommandLine.ExecutionException(commandLine, String.valueOf(e.getMessage()), e);
    }
    boolean failed = false;
    for (CommandLine command : parsed.asCommandLineList()) {
      failed |= command.getOut().checkError(); // flushes into System.out
    }
    if (standardOutputPipeClosed()) {
      return CLOSED_PIPE;
    }
    if (System.out.checkError() || failed) {
      throw new CommandLine.ExecutionException(
          commandLine, STANDARD_OUTPUT_FAILED, new IOException(STANDARD_OUTPUT_FAILED));
    }
    return exitCode;
  }

  /**
   * Runs {@code commandLine} (already {@linkplain #withEdge with the edge}) on {@code args} and
   * exits the JVM with its exit code. Logging is configured once the arguments are parsed, so only
   * a {@code --verbose} that picocli matched as an option turns on debug output (never, say, an
   * argument passed through to an image's entrypoint), and {@code --log-format} (or its variable)
   * chooses the format. Before exiting, the run may write the launcher's class-data archive ({@link
   * LauncherArchive}).
   */
  public static void main(CommandLine commandLine, String[] args) {
    Logging.configure(false);
    commandLine.setExecutionStrategy(
        parsed -> {
          boolean verbose = ErrorHandler.verbose(parsed);
          LogFormat format = Logging.format(parsed);
          if (verbose || format != LogFormat.TEXT) {
            Logging.configure(verbose, format);
          }
          return execute(parsed);
        });
    int exitCode = commandLine.execute(args);
    LauncherArchive.dumpIfAsked(exitCode);
    System.exit(exitCode);
  }
}
