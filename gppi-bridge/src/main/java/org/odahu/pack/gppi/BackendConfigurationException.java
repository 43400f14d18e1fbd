package org.odahu.pack.gppi;

/**
 * The backend cannot run with its options, and retrying will not help: an interpreter that cannot
 * be run, a runtime that does not exist or is not installed. Unlike other start-up failures it is
 * not retried: the backend's start fails for good, at once.
 */
public abstract class BackendConfigurationException extends ModelStartupException {
  private static final long serialVersionUID = 1L;

  protected BackendConfigurationException(String message) {
    super(message, "");
  }

  protected BackendConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
