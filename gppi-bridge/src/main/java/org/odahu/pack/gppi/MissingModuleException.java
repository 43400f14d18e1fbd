package org.odahu.pack.gppi;

/**
 * The model failed to start because a Python module could not be imported: its dependencies are not
 * installed where it runs. Retried like any start-up failure (they may be installed meanwhile).
 */
public final class MissingModuleException extends ModelStartupException {
  private static final long serialVersionUID = 1L;
  private final String module;
  private final String runtime;

  /**
   * @param message what failed, for the user
   * @param shown what a server's clients may see of it (see {@link #shown()})
   * @param pythonTraceback the Python traceback
   * @param module the module that could not be imported, or {@code null} if Python did not say
   * @param runtime the runtime the model ran in, e.g. {@link BackendOptions#CPYTHON}
   */
  public MissingModuleException(
      String message, String shown, String pythonTraceback, String module, String runtime) {
    super(message, shown, pythonTraceback);
    this.module = module;
    this.runtime = runtime;
  }

  /** The module that could not be imported, or {@code null} if Python did not name it. */
  public String module() {
    return module;
  }

  /** The runtime the model ran in, e.g. {@link BackendOptions#CPYTHON}. */
  public String runtime() {
    return runtime;
  }
}
