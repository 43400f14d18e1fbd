package org.odahu.pack.gppi;

/**
 * The model could not be started: the interpreter is missing, importing the entrypoint failed,
 * {@code init()} raised or returned an unsupported mode. The message carries the Python error and a
 * hint; {@link #pythonTraceback()} the full traceback when there is one.
 */
public final class ModelStartupException extends GppiException {
  private static final long serialVersionUID = 1L;
  private final String pythonTraceback;

  public ModelStartupException(String message, String pythonTraceback) {
    super(message);
    this.pythonTraceback = pythonTraceback == null ? "" : pythonTraceback;
  }

  public ModelStartupException(String message, Throwable cause) {
    super(message, cause);
    this.pythonTraceback = "";
  }

  /** The Python traceback of the failure, or an empty string. */
  public String pythonTraceback() {
    return pythonTraceback;
  }
}
