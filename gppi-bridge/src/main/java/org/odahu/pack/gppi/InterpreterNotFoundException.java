package org.odahu.pack.gppi;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Python interpreter of the workers does not exist or cannot be run. */
public final class InterpreterNotFoundException extends BackendConfigurationException {
  private static final long serialVersionUID = 1L;

  /** Why a bare name ({@code python3}) that {@link #notOnPath} cannot be run. */
  public static final String NOT_ON_PATH = "not found in any directory of PATH";

  private final transient Path interpreter;
  private final String reason;

  public InterpreterNotFoundException(Path interpreter, String reason, Throwable cause) {
    super("The Python interpreter " + interpreter + " cannot be run: " + reason, cause);
    this.interpreter = interpreter;
    this.reason = reason;
  }

  /** The interpreter the options name. */
  public Path interpreter() {
    return interpreter;
  }

  /** Why it cannot be run, e.g. {@code No such file or directory}. */
  public String reason() {
    return reason;
  }

  /**
   * Whether {@code interpreter} is a bare name ({@code python3}, the images' {@code ODAHU_PYTHON})
   * that no directory of {@code PATH} holds as an executable file. Starting it then fails with the
   * exec's {@code No such file or directory}, which reads as if the name were a path that is
   * missing. {@code false} when {@code PATH} is unset: the JVM's own search path is not known here.
   */
  public static boolean notOnPath(Path interpreter) {
    if (interpreter.isAbsolute() || interpreter.getNameCount() != 1) {
      return false;
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String directory : path.split(":", -1)) {
      Path candidate = Path.of(directory.isEmpty() ? "." : directory).resolve(interpreter);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return false;
      }
    }
    return true;
  }
}
