package org.odahu.pack.gppi;

import java.util.ServiceLoader;
import org.odahu.pack.artifact.ModelArtifact;
import org.odahu.pack.gppi.cpython.CPythonWorkerFactory;
import org.odahu.pack.gppi.worker.WorkerFactory;
import org.odahu.pack.gppi.worker.WorkerFactoryProvider;
import org.odahu.pack.gppi.worker.WorkerPool;

/** Creates the {@link ModelBackend} for an artifact and the runtime the options name. */
public final class ModelBackends {
  private ModelBackends() {}

  /**
   * A backend running {@code artifact}'s model; call {@link ModelBackend#start()} next. The
   * artifact must stay open while the backend runs.
   */
  public static ModelBackend create(ModelArtifact artifact, BackendOptions options) {
    return new WorkerPool(factory(artifact, options), options);
  }

  private static WorkerFactory factory(ModelArtifact artifact, BackendOptions options) {
    if (BackendOptions.CPYTHON.equals(options.runtime())) {
      return new CPythonWorkerFactory(artifact, options);
    }
    for (WorkerFactoryProvider provider : ServiceLoader.load(WorkerFactoryProvider.class)) {
      if (provider.runtime().equals(options.runtime())) {
        return provider.create(artifact, options);
      }
    }
    if (BackendOptions.GRAALPY.equals(options.runtime())) {
      throw new ModelStartupException(
          "The GraalPy runtime is not installed: put the gppi-graalpy module and its GraalPy jars"
              + " on the class path (odahu-pack's lib/graalpy directory), or use --runtime cpython",
          "");
    }
    throw new ModelStartupException(
        "Unknown model runtime '" + options.runtime() + "': use cpython or graalpy", "");
  }
}
