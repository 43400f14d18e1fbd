package org.odahu.pack.gppi;

/**
 * The model could not be started: importing the entrypoint failed, {@code init()} raised or
 * returned an unsupported mode, the worker died or took too long. The message carries the Python
 * error; {@link #pythonTraceback()} the full traceback when there is one. Workers failing this way
 * are retried with back-off, unless it is a {@link BackendConfigurationException}.
 */
public class ModelStartupException extends GppiException {
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
