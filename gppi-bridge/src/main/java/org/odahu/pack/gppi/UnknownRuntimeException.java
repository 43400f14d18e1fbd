package org.odahu.pack.gppi;

import java.util.List;

/** The options name a model runtime that does not exist. */
public final class UnknownRuntimeException extends BackendConfigurationException {
  private static final long serialVersionUID = 1L;
  private final String runtime;
  private final List<String> knownRuntimes;

  public UnknownRuntimeException(String runtime, List<String> knownRuntimes) {
    super(
        "Unknown model runtime '"
            + runtime
            + "': the runtimes are "
            + String.join(" and ", knownRuntimes));
    this.runtime = runtime;
    this.knownRuntimes = List.copyOf(knownRuntimes);
  }

  /** The runtime asked for. */
  public String runtime() {
    return runtime;
  }

  /** The runtimes there are. */
  public List<String> knownRuntimes() {
    return knownRuntimes;
  }
}
