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
  private final String shown;

  public ModelStartupException(String message, String pythonTraceback) {
    this(message, message, pythonTraceback);
  }

  /**
   * A failure whose message holds what the model's own code said (a Python error's text may quote
   * anything: a URL with its token, a path), and {@code shown} what a server's clients may see of
   * it instead.
   */
  public ModelStartupException(String message, String shown, String pythonTraceback) {
    super(message);
    this.pythonTraceback = pythonTraceback == null ? "" : pythonTraceback;
    this.shown = shown;
  }

  public ModelStartupException(String message, Throwable cause) {
    super(message, cause);
    this.pythonTraceback = "";
    this.shown = message;
  }

  /**
   * What a server's clients are told of the failure: the message without the model's own words,
   * which go to the log only.
   */
  public String shown() {
    return shown;
  }

  /** The Python traceback of the failure, or an empty string. */
  public String pythonTraceback() {
    return pythonTraceback;
  }
}
