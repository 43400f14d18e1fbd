package org.odahu.pack.gppi.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.gppi.ModelStartupException;

/**
 * The Python side of the worker protocol, {@code gppi_worker.py}, copied out of the jar into a
 * private temporary directory so that an interpreter can run or import it.
 */
public final class WorkerScript implements AutoCloseable {
  /** The script's module name. */
  public static final String MODULE = "gppi_worker";

  private final ExitCleanup.TemporaryDirectory directory;
  private final Path file;

  private WorkerScript(ExitCleanup.TemporaryDirectory directory, Path file) {
    this.directory = directory;
    this.file = file;
  }

  /**
   * Copies the script into a new temporary directory, removed by {@link #close()} or by {@code
   * cleanup} if the program ends first.
   */
  public static WorkerScript extract(ExitCleanup cleanup) {
    try (InputStream source = WorkerScript.class.getResourceAsStream(MODULE + ".py")) {
      if (source == null) {
        throw new IllegalStateException(MODULE + ".py is missing from the class path");
      }
      ExitCleanup.TemporaryDirectory directory = cleanup.newTemporaryDirectory("odahu-gppi-");
      Path file = directory.path().resolve(MODULE + ".py");
      Files.copy(source, file);
      return new WorkerScript(directory, file);
    } catch (IOException e) {
      throw new ModelStartupException(
          "Cannot write the Python worker script: " + e.getMessage(), e);
    }
  }

  /** The script file. */
  public Path file() {
    return file;
  }

  /** The directory holding it, to put on {@code sys.path}. */
  public Path directory() {
    return directory.path();
  }

  /** Deletes the directory, with whatever an interpreter wrote there ({@code __pycache__}). */
  @Override
  public void close() {
    directory.close();
  }
}
