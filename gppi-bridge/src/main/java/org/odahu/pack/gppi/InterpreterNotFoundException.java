package org.odahu.pack.gppi;

import java.nio.file.Path;

/** The Python interpreter of the workers does not exist or cannot be run. */
public final class InterpreterNotFoundException extends BackendConfigurationException {
  private static final long serialVersionUID = 1L;
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
}
