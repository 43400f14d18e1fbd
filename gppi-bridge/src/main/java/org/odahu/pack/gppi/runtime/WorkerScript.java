package org.odahu.pack.gppi.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.odahu.pack.artifact.files.DiskSpace;
import org.odahu.pack.artifact.files.ExitCleanup;
import org.odahu.pack.gppi.ModelStartupException;

/**
 * The Python side of the worker protocol, {@code gppi_worker.py}, copied out of the jar into a
 * private temporary directory so that an interpreter can run or import it.
 */
public final class WorkerScript implements AutoCloseable {
  /** The script's module name. */
  public static final String MODULE = "gppi_worker";

  private static final String FILE = MODULE + ".py";

  /** The script's entry in this class's jar: beside the class, as the class loader finds it. */
  private static final String RESOURCE =
      WorkerScript.class.getPackageName().replace('.', '/') + "/" + FILE;

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
    try {
      byte[] source = read();
      ExitCleanup.TemporaryDirectory directory = cleanup.newTemporaryDirectory("odahu-gppi-");
      Path file = directory.path().resolve(FILE);
      Files.write(file, source, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new WorkerScript(directory, file);
    } catch (IOException e) {
      throw new ModelStartupException(
          "Cannot write the Python worker script: " + DiskSpace.temporary().reason(e), e);
    }
  }

  private static byte[] read() throws IOException {
    CodeSource code = WorkerScript.class.getProtectionDomain().getCodeSource();
    return read(code == null ? null : code.getLocation());
  }

  /**
   * The script, from the jar at {@code location} (this class's) when it holds it, else from the
   * class path: asked for a resource, the class loader opens every jar before ours on the class
   * path (in directory order: 20 of a distribution's 110 here, 30 ms of a server's start, while its
   * first worker waits for the script).
   */
  static byte[] read(URL location) throws IOException {
    if (location != null && "file".equals(location.getProtocol())) {
      try {
        Path jar = Path.of(location.toURI());
        if (Files.isRegularFile(jar)) {
          try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(RESOURCE);
            if (entry != null) {
              try (InputStream in = zip.getInputStream(entry)) {
                return in.readAllBytes();
              }
            }
          }
        }
      } catch (URISyntaxException | IllegalArgumentException e) {
        // Not a plain file name: the class loader finds the resource below.
      }
    }
    try (InputStream in = WorkerScript.class.getResourceAsStream(FILE)) {
      if (in == null) {
        throw new IllegalStateException(FILE + " is missing from the class path");
      }
      return in.readAllBytes();
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
