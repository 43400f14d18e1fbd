package org.odahu.pack.gppi.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.odahu.pack.gppi.ModelStartupException;

/**
 * The Python side of the worker protocol, {@code gppi_worker.py}, copied out of the jar into a
 * private temporary directory so that an interpreter can run or import it.
 */
public final class WorkerScript implements AutoCloseable {
  /** The script's module name. */
  public static final String MODULE = "gppi_worker";

  private final Path directory;
  private final Path file;

  private WorkerScript(Path directory, Path file) {
    this.directory = directory;
    this.file = file;
  }

  /** Copies the script into a new temporary directory. */
  public static WorkerScript extract() {
    try (InputStream source = WorkerScript.class.getResourceAsStream(MODULE + ".py")) {
      if (source == null) {
        throw new IllegalStateException(MODULE + ".py is missing from the class path");
      }
      Path directory = Files.createTempDirectory("odahu-gppi-");
      Path file = directory.resolve(MODULE + ".py");
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
    return directory;
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      // A leftover temporary file is harmless.
    }
  }
}
