package org.odahu.pack.gppi;

/** The options name an optional model runtime (GraalPy) whose module is not on the class path. */
public final class RuntimeNotInstalledException extends BackendConfigurationException {
  private static final long serialVersionUID = 1L;
  private final String runtime;
  private final String module;

  public RuntimeNotInstalledException(String runtime, String module) {
    super(
        "The "
            + runtime
            + " runtime is not installed: its module ("
            + module
            + ") and the jars it needs are not on the class path");
    this.runtime = runtime;
    this.module = module;
  }

  /** The runtime asked for. */
  public String runtime() {
    return runtime;
  }

  /** The module that provides it. */
  public String module() {
    return module;
  }
}
