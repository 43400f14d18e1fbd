package org.odahu.pack.gppi.graalpy;

import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.gppi.BackendOptions;
import org.odahu.pack.gppi.runtime.WorkerFactory;
import org.odahu.pack.gppi.runtime.WorkerFactoryProvider;

/** The {@code graalpy} runtime, found by {@link java.util.ServiceLoader}. */
public final class GraalPyRuntime implements WorkerFactoryProvider {
  @Override
  public String runtime() {
    return BackendOptions.GRAALPY;
  }

  @Override
  public WorkerFactory create(ModelArtifact artifact, BackendOptions options) {
    return new GraalPyWorkerFactory(artifact, options);
  }
}
